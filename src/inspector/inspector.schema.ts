import { z } from "zod";
import { id } from "../http/validate.ts";

/** Bin ids are nanoids; anything else cannot name a bin (404, not 400: nothing to validate for a guesser). */
export const binId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
export const binParams = z.object({ binId });
export const requestParams = z.object({ binId, requestId: id });

export const verifyBody = z.object({
  secret: z.string().min(1, "is required").max(1024, "must be at most 1,024 characters"),
});
