// The API's JSON body reader. Plain UTF-8 JSON (every client of this API) is read here in a few
// steps; anything else (a compressed body, another charset) goes to Express's own parser, which
// knows those cases. Errors are body-parser's (the error middleware maps them): 413 over the limit
// ("entity.too.large"), 400 for malformed JSON ("entity.parse.failed").
import express, { type RequestHandler } from "express";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const UTF8 = /;\s*charset\s*=\s*"?utf-?8"?\s*(?:;|$)/i;

function bodyError(type: string, status: number, message: string): Error {
  return Object.assign(new Error(message), { type, status, statusCode: status, expose: true });
}

export function jsonBody(limitBytes: number): RequestHandler {
  const fallback = express.json({ limit: limitBytes });
  return (req, res, next) => {
    const type = req.headers["content-type"];
    // No body, not JSON, or already read: nothing to do (req.body stays undefined, as with express.json).
    if ((req as { _body?: boolean })._body || type === undefined || !JSON_TYPE.test(type)) return next();
    const charset = type.includes("charset");
    const encoding = req.headers["content-encoding"];
    if ((charset && !UTF8.test(type)) || (encoding !== undefined && encoding !== "identity")) return fallback(req, res, next);
    const declared = req.headers["content-length"];
    if (declared !== undefined && Number(declared) > limitBytes) return next(bodyError("entity.too.large", 413, "request entity too large"));

    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limitBytes) {
        failed = true;
        req.unpipe();
        req.resume();
        return next(bodyError("entity.too.large", 413, "request entity too large"));
      }
      chunks.push(chunk);
    });
    req.once("error", (err) => {
      if (!failed) {
        failed = true;
        next(err);
      }
    });
    req.once("end", () => {
      if (failed) return;
      (req as { _body?: boolean })._body = true;
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString("utf8");
      if (text.trim() === "") {
        req.body = {};
        return next();
      }
      // Strict, as express.json: an object or an array at the top.
      const first = text.trimStart()[0];
      if (first !== "{" && first !== "[") return next(bodyError("entity.parse.failed", 400, "JSON must be an object or an array"));
      try {
        req.body = JSON.parse(text);
      } catch {
        return next(bodyError("entity.parse.failed", 400, "malformed JSON"));
      }
      next();
    });
  };
}
