// Rooms and their members: the DTOs, and the create, rename and membership requests.
import { z } from "zod";
import { messageDto } from "./messages.ts";
import { count, epochMs, id, idOut, jsonId } from "./primitives.ts";

export const roomMemberDto = z.object({
  userId: idOut,
  username: z.string(),
  displayName: z.string(),
  isAdmin: z.boolean(),
});
export type RoomMemberDto = z.output<typeof roomMemberDto>;

export const roomDto = z.object({
  id: idOut,
  name: z.string(),
  avatarFileId: z.number().int().nullable(),
  createdAt: epochMs,
  modifiedAt: epochMs,
  /** Whether the caller is an admin of the room. */
  isAdmin: z.boolean().optional(),
  /** GET /api/rooms/:roomId and the answers of changes: longest-standing first. */
  members: z.array(roomMemberDto).optional(),
  /** GET /api/rooms: the newest message, and the caller's unseen ones. */
  lastMessage: messageDto.nullable().optional(),
  unreadCount: count.optional(),
});
export type RoomDto = z.output<typeof roomDto>;

export const roomParams = z.object({ roomId: id });
export const memberParams = z.object({ roomId: id, userId: id });

const roomName = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

export const createRoomBody = z.object({
  name: roomName,
  memberIds: z.array(jsonId).max(1000, "at most 1,000 (add more one by one)").optional(),
});

export const updateRoomBody = z
  .object({ name: roomName.optional(), avatarFileId: jsonId.nullable().optional() })
  .refine((b) => b.name !== undefined || b.avatarFileId !== undefined, {
    message: "give name or avatarFileId",
  });

export const addMemberBody = z.object({ userId: jsonId, isAdmin: z.boolean().optional() });
export const updateMemberBody = z.object({ isAdmin: z.boolean() });

export const roomResponse = z.object({ room: roomDto });
export const roomsResponse = z.object({ rooms: z.array(roomDto) });
/** Membership changes answer the member that changed and the room with its members. */
export const memberResponse = z.object({ member: roomMemberDto, room: roomDto });
