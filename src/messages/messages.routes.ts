import { Router } from "express";
import type { AppContext } from "../app-context.ts";
import { currentUserId } from "../http/auth-middleware.ts";
import { body, params, query } from "../http/validate.ts";
import { roomParams } from "../rooms/rooms.schema.ts";
import { editMessageBody, historyQuery, messageParams, sendMessageBody } from "./messages.schema.ts";
import * as messages from "./messages.service.ts";
import { markMessage, markRoomSeen } from "./receipts.service.ts";

/** Mounted at /api/rooms/:roomId/messages. */
export function roomMessagesRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });
  router.post("/", async (req, res) => {
    const { roomId } = params(req, roomParams);
    const { message } = await messages.sendMessage(ctx, currentUserId(req), roomId, body(req, sendMessageBody));
    res.status(201).json({ message });
  });
  router.get("/", async (req, res) => {
    const { roomId } = params(req, roomParams);
    res.json(await messages.listMessages(ctx, currentUserId(req), roomId, query(req, historyQuery)));
  });
  return router;
}

/** Mounted at /api/rooms/:roomId/seen: marks the whole room seen (extension). */
export function roomSeenRoutes(ctx: AppContext): Router {
  const router = Router({ mergeParams: true });
  router.post("/", async (req, res) => {
    const { roomId } = params(req, roomParams);
    res.json(await markRoomSeen(ctx, currentUserId(req), roomId));
  });
  return router;
}

/** Mounted at /api/messages. */
export function messagesRoutes(ctx: AppContext): Router {
  const router = Router();
  router.patch("/:messageId", async (req, res) => {
    const { messageId } = params(req, messageParams);
    res.json(await messages.editMessage(ctx, currentUserId(req), messageId, body(req, editMessageBody)));
  });
  router.delete("/:messageId", async (req, res) => {
    const { messageId } = params(req, messageParams);
    res.json(await messages.deleteMessage(ctx, currentUserId(req), messageId));
  });
  for (const kind of ["delivered", "seen"] as const) {
    router.post(`/:messageId/${kind}`, async (req, res) => {
      const { messageId } = params(req, messageParams);
      res.json(await markMessage(ctx, currentUserId(req), messageId, kind));
    });
  }
  return router;
}
