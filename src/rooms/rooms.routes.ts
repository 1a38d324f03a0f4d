import { Router } from "express";
import type { AppContext } from "../app-context.ts";
import { currentUserId } from "../http/auth-middleware.ts";
import { body, params } from "../http/validate.ts";
import { addMemberBody, createRoomBody, memberParams, roomParams, updateMemberBody, updateRoomBody } from "./rooms.schema.ts";
import * as rooms from "./rooms.service.ts";

export function roomsRoutes(ctx: AppContext): Router {
  const router = Router();

  router.post("/", async (req, res) => {
    res.status(201).json(await rooms.createRoom(ctx, currentUserId(req), body(req, createRoomBody)));
  });
  router.get("/", async (req, res) => {
    res.json(await rooms.listRooms(ctx, currentUserId(req)));
  });
  router.get("/:roomId", async (req, res) => {
    const { roomId } = params(req, roomParams);
    res.json(await rooms.getRoom(ctx, currentUserId(req), roomId));
  });
  router.patch("/:roomId", async (req, res) => {
    const { roomId } = params(req, roomParams);
    res.json(await rooms.updateRoom(ctx, currentUserId(req), roomId, body(req, updateRoomBody)));
  });
  router.post("/:roomId/members", async (req, res) => {
    const { roomId } = params(req, roomParams);
    res.status(201).json(await rooms.addMember(ctx, currentUserId(req), roomId, body(req, addMemberBody)));
  });
  router.patch("/:roomId/members/:userId", async (req, res) => {
    const { roomId, userId } = params(req, memberParams);
    const { isAdmin } = body(req, updateMemberBody);
    res.json(await rooms.setMemberAdmin(ctx, currentUserId(req), roomId, userId, isAdmin));
  });
  router.delete("/:roomId/members/:userId", async (req, res) => {
    const { roomId, userId } = params(req, memberParams);
    await rooms.removeMember(ctx, currentUserId(req), roomId, userId);
    res.status(204).end();
  });

  return router;
}
