import { z } from "zod";
import { id, jsonId } from "../http/validate.ts";

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
