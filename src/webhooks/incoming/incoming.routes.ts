// Incoming webhooks over HTTP: the admin API (JSON, behind auth) and the public hook endpoint
// (raw body, before the JSON parser, so signatures are checked over the bytes received).
import express, { Router, type Request } from "express";
import type { AppContext } from "../../app-context.ts";
import { currentUserId } from "../../http/auth-middleware.ts";
import { notFound } from "../../http/errors.ts";
import { body, params } from "../../http/validate.ts";
import { createIncomingBody, hookParams, incomingListParams, incomingParams, updateIncomingBody } from "./incoming.schema.ts";
import * as incoming from "./incoming.service.ts";
import { createRateLimiter } from "../../rate-limit/redis-rate-limit.ts";

/** Mounted at /api/rooms/:roomId/incoming-webhooks, after the JSON parser and auth. */
export function incomingWebhooksRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });
  router.post("/", async (req, res) => {
    const { roomId } = params(req, incomingListParams);
    res.status(201).json(await incoming.createIncomingWebhook(ctx, currentUserId(req), roomId, body(req, createIncomingBody)));
  });
  router.get("/", async (req, res) => {
    const { roomId } = params(req, incomingListParams);
    res.json(await incoming.listIncomingWebhooks(ctx, currentUserId(req), roomId));
  });
  router.get("/:id", async (req, res) => {
    const { roomId, id } = params(req, incomingParams);
    res.json(await incoming.getIncomingWebhook(ctx, currentUserId(req), roomId, id));
  });
  router.patch("/:id", async (req, res) => {
    const { roomId, id } = params(req, incomingParams);
    res.json(await incoming.updateIncomingWebhook(ctx, currentUserId(req), roomId, id, body(req, updateIncomingBody)));
  });
  router.delete("/:id", async (req, res) => {
    const { roomId, id } = params(req, incomingParams);
    await incoming.deleteIncomingWebhook(ctx, currentUserId(req), roomId, id);
    res.status(204).end();
  });
  return router;
}

/** Mounted at /api/hooks, before the JSON parser. */
export function hookEndpointRoutes(ctx: AppContext): Router {
  const router = Router();
  const buckets = createRateLimiter(ctx.redis, { ...ctx.config.incoming, prefix: ctx.config.redisPrefix, name: "hook-rate" });
  // Any content type is read as bytes (up to 1 MiB, else 413): the signature comes before the type check.
  const rawBody = express.raw({ type: () => true, limit: "1mb" });

  router.post("/:hookId", rawBody, async (req, res) => {
    const parsed = hookParams.safeParse(req.params);
    if (!parsed.success) throw notFound("Incoming webhook");
    const { message } = await incoming.receiveHookPost(ctx, buckets, {
      hookId: parsed.data.hookId,
      request: {
        header: (name) => req.get(name),
        token: singleQueryValue(req, "token"),
        rawBody: Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0),
      },
      isJson: isJsonType(req.get("content-type")),
    });
    res.status(201).json({ message });
  });
  return router;
}

function singleQueryValue(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** application/json or application/<x>+json, with any parameters (charset=utf-8). */
export function isJsonType(contentType: string | undefined): boolean {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  return type === "application/json" || /^application\/[a-z0-9.!#$&^_-]+\+json$/.test(type);
}
