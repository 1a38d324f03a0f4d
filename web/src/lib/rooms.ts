// The room list: last message, unread counts and order by latest activity.
import type { MessageDto, RoomDto, RoomMemberDto } from "../api/types.ts";

function activity(room: RoomDto): number {
  return room.lastMessage?.createdAt ?? room.modifiedAt ?? room.createdAt ?? 0;
}

export function sortRooms(rooms: readonly RoomDto[]): RoomDto[] {
  return [...rooms].sort((a, b) => activity(b) - activity(a) || b.id - a.id);
}

/** Inserts or updates a room, keeping the fields an update does not carry. */
export function upsertRoom(rooms: readonly RoomDto[], room: RoomDto): RoomDto[] {
  const existing = rooms.find((r) => r.id === room.id);
  if (!existing) return sortRooms([...rooms, room]);
  const next: RoomDto = {
    ...existing,
    ...room,
    lastMessage: room.lastMessage !== undefined ? room.lastMessage : existing.lastMessage,
    unreadCount: room.unreadCount ?? existing.unreadCount,
    isAdmin: room.isAdmin ?? existing.isAdmin,
    members: room.members ?? existing.members,
  };
  return sortRooms(rooms.map((r) => (r.id === room.id ? next : r)));
}

export function removeRoom(rooms: readonly RoomDto[], roomId: number): RoomDto[] {
  return rooms.filter((r) => r.id !== roomId);
}

export function markRead(rooms: readonly RoomDto[], roomId: number): RoomDto[] {
  if (!rooms.some((r) => r.id === roomId && (r.unreadCount ?? 0) > 0)) return rooms as RoomDto[];
  return rooms.map((r) => (r.id === roomId ? { ...r, unreadCount: 0 } : r));
}

/**
 * A new message: becomes the room's last message and counts as unread unless the
 * room is open or the message is one's own. `isNew` is false for a message already seen.
 */
export function applyNewMessage(
  rooms: readonly RoomDto[],
  message: MessageDto,
  opts: { activeRoomId: number | null; myUserId: number; isNew: boolean },
): RoomDto[] {
  const room = rooms.find((r) => r.id === message.roomId);
  if (!room) return rooms as RoomDto[];
  const newest = !room.lastMessage || message.id >= room.lastMessage.id;
  const unread =
    opts.isNew && message.roomId !== opts.activeRoomId && message.fromUserId !== opts.myUserId
      ? (room.unreadCount ?? 0) + 1
      : room.unreadCount;
  const next: RoomDto = { ...room, lastMessage: newest ? message : room.lastMessage, unreadCount: unread };
  return sortRooms(rooms.map((r) => (r.id === room.id ? next : r)));
}

/** An edit or deletion: refresh the preview if it is the room's last message. */
export function applyChangedMessage(rooms: readonly RoomDto[], message: MessageDto): RoomDto[] {
  return rooms.map((r) => (r.id === message.roomId && r.lastMessage?.id === message.id ? { ...r, lastMessage: message } : r));
}

export function previewText(message: MessageDto | null | undefined): string {
  if (!message) return "No messages yet";
  if (message.deleted) return "Message deleted";
  const text = typeof message.body?.text === "string" ? message.body.text : `[${message.type}]`;
  return text.replace(/\s+/g, " ").trim();
}

/**
 * A room's details (with members) after a membership event: the event names only the member that
 * changed, so the list is patched, never fetched again (a room may have 10,000 members).
 */
export function applyMemberChange(
  room: RoomDto,
  change: { type: "added" | "updated"; member: RoomMemberDto } | { type: "removed"; userId: number },
): RoomDto {
  const members = room.members ?? [];
  if (change.type === "removed") return { ...room, members: members.filter((m) => m.userId !== change.userId) };
  const known = members.some((m) => m.userId === change.member.userId);
  return {
    ...room,
    members: known ? members.map((m) => (m.userId === change.member.userId ? change.member : m)) : [...members, change.member],
  };
}

/** A room's own fields changed (room:updated): keeps the details' members and the caller's role. */
export function applyRoomFields(details: RoomDto, room: RoomDto): RoomDto {
  return { ...details, name: room.name, avatarFileId: room.avatarFileId, modifiedAt: room.modifiedAt };
}
