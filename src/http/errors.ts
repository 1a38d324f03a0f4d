// The one error type of the API: a status, a stable snake_case code and a message for a person.
// Its JSON is the contract's error shape (src/contracts/primitives.ts).
import type { ErrorCode } from "../contracts/enums.ts";
import type { ErrorDto, FieldIssue } from "../contracts/primitives.ts";

export type { FieldIssue };

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: FieldIssue[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toJSON(): ErrorDto {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export const validationFailed = (details: FieldIssue[], message?: string) =>
  new AppError(
    400,
    "validation_failed",
    message ?? details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join("; "),
    details,
  );
export const badRequest = (message: string, field = "") =>
  validationFailed([{ path: field, message }], field ? `${field}: ${message}` : message);
export const unauthorized = (message = "Authentication required") =>
  new AppError(401, "unauthorized", message);
export const forbidden = (message = "You are not allowed to do this") =>
  new AppError(403, "forbidden", message);
export const notFound = (what = "Resource") => new AppError(404, "not_found", `${what} not found`);
export const conflict = (message: string) => new AppError(409, "conflict", message);
export const payloadTooLarge = (message = "Request body is larger than 1 MiB") =>
  new AppError(413, "payload_too_large", message);
export const unsupportedMediaType = (message: string) =>
  new AppError(415, "unsupported_media_type", message);
export const rateLimited = (retryAfterS: number) =>
  new AppError(429, "rate_limited", `Too many requests; retry in ${retryAfterS} s`, undefined, {
    "Retry-After": String(retryAfterS),
  });
