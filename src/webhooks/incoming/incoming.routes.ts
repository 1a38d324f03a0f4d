// Incoming webhooks over HTTP: the admin API (JSON, behind auth) and the public hook endpoint
// (raw body, before the JSON parser, read only as far as its checks need).
import { Router, type Request } from "express";
import type { AppContext } from "../../app-context.ts";
import { currentUserId } from "../../http/auth-middleware.ts";
import { notFound } from "../../http/errors.ts";
import { body, params } from "../../http/validate.ts";
import { bodyKind } from "./hook-text.ts";
import { createIncomingBody, hookParams, incomingListParams, incomingParams, previewBody, updateIncomingBody } from "./incoming.schema.ts";
import * as incoming from "./incoming.service.ts";
import { TEMPLATE_PRESETS } from "./presets.ts";
import { bodyReader } from "./read-body.ts";
import { receiveHookPost, type HookGuards } from "./receive.ts";
import { createRateLimiter } from "../../rate-limit/redis-rate-limit.ts";
import { createRedisReplayGuard, createReplayGuard } from "./replay-guard.ts";

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
  router.get("/:id/requests", async (req, res) => {
    const { roomId, id } = params(req, incomingParams);
    res.json(await incoming.listIncomingRequests(ctx, currentUserId(req), roomId, id));
  });
  router.post("/:id/preview", async (req, res) => {
    const { roomId, id } = params(req, incomingParams);
    res.json(await incoming.previewIncomingText(ctx, currentUserId(req), roomId, id, body(req, previewBody)));
  });
  return router;
}

/** Mounted at /api/incoming-webhook-presets, behind auth: the ready templates. */
export function incomingPresetsRoutes(): Router {
  const router = Router();
  router.get("/", (_req, res) => {
    res.json({ presets: TEMPLATE_PRESETS });
  });
  return router;
}

/** One set per app: in memory, or in Redis when several processes share the limits. */
function createHookGuards(ctx: AppContext): HookGuards {
  const { incoming: limits, redisPrefix: prefix } = ctx.config;
  return {
    rate: createRateLimiter(ctx.redis, { ...limits, prefix, name: "hook-rate" }),
    authFailures: createRateLimiter(ctx.redis, { ...limits.authFailures, prefix, name: "hook-auth-failures" }),
    replays: ctx.redis ? createRedisReplayGuard(ctx.redis, prefix) : createReplayGuard(),
  };
}

/** Mounted at /api/hooks, before the JSON parser. */
export function hookEndpointRoutes(ctx: AppContext): Router {
  const router = Router();
  const guards = createHookGuards(ctx);

  router.post("/:hookId", async (req, res) => {
    const parsed = hookParams.safeParse(req.params);
    if (!parsed.success) throw notFound("Incoming webhook");
    const hook = await incoming.findHookForPost(ctx, parsed.data.hookId);
    const reader = bodyReader(req);
    try {
      const { message } = await receiveHookPost(ctx, guards, hook, {
        sourceIp: req.ip ?? req.socket.remoteAddress ?? "",
        request: { header: (name) => req.get(name), token: singleQueryValue(req, "token") },
        headers: req.headers,
        kind: bodyKind(req.get("content-type")),
        contentEncoding: req.get("content-encoding"),
        declaredLength: declaredLength(req),
        body: reader,
      });
      res.status(201).json({ message });
    } finally {
      // A refusal that left the body unread: close rather than read the rest of it.
      if (!reader.complete && !res.headersSent) res.set("Connection", "close");
    }
  });
  return router;
}

function singleQueryValue(req: Request, name: string): string | undefined {
  const value = (req.query as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

function declaredLength(req: Request): number | undefined {
  const value = req.get("content-length");
  return value && /^\d{1,16}$/.test(value) ? Number(value) : undefined;
}
