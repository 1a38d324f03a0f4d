// Routes of /api/rooms/:roomId/webhooks/:webhookId/deliveries: the delivery log and redelivery.
import { Router } from "express";
import type { AppContext } from "../../app-context.ts";
import { currentUserId } from "../../http/auth-middleware.ts";
import { params, query } from "../../http/validate.ts";
import * as deliveries from "./deliveries.service.ts";
import { deliveriesQuery, deliveryParams, webhookParams } from "./webhooks.schema.ts";

/** Mounted by webhooksRoutes under /:webhookId/deliveries. */
export function deliveriesRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });

  router.get("/", async (req, res) => {
    const { roomId, webhookId } = params(req, webhookParams);
    res.json(await deliveries.listDeliveries(ctx, currentUserId(req), roomId, webhookId, query(req, deliveriesQuery)));
  });
  router.get("/:deliveryId", async (req, res) => {
    const { roomId, webhookId, deliveryId } = params(req, deliveryParams);
    res.json(await deliveries.getDelivery(ctx, currentUserId(req), roomId, webhookId, deliveryId));
  });
  router.post("/:deliveryId/redeliver", async (req, res) => {
    const { roomId, webhookId, deliveryId } = params(req, deliveryParams);
    res.status(202).json(await deliveries.redeliver(ctx, currentUserId(req), roomId, webhookId, deliveryId));
  });

  return router;
}
