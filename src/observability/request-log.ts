// One log line per HTTP request, when it ends: its id (also sent back as X-Request-Id), method,
// URL (query values redacted), status and duration; at debug also the headers (from the
// allow-list: no key, token or signature). A plain middleware rather than pino-http: no child
// logger and no serializers per request, on the path every message takes.
import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import { redactHeaders, redactUrl, type Logger } from "./logger.ts";

declare module "express-serve-static-core" {
  interface Request {
    /** This request's id (X-Request-Id), in every log line about it. */
    id?: string;
  }
}

const QUIET = new Set(["/healthz", "/readyz"]);

export function requestLog(log: Logger): RequestHandler {
  return (req, res, next) => {
    const id = randomUUID();
    req.id = id;
    res.setHeader("X-Request-Id", id);
    if (QUIET.has(req.url) || !log.isLevelEnabled("info")) return next();
    const started = performance.now();
    res.once("finish", () => {
      const entry: Record<string, unknown> = {
        reqId: id,
        method: req.method,
        url: redactUrl(req.originalUrl),
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      };
      if (log.isLevelEnabled("debug")) {
        entry.headers = redactHeaders(req.headers);
        entry.remoteAddress = req.socket.remoteAddress;
      }
      log.info(entry, "request completed");
    });
    next();
  };
}
