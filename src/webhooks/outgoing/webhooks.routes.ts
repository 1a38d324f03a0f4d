// Routes of /api/rooms/:roomId/webhooks: the settings of a room's outgoing webhooks and their delivery log.
import { Router } from "express";
import type { AppContext } from "../../app-context.ts";
import { currentUserId } from "../../http/auth-middleware.ts";
import { body, params } from "../../http/validate.ts";
import { roomParams } from "../../rooms/rooms.schema.ts";
import { deliveriesRoutes } from "./deliveries.routes.ts";
import { previewReplay, replay } from "./replay.service.ts";
import { createWebhookBody, replayBody, updateWebhookBody, webhookParams } from "./webhooks.schema.ts";
import * as webhooks from "./webhooks.service.ts";

/** Mounted at /api/rooms/:roomId/webhooks, behind requireAuth. */
export function webhooksRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });

  router.get("/", async (req, res) => {
    const { roomId } = params(req, roomParams);
    res.json(await webhooks.listWebhooks(ctx, currentUserId(req), roomId));
  });
  router.post("/", async (req, res) => {
    const { roomId } = params(req, roomParams);
    res.status(201).json(await webhooks.createWebhook(ctx, currentUserId(req), roomId, body(req, createWebhookBody)));
  });
  router.get("/:webhookId", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    res.json(await webhooks.getWebhook(ctx, currentUserId(req), roomId, webhookId));
  });
  router.patch("/:webhookId", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    res.json(await webhooks.updateWebhook(ctx, currentUserId(req), roomId, webhookId, body(req, updateWebhookBody)));
  });
  router.delete("/:webhookId", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    await webhooks.deleteWebhook(ctx, currentUserId(req), roomId, webhookId);
    res.status(204).end();
  });
  router.post("/:webhookId/rotate", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    res.json(await webhooks.rotateWebhook(ctx, currentUserId(req), roomId, webhookId));
  });
  router.post("/:webhookId/test", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    res.status(202).json(await webhooks.pingWebhook(ctx, currentUserId(req), roomId, webhookId));
  });
  router.post("/:webhookId/circuit/close", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    res.json(await webhooks.closeCircuit(ctx, currentUserId(req), roomId, webhookId));
  });
  router.post("/:webhookId/replay", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    res.status(202).json(await replay(ctx, currentUserId(req), roomId, webhookId, body(req, replayBody)));
  });
  // Extension: how many a replay would queue now, for a confirmation that says it before sending.
  router.post("/:webhookId/replay/preview", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    res.json(await previewReplay(ctx, currentUserId(req), roomId, webhookId, body(req, replayBody)));
  });
  router.use("/:webhookId/deliveries", deliveriesRoutes(ctx));

  return router;
}
