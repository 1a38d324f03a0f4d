// The building blocks of every schema: ids, numbers in paths and query strings, times, headers,
// and the one error shape. Bodies and socket payloads are strict JSON types (nothing coerced);
// path segments and query strings are text, so their numbers are decimal digits only.
import { z } from "zod";
import { ERROR_CODES } from "./enums.ts";

export const MAX_ID = 2 ** 31 - 1;

/** An id in a JSON body or socket payload: a JSON integer, 1 to 2^31-1 ("5", true, [5] are refused). */
export const jsonId = z
  .number({ error: "must be an integer id" })
  .int("must be an integer id")
  .min(1, "must be at least 1")
  .max(MAX_ID, `must be at most ${MAX_ID}`);

/** A whole number in a path segment or query string: decimal digits only ("0x7f", "1e9", " 5" are refused). */
export const digits = (min: number, max: number) =>
  z
    .string({ error: "must be a number" })
    .regex(/^[0-9]{1,15}$/, "must be decimal digits")
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

/** An id in a path segment or query string (`:roomId`, `?before=`). Bodies use `jsonId`. */
export const id = digits(1, MAX_ID);

/** An id as the server answers it. */
export const idOut = z.number().int().min(1);
/** A time in milliseconds since the epoch (as in Spika). */
export const epochMs = z.number().int().meta({ description: "milliseconds since the epoch" });
export const count = z.number().int().min(0);

/** HTTP headers as recorded: a name, one value or (repeated) several. */
export const headerMap = z.record(z.string(), z.union([z.string(), z.array(z.string())]));

export const fieldIssue = z.object({ path: z.string(), message: z.string() });
export type FieldIssue = z.output<typeof fieldIssue>;

/** Every error: `details` names the fields of a 400 `validation_failed`. */
export const errorBody = z.object({
  error: z.object({
    code: z.enum(ERROR_CODES),
    message: z.string().meta({ description: "for a person; no stack, no SQL" }),
    details: z.array(fieldIssue).optional(),
  }),
});
export type ErrorDto = z.output<typeof errorBody>;

/** A socket acknowledgement: the answer, or an error in the error shape. */
export type Ack<T> = (response: T | ErrorDto) => void;
