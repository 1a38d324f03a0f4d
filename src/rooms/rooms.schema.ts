import { z } from "zod";
import { id } from "../http/validate.ts";

export const roomParams = z.object({ roomId: id });
export const memberParams = z.object({ roomId: id, userId: id });

const roomName = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

export const createRoomBody = z.object({
  name: roomName,
  memberIds: z.array(id).max(1000).optional(),
});

export const updateRoomBody = z
  .object({ name: roomName.optional(), avatarFileId: id.nullable().optional() })
  .refine((b) => b.name !== undefined || b.avatarFileId !== undefined, {
    message: "give name or avatarFileId",
  });

export const addMemberBody = z.object({ userId: id, isAdmin: z.boolean().optional() });
export const updateMemberBody = z.object({ isAdmin: z.boolean() });
