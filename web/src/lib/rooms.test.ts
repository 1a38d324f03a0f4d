import { describe, expect, it } from "vitest";
import type { MessageDto, RoomDto } from "../api/types.ts";
import { applyChangedMessage, applyMemberChange, applyNewMessage, applyRoomFields, markRead, previewText, upsertRoom } from "./rooms.ts";

const room = (id: number, extra: Partial<RoomDto> = {}): RoomDto => ({
  id,
  name: `room ${id}`,
  avatarFileId: null,
  createdAt: id * 10,
  modifiedAt: id * 10,
  ...extra,
});

const message = (id: number, roomId: number, fromUserId = 2, createdAt = 1000 + id): MessageDto => ({
  id,
  fromUserId,
  totalUserCount: 2,
  deliveredCount: 0,
  seenCount: 0,
  roomId,
  type: "text",
  body: { text: `hello ${id}` },
  createdAt,
  modifiedAt: createdAt,
  localId: null,
  deleted: false,
  replyId: null,
});

describe("room list", () => {
  it("moves a room with a new message to the top and counts it unread", () => {
    const rooms = [room(2), room(1)];
    const next = applyNewMessage(rooms, message(10, 1), { activeRoomId: null, myUserId: 1, isNew: true });
    expect(next.map((r) => r.id)).toEqual([1, 2]);
    expect(next[0]!.unreadCount).toBe(1);
    expect(next[0]!.lastMessage?.id).toBe(10);
  });

  it("does not count one's own messages, messages in the open room, or repeats", () => {
    const rooms = [room(1, { unreadCount: 0 })];
    const opts = { activeRoomId: null, myUserId: 1, isNew: true };
    expect(applyNewMessage(rooms, message(10, 1, 1), opts)[0]!.unreadCount).toBe(0);
    expect(applyNewMessage(rooms, message(10, 1), { ...opts, activeRoomId: 1 })[0]!.unreadCount).toBe(0);
    expect(applyNewMessage(rooms, message(10, 1), { ...opts, isNew: false })[0]!.unreadCount).toBe(0);
  });

  it("keeps the newest last message when an older one arrives late", () => {
    const rooms = [room(1, { lastMessage: message(20, 1) })];
    const next = applyNewMessage(rooms, message(15, 1), { activeRoomId: null, myUserId: 1, isNew: false });
    expect(next[0]!.lastMessage?.id).toBe(20);
  });

  it("updates a preview on edit or deletion, and marks a room read", () => {
    const rooms = [room(1, { lastMessage: message(20, 1), unreadCount: 3 })];
    const edited = applyChangedMessage(rooms, { ...message(20, 1), deleted: true });
    expect(previewText(edited[0]!.lastMessage)).toBe("Message deleted");
    expect(markRead(edited, 1)[0]!.unreadCount).toBe(0);
  });

  it("upserts without losing fields the update lacks", () => {
    const rooms = [room(1, { unreadCount: 4, isAdmin: true, lastMessage: message(3, 1) })];
    const next = upsertRoom(rooms, room(1, { name: "renamed" }));
    expect(next[0]).toMatchObject({ name: "renamed", unreadCount: 4, isAdmin: true });
    expect(upsertRoom(next, room(9)).map((r) => r.id)).toContain(9);
  });

  it("previews text on one line", () => {
    expect(previewText(null)).toBe("No messages yet");
    expect(previewText({ ...message(1, 1), body: { text: "a\n\nb  c" } })).toBe("a b c");
  });
});

describe("room details after membership events", () => {
  const member = (userId: number, isAdmin = false) => ({ userId, username: `u${userId}`, displayName: `User ${userId}`, isAdmin });
  const details = room(1, { isAdmin: true, members: [member(1, true), member(2)] });

  it("adds a member once, updates one in place and removes one, leaving the others", () => {
    const added = applyMemberChange(details, { type: "added", member: member(3) });
    expect(added.members!.map((m) => m.userId)).toEqual([1, 2, 3]);
    expect(applyMemberChange(added, { type: "added", member: member(3) }).members).toHaveLength(3);
    const promoted = applyMemberChange(added, { type: "updated", member: member(2, true) });
    expect(promoted.members!.find((m) => m.userId === 2)!.isAdmin).toBe(true);
    expect(promoted.members!.find((m) => m.userId === 1)).toBe(details.members![0]);
    expect(applyMemberChange(promoted, { type: "removed", userId: 1 }).members!.map((m) => m.userId)).toEqual([2, 3]);
  });

  it("takes a room's new name and avatar but keeps its members and the caller's role", () => {
    const next = applyRoomFields(details, room(1, { name: "Renamed", avatarFileId: 7, modifiedAt: 99 }));
    expect(next).toMatchObject({ name: "Renamed", avatarFileId: 7, modifiedAt: 99, isAdmin: true });
    expect(next.members).toBe(details.members);
  });
});
