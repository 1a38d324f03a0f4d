// zod at the edge: parse a request's body, params or query, or answer 400 naming the fields.
import type { Request } from "express";
import { z, type ZodError, type ZodType } from "zod";
import { validationFailed, type FieldIssue } from "./errors.ts";

export function zodIssues(err: ZodError): FieldIssue[] {
  return err.issues.map((i) => ({ path: i.path.join("."), message: i.message }));
}

export function parse<T extends ZodType>(schema: T, value: unknown): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationFailed(zodIssues(result.error));
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

export const id = z.coerce.number().int().positive().max(2 ** 31 - 1);
