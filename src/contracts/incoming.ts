// Incoming webhooks: the hook as room admins see it (with its key or secret), its request log,
// the ready templates, and the create, update and preview requests. Whether a template is valid
// Mustache is checked by the server (it needs the renderer), on top of these rules.
import { z } from "zod";
import { GIVEN_SECRET_PATTERN, HOOK_REQUEST_OUTCOMES, MAX_TEMPLATE, VERIFICATIONS } from "./enums.ts";
import { count, epochMs, headerMap, id, idOut } from "./primitives.ts";

export const incomingWebhookDto = z.object({
  id: idOut,
  roomId: idOut,
  name: z.string(),
  url: z.string().meta({ description: "where to POST: <PUBLIC_URL>/api/hooks/<id>" }),
  verification: z.enum(VERIFICATIONS),
  /** api_key hooks: the key (`x-api-key` or `?token=`). */
  apiKey: z.string().optional(),
  /** HMAC hooks: the key of the body's HMAC. */
  secret: z.string().optional(),
  botUserId: idOut,
  enabled: z.boolean().meta({ description: "a paused hook refuses calls with 403" }),
  template: z.string().nullable().meta({ description: "Mustache over the request's JSON; null: Slack's text rule" }),
  createdAt: epochMs,
});
export type IncomingWebhookDto = z.output<typeof incomingWebhookDto>;

/** One entry of a hook's request log (keys and signatures redacted). */
export const hookRequestDto = z.object({
  id: idOut,
  at: epochMs,
  status: z.number().int().meta({ description: "the HTTP status answered" }),
  outcome: z.enum(HOOK_REQUEST_OUTCOMES),
  reason: z.string().nullable().meta({ description: "why it was rejected, in words; null when posted" }),
  headers: headerMap,
  body: z.string().nullable().meta({ description: "the first 4,096 bytes as text; null when not UTF-8 (then bodyBase64)" }),
  bodyBase64: z.string().optional(),
  size: count.meta({ description: "the whole body's size in bytes" }),
  bodyTruncated: z.boolean(),
  messageId: idOut.nullable(),
});
export type HookRequestDto = z.output<typeof hookRequestDto>;

export const templatePresetDto = z.object({
  id: z.string(),
  name: z.string(),
  hint: z.string().meta({ description: "what to set up on the tool's side" }),
  template: z.string(),
});
export type TemplatePreset = z.output<typeof templatePresetDto>;

export const incomingListParams = z.object({ roomId: id });
export const incomingParams = z.object({ roomId: id, id });
/** `/api/hooks/:hookId`: anything but a positive integer id is an unknown hook. */
export const hookParams = z.object({ hookId: id });

const name = z.string().trim().min(1, "is required").max(64, "must be at most 64 characters");

/** A given key or secret: as an outgoing webhook's (16 to 128 printable ASCII characters). */
const secret = z
  .string()
  .regex(GIVEN_SECRET_PATTERN, "must be 16 to 128 printable ASCII characters, without spaces")
  .refine((s) => !s.startsWith("whsec_") || /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(s), "a whsec_ secret must be followed by base64");

/** The shape of a template; the server adds its Mustache check (server's incoming.schema.ts). */
export const templateText = z.string({ error: "must be a string, or null" }).meta({
  description: `logic-less Mustache, at most ${MAX_TEMPLATE.toLocaleString("en")} characters, no partials; null removes it`,
  maxLength: MAX_TEMPLATE,
});

/** The request bodies, over a template field (the server passes its checked one). */
export function incomingBodies<T extends z.ZodType<string, string>>(template: T) {
  return {
    createIncomingBody: z.object({
      name,
      verification: z.enum(VERIFICATIONS).default("api_key"),
      secret: secret.optional(),
      template: template.nullable().optional(),
    }),
    updateIncomingBody: z
      .object({ name: name.optional(), enabled: z.boolean().optional(), template: template.nullable().optional() })
      .refine((b) => b.name !== undefined || b.enabled !== undefined || b.template !== undefined, { message: "give name, enabled or template" }),
    /** `template`: absent for the hook's own, null for none (Slack's rule); `body`: absent for the hook's last request. */
    previewBody: z.object({
      template: template.nullable().optional(),
      body: z.unknown().optional(),
    }),
  };
}

/** What a hook accepts: `{text}`, or Slack's shape (also as a form field `payload=<that JSON>`). */
export const hookPostBody = z.looseObject({
  text: z.string().optional(),
  attachments: z
    .array(z.looseObject({ pretext: z.string().optional(), title: z.string().optional(), text: z.string().optional(), fallback: z.string().optional() }))
    .optional(),
});

export const incomingWebhookResponse = z.object({ incomingWebhook: incomingWebhookDto });
export const incomingWebhooksResponse = z.object({ incomingWebhooks: z.array(incomingWebhookDto) });
export const hookRequestsResponse = z.object({ requests: z.array(hookRequestDto).meta({ description: "newest first, the last 100" }) });
export const previewResponse = z.object({ text: z.string() });
export const presetsResponse = z.object({ presets: z.array(templatePresetDto) });
