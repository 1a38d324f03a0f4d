// Domain events -> socket messages. Sockets join and leave rooms as membership changes.
import type { AppContext } from "../app-context.ts";
import { roomChannel, userChannel, type Io } from "./realtime.ts";

export function subscribeDomainEvents(ctx: AppContext, io: Io): void {
  const { bus } = ctx;
  for (const event of ["message.created", "message.updated", "message.deleted"] as const) {
    const socketEvent = event === "message.created" ? "message:new" : event === "message.updated" ? "message:updated" : "message:deleted";
    bus.on(event, ({ message }) => {
      io.to(roomChannel(message.roomId)).emit(socketEvent, { message });
    });
  }
  bus.on("message.counts", (counts) => {
    io.to(roomChannel(counts.roomId)).emit("message:counts", counts);
  });
  bus.on("room.created", ({ room, memberIds }) => {
    for (const userId of memberIds) {
      io.in(userChannel(userId)).socketsJoin(roomChannel(room.id));
      io.to(userChannel(userId)).emit("room:joined", { room });
    }
  });
  bus.on("room.updated", ({ room }) => {
    io.to(roomChannel(room.id)).emit("room:updated", { room });
  });
  bus.on("member.added", ({ room, userId }) => {
    io.in(userChannel(userId)).socketsJoin(roomChannel(room.id));
    io.to(userChannel(userId)).emit("room:joined", { room });
    io.to(roomChannel(room.id)).emit("room:updated", { room });
  });
  bus.on("member.updated", ({ room }) => {
    io.to(roomChannel(room.id)).emit("room:updated", { room });
  });
  bus.on("member.removed", ({ room, userId }) => {
    io.in(userChannel(userId)).socketsLeave(roomChannel(room.id));
    io.to(userChannel(userId)).emit("room:left", { roomId: room.id });
    io.to(roomChannel(room.id)).emit("room:updated", { room });
  });
  bus.on("inspector.request", ({ binId, request }) => {
    io.to(inspectorChannel(binId)).emit("inspector:request", { binId, request });
  });
  // Delivery changes go to the room's admins only: they hold request bodies and response details.
  bus.on("webhook.delivery", async (p) => {
    const admins = await ctx.db.roomMember.findMany({ where: { roomId: p.roomId, isAdmin: true }, select: { userId: true } });
    if (admins.length) io.to(admins.map((a) => userChannel(a.userId))).emit("webhook:delivery", p);
  });
}

export const inspectorChannel = (binId: string) => `inspector:${binId}`;
