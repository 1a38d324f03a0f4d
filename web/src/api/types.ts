// Wire types of the REST API that the client uses (see docs/api.md).
// Socket.IO events and the chat DTOs come from the server's own event map.
export type {
  MessageDto,
  UserDto,
  RoomDto,
  RoomMemberDto,
  ErrorDto,
  InspectorRequestDto,
  ServerToClientEvents,
  ClientToServerEvents,
} from "../../../src/realtime/events.ts";
import { WEBHOOK_EVENTS as ALL_WEBHOOK_EVENTS } from "../../../src/webhooks/outgoing/events.ts";

/** The events a webhook can subscribe to in the form (the ping is sent on demand, whatever is chosen). */
export const WEBHOOK_EVENTS = ALL_WEBHOOK_EVENTS.filter(
  (e): e is Exclude<(typeof ALL_WEBHOOK_EVENTS)[number], "webhook.ping"> => e !== "webhook.ping",
);

export type HttpMethod = "POST" | "PUT" | "PATCH";
export type ContentType = "application/json" | "application/x-www-form-urlencoded";

export interface WebhookDto {
  id: number;
  roomId: number;
  name: string;
  url: string;
  events: string[];
  method: HttpMethod;
  contentType: ContentType;
  maxAttempts: number;
  enabled: boolean;
  disabledReason: string | null;
  verificationSignature: string;
  secret: string;
  headers: Record<string, string> | null;
  replyEnabled: boolean;
  /** With any, message.created and message.updated are sent only for a text with one of them. */
  triggerWords: string[];
  triggerMatch: TriggerMatch;
  circuit: CircuitDto;
  createdAt: number;
  /** Extensions: the newest delivery, and until when the previous secret still signs after a rotation. */
  lastDelivery?: { id: number; event: string; status: DeliveryStatus; createdAt: number } | null;
  previousSecretExpiresAt?: number | null;
}

export type WebhookInput = Partial<
  Omit<WebhookDto, "id" | "roomId" | "disabledReason" | "verificationSignature" | "createdAt" | "lastDelivery" | "previousSecretExpiresAt" | "circuit">
>;

export type TriggerMatch = "first_word" | "anywhere";

/** The webhook's circuit breaker: open, nothing is tried until openUntil; half_open, one trial in flight. */
export interface CircuitDto {
  state: "closed" | "open" | "half_open";
  failures: number;
  openUntil: number | null;
}

export interface DeliveryFilter {
  status?: DeliveryStatus;
  event?: string;
  before?: number;
  limit?: number;
}

/** The statuses a replay may pick (pending deliveries are still to be sent anyway). */
export type ReplayStatus = "failed" | "dead" | "succeeded";

export type DeliveryStatus = "pending" | "succeeded" | "failed" | "dead";

export interface DeliveryDto {
  id: number;
  webhookId: number;
  eventId: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  createdAt: number;
  completedAt: number | null;
  /** Optional extension: duration of the last attempt. */
  lastDurationMs?: number | null;
}

export interface AttemptDto {
  number: number;
  startedAt: number;
  durationMs: number | null;
  requestHeaders: Record<string, string | string[]>;
  requestBody: string;
  responseStatus: number | null;
  responseHeaders: Record<string, string | string[]> | null;
  responseBody: string | null;
  error: string | null;
}

export type IncomingVerification = "api_key" | "hmac_sha256_base64" | "hmac_sha256_hex";

export interface IncomingWebhookDto {
  id: number;
  name: string;
  url: string;
  verification: IncomingVerification;
  apiKey?: string;
  secret?: string;
  /** Extension: a paused hook refuses calls with 403. */
  enabled?: boolean;
  /** Mustache over the request's JSON; null: Slack's text rule. */
  template?: string | null;
  createdAt?: number;
}

/** One entry of an incoming hook's request log (keys and signatures already redacted by the server). */
export interface HookRequestDto {
  id: number;
  at: number;
  status: number;
  outcome: "posted" | "rejected";
  reason: string | null;
  headers: Record<string, string | string[]>;
  /** The first 4,096 bytes; null when they are not UTF-8 (then bodyBase64). */
  body: string | null;
  bodyBase64?: string;
  size: number;
  bodyTruncated: boolean;
  messageId: number | null;
}

export interface BinDto {
  id: string;
  url: string;
  createdAt?: number;
}

export interface SignatureCheck {
  valid: boolean;
  reason?: string;
}

export interface VerifyResult {
  standardWebhooks: SignatureCheck;
  xSignature: SignatureCheck;
}
