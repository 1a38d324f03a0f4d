// The closed lists of the API (event names, statuses, methods, ...) and the limits a client can
// check before sending. Plain constants, no zod: the web client imports them at run time, and
// this file keeps zod out of its bundle.

/** Webhook event names of the contract (the `type` of every body a receiver gets). */
export const WEBHOOK_EVENTS = [
  "message.created",
  "message.updated",
  "message.deleted",
  "member.added",
  "member.removed",
  "room.updated",
  "webhook.ping",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** `pending` until the first attempt, `failed` while a retry is scheduled; `succeeded` and `dead` are final. */
export const DELIVERY_STATUSES = ["pending", "failed", "succeeded", "dead"] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** The statuses a replay may pick: pending deliveries are still to be sent anyway. */
export const REPLAY_STATUSES = ["failed", "dead", "succeeded"] as const;
export type ReplayStatus = (typeof REPLAY_STATUSES)[number];

export const WEBHOOK_METHODS = ["POST", "PUT", "PATCH"] as const;
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];

export const WEBHOOK_CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded"] as const;
export type WebhookContentType = (typeof WEBHOOK_CONTENT_TYPES)[number];

/** How an incoming hook checks its callers: an API key, or an HMAC-SHA256 of the body (base64 or hex). */
export const VERIFICATIONS = ["api_key", "hmac_sha256_base64", "hmac_sha256_hex"] as const;
export type Verification = (typeof VERIFICATIONS)[number];

/** A webhook's circuit breaker: open, nothing is tried until openUntil; half_open, one trial in flight. */
export const CIRCUIT_STATES = ["closed", "open", "half_open"] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

/** Where trigger words are looked for in a message's text. */
export const TRIGGER_MATCHES = ["first_word", "anywhere"] as const;
export type TriggerMatch = (typeof TRIGGER_MATCHES)[number];

/** What became of a request to an incoming hook. */
export const HOOK_REQUEST_OUTCOMES = ["posted", "rejected"] as const;
export type HookRequestOutcome = (typeof HOOK_REQUEST_OUTCOMES)[number];

/** The stable `code` of every error body, by status. */
export const ERROR_CODES = [
  "validation_failed",
  "bad_request",
  "unauthorized",
  "forbidden",
  "not_found",
  "conflict",
  "payload_too_large",
  "unsupported_media_type",
  "rate_limited",
  "internal",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const MAX_TRIGGER_WORDS = 50;
export const MAX_TRIGGER_WORD_LENGTH = 100;
export const MAX_CUSTOM_HEADERS = 20;
export const MAX_HEADER_VALUE_LENGTH = 4096;
/** Redeliveries one replay queues at most. */
export const MAX_REPLAY = 10_000;
export const MAX_TEMPLATE = 4_000;
export const MAX_MESSAGE_TEXT = 10_000;

/** A secret an admin gives (pasted from the receiver's side): 16 to 128 printable ASCII characters, no spaces. */
export const GIVEN_SECRET_PATTERN = /^[\x21-\x7E]{16,128}$/;
