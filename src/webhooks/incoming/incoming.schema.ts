import { z } from "zod";
import { id } from "../../http/validate.ts";
import { GIVEN_SECRET_PATTERN } from "../outgoing/secrets.ts";
import { VERIFICATIONS } from "./hook-auth.ts";

export const incomingListParams = z.object({ roomId: id });
export const incomingParams = z.object({ roomId: id, id });

const name = z.string().trim().min(1, "is required").max(64, "must be at most 64 characters");

/** A given key or secret: as an outgoing webhook's (16 to 128 printable ASCII characters). */
const secret = z
  .string()
  .regex(GIVEN_SECRET_PATTERN, "must be 16 to 128 printable ASCII characters, without spaces")
  .refine((s) => !s.startsWith("whsec_") || /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(s), "a whsec_ secret must be followed by base64");

export const createIncomingBody = z.object({
  name,
  verification: z.enum(VERIFICATIONS).default("api_key"),
  secret: secret.optional(),
});

export const updateIncomingBody = z
  .object({ name: name.optional(), enabled: z.boolean().optional() })
  .refine((b) => b.name !== undefined || b.enabled !== undefined, { message: "give name or enabled" });

/** `/api/hooks/:hookId`: anything but a positive integer id is an unknown hook. */
export const hookParams = z.object({ hookId: id });

/** What a caller posts (Slack's shape): `{"text": ...}`; other fields are ignored. */
export const hookPostBody = z.object({
  text: z
    .string({ error: "is required (a string)" })
    .min(1, "must be 1 to 10,000 characters")
    .max(10_000, "must be 1 to 10,000 characters")
    .refine((t) => t.trim().length > 0, "must not be blank"),
});
