// Domain events -> socket messages. Sockets join and leave rooms as membership changes; a
// membership change sends the one member that changed (member:added / :updated / :removed).
import type { AppContext } from "../app-context.ts";
import { adminChannel, inspectorChannel, roomChannel, userChannel } from "./channels.ts";
import type { Io } from "./sockets.ts";

export function subscribeDomainEvents(ctx: AppContext, io: Io): void {
  const { bus } = ctx;
  // One process (no Redis): a channel nobody's socket is in gets nothing, and its packet is not even
  // encoded (a room with a webhook and no one watching still has every message and delivery pass here).
  const rooms = io.of("/").adapter.rooms;
  const listened = ctx.config.redisUrl ? () => true : (channel: string) => (rooms.get(channel)?.size ?? 0) > 0;
  // A member's sockets are in the room's admin channel exactly while the member is an admin.
  const syncAdmin = (roomId: number, userId: number, isAdmin: boolean) => {
    if (isAdmin) io.in(userChannel(userId)).socketsJoin(adminChannel(roomId));
    else io.in(userChannel(userId)).socketsLeave(adminChannel(roomId));
  };
  for (const event of ["message.created", "message.updated", "message.deleted"] as const) {
    const socketEvent = event === "message.created" ? "message:new" : event === "message.updated" ? "message:updated" : "message:deleted";
    bus.on(event, ({ message }) => {
      const channel = roomChannel(message.roomId);
      if (listened(channel)) io.to(channel).emit(socketEvent, { message });
    });
  }
  bus.on("message.counts", (counts) => {
    const channel = roomChannel(counts.roomId);
    if (listened(channel)) io.to(channel).emit("message:counts", counts);
  });
  bus.on("room.created", ({ room, members }) => {
    for (const { userId, isAdmin } of members) {
      io.in(userChannel(userId)).socketsJoin(isAdmin ? [roomChannel(room.id), adminChannel(room.id)] : roomChannel(room.id));
      io.to(userChannel(userId)).emit("room:joined", { room: { ...room, isAdmin } });
    }
  });
  bus.on("room.updated", ({ room }) => {
    io.to(roomChannel(room.id)).emit("room:updated", { room });
  });
  bus.on("member.added", ({ room, member }) => {
    io.in(userChannel(member.userId)).socketsJoin(roomChannel(room.id));
    syncAdmin(room.id, member.userId, member.isAdmin);
    io.to(userChannel(member.userId)).emit("room:joined", { room: { ...room, isAdmin: member.isAdmin } });
    io.to(roomChannel(room.id)).emit("member:added", { roomId: room.id, member });
  });
  bus.on("member.updated", ({ roomId, member }) => {
    syncAdmin(roomId, member.userId, member.isAdmin);
    io.to(roomChannel(roomId)).emit("member:updated", { roomId, member });
  });
  bus.on("member.removed", ({ roomId, userId }) => {
    io.in(userChannel(userId)).socketsLeave([roomChannel(roomId), adminChannel(roomId)]);
    io.to(userChannel(userId)).emit("room:left", { roomId });
    io.to(roomChannel(roomId)).emit("member:removed", { roomId, userId });
  });
  bus.on("inspector.request", ({ binId, request }) => {
    io.to(inspectorChannel(binId)).emit("inspector:request", { binId, request });
  });
  bus.on("webhook.delivery", (p) => {
    const channel = adminChannel(p.roomId);
    if (listened(channel)) io.to(channel).emit("webhook:delivery", p);
  });
  // The webhook holds its secret: its room's admins only, as the settings routes.
  bus.on("webhook.updated", ({ roomId, webhook }) => {
    io.to(adminChannel(roomId)).emit("webhook:updated", { roomId, webhookId: webhook.id, webhook });
  });
}
