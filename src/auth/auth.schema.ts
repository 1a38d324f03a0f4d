import { z } from "zod";

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
