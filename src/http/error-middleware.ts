// Maps every error to the contract's shape; unknown errors become a plain 500, logged with the request id.
import type { ErrorRequestHandler, RequestHandler } from "express";
import { ZodError } from "zod";
import { AppError, conflict, notFound, payloadTooLarge, validationFailed } from "./errors.ts";
import { zodIssues } from "./validate.ts";
import type { Logger } from "../observability/logger.ts";

export function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return validationFailed(zodIssues(err));
  const e = err as { type?: string; status?: number; code?: string } | null;
  if (e?.type === "entity.too.large") return payloadTooLarge();
  if (e?.type === "entity.parse.failed") return validationFailed([{ path: "", message: "Malformed JSON body" }], "Malformed JSON body");
  if (e?.type === "encoding.unsupported" || e?.type === "charset.unsupported") {
    return new AppError(415, "unsupported_media_type", "Unsupported body encoding");
  }
  // Prisma's known request errors, by their stable codes.
  if (e?.code === "P2002") return conflict("Already exists");
  if (e?.code === "P2025") return notFound();
  if (typeof e?.status === "number" && e.status >= 400 && e.status < 500) {
    return new AppError(e.status, "bad_request", "Bad request");
  }
  return undefined;
}

export const errorMiddleware = (log: Logger): ErrorRequestHandler => (err, req, res, _next) => {
  const appError = toAppError(err);
  if (!appError) {
    log.error({ err, reqId: req.id }, "unexpected error");
    res.status(500).json({ error: { code: "internal", message: "Internal server error" } });
    return;
  }
  if (appError.headers) res.set(appError.headers);
  res.status(appError.status).json(appError.toJSON());
};

export const notFoundMiddleware: RequestHandler = (req, _res, next) => {
  next(new AppError(404, "not_found", `No route for ${req.method} ${req.originalUrl.split("?")[0]}`));
};
