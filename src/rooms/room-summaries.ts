// The caller's rooms with their last message and unread count, in a few queries whatever the room
// count: rooms are selected by membership in the query itself, never as a list of ids.
import { inChunks } from "../db/chunks.ts";
import type { Db } from "../db/client.ts";
import { presentMessage } from "../messages/messages.presenter.ts";
import { presentRoom } from "./rooms.presenter.ts";

export async function listRoomsOf(db: Db, userId: number) {
  const memberships = await db.roomMember.findMany({ where: { userId }, include: { room: true } });
  if (memberships.length === 0) return { rooms: [] };
  const myRooms = { room: { members: { some: { userId } } } };

  const latest = await db.message.groupBy({ by: ["roomId"], where: myRooms, _max: { id: true } });
  const lastIds = latest.map((l) => l._max.id).filter((id): id is number => id !== null);
  const lastMessages = await inChunks(lastIds, (ids) => db.message.findMany({ where: { id: { in: ids } } }));
  const lastByRoom = new Map(lastMessages.map((m) => [m.roomId, presentMessage(m)]));

  // Unread: others' live messages this user has not marked seen.
  const unread = await db.message.groupBy({
    by: ["roomId"],
    where: {
      ...myRooms,
      fromUserId: { not: userId },
      deleted: false,
      receipts: { none: { userId, seenAt: { not: null } } },
    },
    _count: { _all: true },
  });
  const unreadByRoom = new Map(unread.map((u) => [u.roomId, u._count._all]));

  const rooms = memberships.map((m) =>
    presentRoom(m.room, {
      isAdmin: m.isAdmin,
      lastMessage: lastByRoom.get(m.roomId) ?? null,
      unreadCount: unreadByRoom.get(m.roomId) ?? 0,
    }),
  );
  rooms.sort((a, b) => (b.lastMessage?.createdAt ?? b.createdAt) - (a.lastMessage?.createdAt ?? a.createdAt));
  return { rooms };
}
