// The inspector over HTTP: the owner's API (JSON, behind auth) and the public capture endpoint
// (any method, any content type, raw body up to 1 MiB, before the JSON parser, rate-limited per bin).
import express, { Router, type Request, type RequestHandler } from "express";
import type { AppContext } from "../app-context.ts";
import { currentUserId } from "../http/auth-middleware.ts";
import { notFound, rateLimited } from "../http/errors.ts";
import { body } from "../http/validate.ts";
import type { z, ZodType } from "zod";
import { createRateLimiter } from "../rate-limit/redis-rate-limit.ts";
import { binParams, requestParams, verifyBody } from "./inspector.schema.ts";
import * as inspector from "./inspector.service.ts";

/** Route params that cannot name a bin or a request are a 404, like an unknown one. */
function binParamsOf<T extends ZodType>(req: Request, schema: T): z.output<T> {
  const parsed = schema.safeParse(req.params);
  if (!parsed.success) throw notFound("Bin");
  return parsed.data;
}

/** Mounted at /api/inspector, after the JSON parser and auth. */
export function inspectorRoutes(ctx: AppContext): Router {
  const router = Router();
  router.post("/bins", async (req, res) => {
    res.status(201).json(await inspector.createBin(ctx, currentUserId(req)));
  });
  router.get("/bins", async (req, res) => {
    res.json(await inspector.listBins(ctx, currentUserId(req)));
  });
  router.get("/bins/:binId", async (req, res) => {
    const { binId } = binParamsOf(req, binParams);
    res.json(await inspector.getBin(ctx, currentUserId(req), binId));
  });
  router.delete("/bins/:binId", async (req, res) => {
    const { binId } = binParamsOf(req, binParams);
    await inspector.deleteBin(ctx, currentUserId(req), binId);
    res.status(204).end();
  });
  router.get("/bins/:binId/requests", async (req, res) => {
    const { binId } = binParamsOf(req, binParams);
    res.json(await inspector.listRequests(ctx, currentUserId(req), binId));
  });
  router.get("/bins/:binId/requests/:requestId", async (req, res) => {
    const { binId, requestId } = binParamsOf(req, requestParams);
    res.json(await inspector.getRequest(ctx, currentUserId(req), binId, requestId));
  });
  router.post("/bins/:binId/requests/:requestId/verify", async (req, res) => {
    const { binId, requestId } = binParamsOf(req, requestParams);
    const { secret } = body(req, verifyBody);
    res.json(await inspector.verifyRequest(ctx, currentUserId(req), binId, requestId, secret));
  });
  return router;
}

/** Mounted at /inspect, before the JSON parser: catches /inspect/:binId and every sub-path. */
export function inspectorCaptureRoutes(ctx: AppContext): Router {
  const router = Router();
  const buckets = createRateLimiter(ctx.redis, { ...ctx.config.inspector, prefix: ctx.config.redisPrefix, name: "inspector-rate" });
  // Taken before the body is read, so a refused capture buffers nothing.
  const rateLimit: RequestHandler = async (req, _res, next) => {
    const rate = await buckets.take(binParamsOf(req, binParams).binId);
    if (!rate.allowed) throw rateLimited(rate.retryAfterS);
    next();
  };
  const rawBody = express.raw({ type: () => true, limit: "1mb" });
  router.all("/:binId{/*rest}", rateLimit, rawBody, async (req, res) => {
    const { binId } = binParamsOf(req, binParams);
    await inspector.captureRequest(ctx, binId, {
      method: req.method,
      path: req.originalUrl.split("?")[0]!,
      query: stringValues(req.query as Record<string, unknown>),
      headers: stringValues(req.headers),
      body: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      sourceIp: req.ip ?? req.socket.remoteAddress ?? "",
    });
    res.setHeader("Cache-Control", "no-store");
    res.json({ ok: true });
  });
  return router;
}

/** Keeps string and string-list values (what query strings and headers hold), dropping the rest. */
function stringValues(source: Record<string, unknown>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of Object.entries(source)) {
    if (typeof value === "string") out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) out[key] = value as string[];
  }
  return out;
}
