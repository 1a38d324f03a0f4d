// Outgoing webhooks' settings: the webhook as its room's admins see it, and the create, update
// and replay requests. The custom-header rules live here because they are part of the request's
// validity: a header the sender owns cannot be overridden.
import { z } from "zod";
import {
  CIRCUIT_STATES,
  DELIVERY_STATUSES,
  GIVEN_SECRET_PATTERN,
  MAX_CUSTOM_HEADERS,
  MAX_HEADER_VALUE_LENGTH,
  MAX_TRIGGER_WORD_LENGTH,
  MAX_TRIGGER_WORDS,
  REPLAY_STATUSES,
  TRIGGER_MATCHES,
  WEBHOOK_CONTENT_TYPES,
  WEBHOOK_EVENTS,
  WEBHOOK_METHODS,
} from "./enums.ts";
import { count, epochMs, id, idOut } from "./primitives.ts";

export const circuitDto = z.object({
  state: z.enum(CIRCUIT_STATES),
  failures: count.meta({ description: "failed attempts in a row" }),
  openUntil: epochMs.nullable().meta({ description: "null unless the circuit is open" }),
});
export type CircuitDto = z.output<typeof circuitDto>;

/** The newest delivery of a webhook (extension, for the settings list). */
export const lastDeliveryDto = z.object({ id: idOut, event: z.string(), status: z.enum(DELIVERY_STATUSES), createdAt: epochMs });
export type LastDeliveryDto = z.output<typeof lastDeliveryDto>;

export const webhookDto = z.object({
  id: idOut,
  roomId: idOut,
  name: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  method: z.enum(WEBHOOK_METHODS),
  contentType: z.enum(WEBHOOK_CONTENT_TYPES),
  maxAttempts: z.number().int().min(1).max(20),
  enabled: z.boolean(),
  disabledReason: z.string().nullable(),
  verificationSignature: z.string().meta({ description: "16 random alphanumeric characters, sent as `Verification-Signature`" }),
  secret: z.string().meta({ description: "the signing secret (`whsec_` + base64 when made by the server)" }),
  headers: z.record(z.string(), z.string()),
  replyEnabled: z.boolean(),
  triggerWords: z.array(z.string()),
  triggerMatch: z.enum(TRIGGER_MATCHES),
  circuit: circuitDto,
  createdAt: epochMs,
  // Extensions beyond the contract:
  updatedAt: epochMs,
  botUserId: idOut.meta({ description: "the user that posts the webhook's replies and notices" }),
  previousSecretExpiresAt: epochMs.nullable().meta({ description: "until then the previous secret still signs too (after a rotation)" }),
  lastDelivery: lastDeliveryDto.nullable(),
});
export type WebhookDto = z.output<typeof webhookDto>;

export const webhookParams = z.object({ roomId: id, webhookId: id });

/**
 * Headers the sender owns (the contract's wire format) or that would break the request framing:
 * a custom header may not set them, in any letter case.
 */
const RESERVED_HEADERS = new Set([
  "content-type",
  "content-length",
  "verification-signature",
  "x-signature",
  "x-webhook-event",
  "user-agent",
  "host",
  "transfer-encoding",
  "connection",
  "keep-alive",
  "upgrade",
  "te",
  "trailer",
  "expect",
  "proxy-connection",
]);

export function isReservedHeader(name: string): boolean {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || lower.startsWith("webhook-");
}

// RFC 9110 token characters; values as Node's http module accepts them (no CR, LF or NUL).
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const HEADER_VALUE = /^[\t\x20-\x7E\x80-\xFF]*$/;

const headerRecord = z
  .record(z.string(), z.string({ error: "must be a string" }))
  .superRefine((headers, ctx) => {
    const names = Object.keys(headers);
    if (names.length > MAX_CUSTOM_HEADERS) {
      ctx.addIssue({ code: "custom", message: `at most ${MAX_CUSTOM_HEADERS} headers` });
    }
    const seen = new Set<string>();
    for (const name of names) {
      const value = headers[name]!;
      const issue = (message: string) => ctx.addIssue({ code: "custom", path: [name], message });
      if (!HEADER_NAME.test(name)) issue("is not a valid header name");
      else if (isReservedHeader(name)) issue("is set by the server and cannot be overridden");
      else if (seen.has(name.toLowerCase())) issue("is given twice (header names ignore case)");
      if (!HEADER_VALUE.test(value)) issue("value holds characters not allowed in a header");
      else if (value.length > MAX_HEADER_VALUE_LENGTH) issue(`value must be at most ${MAX_HEADER_VALUE_LENGTH} characters`);
      seen.add(name.toLowerCase());
    }
  });

// JSON.parse makes "__proto__" an own key; copied into the parsed record it would set the
// prototype instead and vanish unseen, so it is refused while the raw object still has it.
const customHeaders = z.preprocess((value, ctx) => {
  if (value !== null && typeof value === "object" && Object.hasOwn(value, "__proto__")) {
    ctx.addIssue({ code: "custom", path: ["__proto__"], message: "is not a valid header name" });
  }
  return value;
}, headerRecord);

export const webhookUrl = z
  .string({ error: "must be a string" })
  .trim()
  .max(2048, "must be at most 2048 characters")
  .refine((value) => {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return false;
    }
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  }, "must be an http or https URL with a host");

const name = z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters");

const events = z
  .array(z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(", ")}` }))
  .min(1, "must name at least one event")
  .transform((list) => [...new Set(list)]);

// A trigger word is compared with the words of a text, which whitespace separates: one holding
// whitespace could never match, so it is refused rather than kept silently useless.
const triggerWords = z
  .array(
    z
      .string({ error: "must be a string" })
      .trim()
      .min(1, "must not be empty")
      .max(MAX_TRIGGER_WORD_LENGTH, `must be at most ${MAX_TRIGGER_WORD_LENGTH} characters`)
      .regex(/^\S+$/u, "must be one word (no spaces)"),
    { error: "must be an array of words" },
  )
  .max(MAX_TRIGGER_WORDS, `at most ${MAX_TRIGGER_WORDS} words`)
  .transform((words) => {
    const seen = new Set<string>();
    return words.filter((w) => !seen.has(w.toLowerCase()) && seen.add(w.toLowerCase()));
  });

const fields = {
  url: webhookUrl,
  name,
  events,
  method: z.enum(WEBHOOK_METHODS, { error: `must be one of ${WEBHOOK_METHODS.join(", ")}` }),
  contentType: z.enum(WEBHOOK_CONTENT_TYPES, { error: `must be one of ${WEBHOOK_CONTENT_TYPES.join(", ")}` }),
  maxAttempts: z.number({ error: "must be a whole number from 1 to 20" }).int("must be a whole number").min(1, "must be at least 1").max(20, "must be at most 20"),
  enabled: z.boolean({ error: "must be true or false" }),
  secret: z
    .string({ error: "must be a string" })
    .regex(GIVEN_SECRET_PATTERN, "must be 16 to 128 printable ASCII characters without spaces"),
  headers: customHeaders,
  replyEnabled: z.boolean({ error: "must be true or false" }),
  triggerWords,
  triggerMatch: z.enum(TRIGGER_MATCHES, { error: `must be one of ${TRIGGER_MATCHES.join(", ")}` }),
};

export const createWebhookBody = z.object({
  url: fields.url,
  name: fields.name.optional(),
  events: fields.events.default(["message.created"]),
  method: fields.method.default("POST"),
  contentType: fields.contentType.default("application/json"),
  maxAttempts: fields.maxAttempts.default(8),
  enabled: fields.enabled.default(true),
  secret: fields.secret.optional(),
  headers: fields.headers.default({}),
  replyEnabled: fields.replyEnabled.default(false),
  triggerWords: fields.triggerWords.default([]),
  triggerMatch: fields.triggerMatch.default("first_word"),
});

export const updateWebhookBody = z
  .object({
    url: fields.url.optional(),
    name: fields.name.optional(),
    events: fields.events.optional(),
    method: fields.method.optional(),
    contentType: fields.contentType.optional(),
    maxAttempts: fields.maxAttempts.optional(),
    enabled: fields.enabled.optional(),
    secret: fields.secret.optional(),
    headers: fields.headers.optional(),
    replyEnabled: fields.replyEnabled.optional(),
    triggerWords: fields.triggerWords.optional(),
    triggerMatch: fields.triggerMatch.optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: "give at least one field to change" });

export const replayBody = z.object({
  since: z
    .number({ error: "must be a time in epoch milliseconds" })
    .int("must be a whole number of milliseconds")
    .min(0, "must not be negative")
    .max(8.64e15, "must be a valid time"),
  statuses: z
    .array(z.enum(REPLAY_STATUSES, { error: `must be one of ${REPLAY_STATUSES.join(", ")}` }), { error: "must be an array of statuses" })
    .min(1, "must name at least one status")
    .transform((list) => [...new Set(list)])
    .default(["dead"]),
});

export type CreateWebhookInput = z.output<typeof createWebhookBody>;
export type UpdateWebhookInput = z.output<typeof updateWebhookBody>;
export type ReplayInput = z.output<typeof replayBody>;
/** What a form sends (before defaults): every field of a create, all optional. */
export type WebhookInput = z.input<typeof updateWebhookBody>;

export const webhookResponse = z.object({ webhook: webhookDto });
export const webhooksResponse = z.object({ webhooks: z.array(webhookDto) });
export const replayResponse = z.object({ count: count.meta({ description: "redeliveries queued (preview: that would be queued)" }) });
