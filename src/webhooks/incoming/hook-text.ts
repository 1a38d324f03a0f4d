// What an incoming hook's body says: its JSON (the body itself, or a form's `payload` field), and
// the message text by Slack's incoming-webhook rule, which Mattermost and Rocket.Chat follow too.
import { unsupportedMediaType, validationFailed } from "../../http/errors.ts";
import { refuse } from "./refusal.ts";

export const MAX_TEXT = 10_000;

export type BodyKind = "json" | "form" | "other";

/** application/json or application/<x>+json (any parameters), a form, or anything else. */
export function bodyKind(contentType: string | undefined): BodyKind {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type)) return "json";
  if (type === "application/x-www-form-urlencoded") return "form";
  return "other";
}

export interface DecodedBody {
  json: unknown;
  /** The JSON as text (the body, or the form's payload), kept as the hook's sample. */
  text: string;
}

const malformed = (message: string) => refuse("malformed JSON", validationFailed([{ path: "", message }], message));

/** The JSON a request carries: a JSON body, or `payload=<JSON>` in a form body (as Slack takes it). */
export function decodeHookBody(raw: Buffer, kind: BodyKind): DecodedBody {
  if (kind === "other") {
    throw refuse("unsupported content type", unsupportedMediaType("Send the body as application/json, or as a form with payload=<JSON>"));
  }
  let text = raw.toString("utf8");
  if (kind === "form") {
    const payloads = new URLSearchParams(text).getAll("payload");
    if (payloads.length !== 1) {
      const message = payloads.length ? "Give the payload field once" : "A form body needs a payload field holding the JSON";
      throw refuse("no payload field", validationFailed([{ path: "payload", message }], message));
    }
    text = payloads[0]!;
  }
  try {
    return { json: JSON.parse(text), text };
  } catch {
    throw malformed(kind === "form" ? "The payload field is not valid JSON" : "Malformed JSON body");
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A field that is absent, null or a string; anything else is refused, naming the field. */
function optionalString(source: Record<string, unknown>, key: string, path: string): string {
  const value = source[key];
  if (value === undefined || value === null) return "";
  if (typeof value !== "string") throw invalidBody(path, "must be a string");
  return value;
}

const invalidBody = (path: string, message: string) => refuse("invalid body", validationFailed([{ path, message }]));

/**
 * `text`, then for each attachment its `pretext`, `title` and `text` (or its `fallback` when none of
 * those is a non-empty string), each non-empty one on its own line. Other fields are ignored.
 */
export function slackText(body: unknown): string {
  if (!isObject(body)) throw invalidBody("", "must be a JSON object with text or attachments");
  const lines: string[] = [];
  const text = optionalString(body, "text", "text");
  if (text) lines.push(text);
  const attachments = body.attachments;
  if (attachments !== undefined && attachments !== null) {
    if (!Array.isArray(attachments)) throw invalidBody("attachments", "must be an array");
    attachments.forEach((attachment, i) => {
      if (!isObject(attachment)) throw invalidBody(`attachments.${i}`, "must be an object");
      const parts = ["pretext", "title", "text"].map((k) => optionalString(attachment, k, `attachments.${i}.${k}`)).filter(Boolean);
      const fallback = optionalString(attachment, "fallback", `attachments.${i}.fallback`);
      lines.push(...(parts.length ? parts : fallback ? [fallback] : []));
    });
  }
  return checkedText(lines.join("\n"));
}

/** A message text as the messages API takes it: not blank, at most 10,000 characters, valid Unicode. */
export function checkedText(text: string): string {
  if (!text.trim()) {
    const message = "is required: give a non-blank text, or attachments with text";
    throw refuse("no text", validationFailed([{ path: "text", message }], `text: ${message}`));
  }
  if (text.length > MAX_TEXT) throw refuse("text too long", validationFailed([{ path: "text", message: "must be 1 to 10,000 characters" }]));
  if (hasLoneSurrogate(text)) throw refuse("invalid text", validationFailed([{ path: "text", message: "holds a lone UTF-16 surrogate (not valid Unicode)" }]));
  return text;
}

export const hasLoneSurrogate = (s: string) => /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
