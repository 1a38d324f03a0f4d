// Users and auth: the public shape of a user (never a password hash) and the sign-up, login and
// search requests.
import { z } from "zod";
import { id, idOut } from "./primitives.ts";

export const userDto = z.object({
  id: idOut,
  username: z.string(),
  displayName: z.string(),
  avatarFileId: z.number().int().nullable(),
  /** Only present (true) for the bots that sign webhook and incoming-hook messages. */
  isBot: z.literal(true).optional(),
});
export type UserDto = z.output<typeof userDto>;

export const username = z
  .string()
  .min(3, "must be 3 to 32 characters")
  .max(32, "must be 3 to 32 characters")
  .regex(/^[a-z0-9_.-]+$/, "may hold only a-z, 0-9, _, . and -");

export const registerBody = z.object({
  username,
  password: z.string().min(8, "must be at least 8 characters").max(1024),
  displayName: z.string().trim().min(1, "is required").max(64),
});

export const loginBody = z.object({
  username: z.string().min(1, "is required").max(64),
  password: z.string().min(1, "is required").max(1024),
});

export const userSearchQuery = z.object({ search: z.string().max(64).optional() });
export const userParams = z.object({ userId: id });

export const authResponse = z.object({ user: userDto, token: z.string().meta({ description: "a JWT for `Authorization: Bearer`" }) });
export const userResponse = z.object({ user: userDto });
export const usersResponse = z.object({ users: z.array(userDto) });
