// Templates of incoming hooks: logic-less Mustache rendered over the request's JSON, with no HTML
// escaping (the result is shown as text). Each render gets its own Writer, so neither the escape
// function nor a template cache is shared through the mustache module's state.
import Mustache from "mustache";
import { validationFailed } from "../../http/errors.ts";
import { checkedText, hasLoneSurrogate, MAX_TEXT } from "./hook-text.ts";
import { refuse } from "./refusal.ts";

export const MAX_TEMPLATE = 4_000;

type Token = [string, string, number, number, Token[]?, number?];

/** Why a template cannot be saved, or null when it can. */
export function templateProblem(template: string): string | null {
  if (!template.trim()) return "must not be blank (null removes the template)";
  if (template.length > MAX_TEMPLATE) return "must be at most 4,000 characters";
  if (hasLoneSurrogate(template)) return "holds a lone UTF-16 surrogate (not valid Unicode)";
  let tokens: Token[];
  try {
    tokens = new Mustache.Writer().parse(template) as Token[];
  } catch (err) {
    return `is not valid Mustache: ${(err as Error).message}`;
  }
  return usesPartials(tokens) ? "uses a partial ({{> name}}); partials are not supported" : null;
}

function usesPartials(tokens: Token[]): boolean {
  return tokens.some((t) => t[0] === ">" || (t[4] !== undefined && usesPartials(t[4])));
}

/**
 * Looks names up in the JSON's own properties only: `{{constructor}}` or `{{items.map}}` find
 * nothing, where mustache's default lookup would reach the prototype and call what it finds.
 * Dotted names resolve their first part up the context stack, the rest from there (the spec's rule).
 */
class JsonContext extends Mustache.Context {
  constructor(view: unknown, parent?: JsonContext) {
    super(view, parent);
  }

  override push(view: unknown): JsonContext {
    return new JsonContext(view, this);
  }

  override lookup(name: string): unknown {
    if (name === ".") return this.view;
    const [first, ...rest] = name.split(".");
    for (let ctx: JsonContext | undefined = this; ctx; ctx = ctx.parent as JsonContext | undefined) {
      if (!hasOwn(ctx.view, first!)) continue;
      let value = (ctx.view as Record<string, unknown>)[first!];
      for (const key of rest) {
        if (!hasOwn(value, key)) return undefined;
        value = (value as Record<string, unknown>)[key];
      }
      return value;
    }
    return undefined;
  }
}

function hasOwn(value: unknown, key: string): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value !== "object" && typeof value !== "string") return false;
  return Object.prototype.hasOwnProperty.call(value, key);
}

/** `{{x}}` of an object or a list shows its JSON rather than "[object Object]". */
const asText = (value: unknown) => (typeof value === "object" && value !== null ? JSON.stringify(value) : String(value));

/** The template rendered over `json`, without trailing whitespace; longer than 10,000 characters is cut there, ending with "…". */
export function renderTemplate(template: string, json: unknown): string {
  let text: string;
  try {
    text = new Mustache.Writer().render(template, new JsonContext(json), {}, { escape: asText });
  } catch (err) {
    const message = `The template could not be rendered: ${(err as Error).message}`;
    throw refuse("template error", validationFailed([{ path: "template", message }], message));
  }
  text = text.trimEnd();
  if (!text) {
    const message = "The template gave a blank result for this body";
    throw refuse("template gave no text", validationFailed([{ path: "template", message }], message));
  }
  return checkedText(text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text);
}
