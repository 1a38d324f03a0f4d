// Domain events -> socket messages. Sockets join and leave rooms as membership changes.
import type { AppContext } from "../app-context.ts";
import type { RoomDto } from "./events.ts";
import { adminChannel, roomChannel, userChannel, type Io } from "./realtime.ts";

export function subscribeDomainEvents(ctx: AppContext, io: Io): void {
  const { bus } = ctx;
  // After any membership change every member's sockets are in the admin channel exactly when
  // they are admins (a change can promote someone else: the last admin leaving).
  const isAdminIn = (room: RoomDto, userId: number) => room.members?.some((m) => m.userId === userId && m.isAdmin) ?? false;
  const syncAdmins = (room: RoomDto) => {
    for (const m of room.members ?? []) {
      if (m.isAdmin) io.in(userChannel(m.userId)).socketsJoin(adminChannel(room.id));
      else io.in(userChannel(m.userId)).socketsLeave(adminChannel(room.id));
    }
  };
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
      io.to(userChannel(userId)).emit("room:joined", { room: { ...room, isAdmin: isAdminIn(room, userId) } });
    }
    syncAdmins(room);
  });
  bus.on("room.updated", ({ room }) => {
    io.to(roomChannel(room.id)).emit("room:updated", { room });
  });
  bus.on("member.added", ({ room, userId }) => {
    io.in(userChannel(userId)).socketsJoin(roomChannel(room.id));
    io.to(userChannel(userId)).emit("room:joined", { room: { ...room, isAdmin: isAdminIn(room, userId) } });
    io.to(roomChannel(room.id)).emit("room:updated", { room });
    syncAdmins(room);
  });
  bus.on("member.updated", ({ room }) => {
    io.to(roomChannel(room.id)).emit("room:updated", { room });
    syncAdmins(room);
  });
  bus.on("member.removed", ({ room, userId }) => {
    io.in(userChannel(userId)).socketsLeave([roomChannel(room.id), adminChannel(room.id)]);
    syncAdmins(room);
    io.to(userChannel(userId)).emit("room:left", { roomId: room.id });
    io.to(roomChannel(room.id)).emit("room:updated", { room });
  });
  bus.on("inspector.request", ({ binId, request }) => {
    io.to(inspectorChannel(binId)).emit("inspector:request", { binId, request });
  });
  bus.on("webhook.delivery", (p) => {
    io.to(adminChannel(p.roomId)).emit("webhook:delivery", p);
  });
}

export const inspectorChannel = (binId: string) => `inspector:${binId}`;
