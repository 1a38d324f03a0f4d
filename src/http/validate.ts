// zod at the edge: parse a request's body, params or query, or a socket payload, or answer 400
// naming the fields. Bodies and payloads are strict JSON types (nothing coerced); path segments
// and query strings are text, so their numbers are decimal digits only.
import type { Request } from "express";
import { z, type ZodError, type ZodType } from "zod";
import { validationFailed, type FieldIssue } from "./errors.ts";

export function zodIssues(err: ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

// Outside surrogate pairs, \p{Cs} matches only a lone half: a string that is not valid Unicode,
// which the database drivers cannot encode as UTF-8.
const LONE_SURROGATE = /\p{Cs}/u;

/** Where a parsed value holds a string (or an object key) that is not valid Unicode. */
function malformedText(value: unknown, path: (string | number)[] = [], found: FieldIssue[] = []): FieldIssue[] {
  const issue = (at: (string | number)[]) => found.push({ path: at.join("."), message: "holds a lone UTF-16 surrogate (not valid Unicode)" });
  if (typeof value === "string") {
    if (LONE_SURROGATE.test(value)) issue(path);
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => malformedText(v, [...path, i], found));
  } else if (value !== null && typeof value === "object") {
    for (const [key, v] of Object.entries(value)) {
      if (LONE_SURROGATE.test(key)) issue([...path, key]);
      malformedText(v, [...path, key], found);
    }
  }
  return found;
}

/**
 * The one way input is validated (HTTP and Socket.IO alike). Texts are checked after the schema,
 * on what it kept: unknown fields are ignored, never refused.
 */
export function parse<T extends ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(zodIssues(result.error));
  const malformed = malformedText(result.data);
  if (malformed.length) throw validationFailed(malformed);
  return result.data;
}

export const body = <T extends ZodType>(req: Request, schema: T) => parse(schema, req.body ?? {});
export const params = <T extends ZodType>(req: Request, schema: T) => parse(schema, req.params);

/** Query strings: a repeated parameter (?limit=1&limit=2) is refused, not silently merged. */
export function query<T extends ZodType>(req: Request, schema: T): z.output<T> {
  const q = req.query as Record<string, unknown>;
  const repeated = Object.keys(q).filter((k) => Array.isArray(q[k]));
  if (repeated.length) {
    throw validationFailed(repeated.map((k) => ({ path: k, message: "must be given once" })));
  }
  return parse(schema, q);
}

// The id and number schemas are the contract's (src/contracts/primitives.ts).
export { digits, id, jsonId } from "../contracts/primitives.ts";
