import { z } from "zod";
import { id } from "../../http/validate.ts";
import { GIVEN_SECRET_PATTERN } from "../outgoing/secrets.ts";
import { VERIFICATIONS } from "./hook-auth.ts";
import { templateProblem } from "./template.ts";

export const incomingListParams = z.object({ roomId: id });
export const incomingParams = z.object({ roomId: id, id });

const name = z.string().trim().min(1, "is required").max(64, "must be at most 64 characters");

/** A given key or secret: as an outgoing webhook's (16 to 128 printable ASCII characters). */
const secret = z
  .string()
  .regex(GIVEN_SECRET_PATTERN, "must be 16 to 128 printable ASCII characters, without spaces")
  .refine((s) => !s.startsWith("whsec_") || /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(s), "a whsec_ secret must be followed by base64");

/** A Mustache template, checked when it is saved (parsed, no partials, at most 4,000 characters). */
export const template = z.string({ error: "must be a string, or null" }).superRefine((t, ctx) => {
  const problem = templateProblem(t);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const createIncomingBody = z.object({
  name,
  verification: z.enum(VERIFICATIONS).default("api_key"),
  secret: secret.optional(),
  template: template.nullable().optional(),
});

export const updateIncomingBody = z
  .object({ name: name.optional(), enabled: z.boolean().optional(), template: template.nullable().optional() })
  .refine((b) => b.name !== undefined || b.enabled !== undefined || b.template !== undefined, { message: "give name, enabled or template" });

/** `template`: absent for the hook's own, null for none (Slack's rule); `body`: absent for the hook's last request. */
export const previewBody = z.object({
  template: template.nullable().optional(),
  body: z.unknown().optional(),
});

/** `/api/hooks/:hookId`: anything but a positive integer id is an unknown hook. */
export const hookParams = z.object({ hookId: id });
