// Deliveries and attempts as the delivery log shows them: times in epoch ms, JSON columns parsed.
import type { DeliveryStatus } from "./webhooks.schema.ts";

export type DeliveryRow = {
  id: number;
  webhookId: number;
  eventId: string;
  event: string;
  payload: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  createdAt: Date;
  completedAt: Date | null;
};

export type AttemptRow = {
  number: number;
  startedAt: Date;
  durationMs: number;
  requestHeaders: string;
  /** Null when it is the delivery's payload byte for byte (stored once, with the delivery). */
  requestBody: string | null;
  responseStatus: number | null;
  responseHeaders: string | null;
  responseBody: string | null;
  error: string | null;
};

export interface DeliveryDto {
  id: number;
  webhookId: number;
  eventId: string;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the next attempt is due; null once the delivery is final (succeeded or dead). */
  nextAttemptAt: number | null;
  lastStatusCode: number | null;
  createdAt: number;
  completedAt: number | null;
  /** Extension: how long the last attempt took (ms, as its `durationMs`); null before the first attempt. */
  durationMs: number | null;
}

/** What a delivery is presented from: its row and the duration of its last attempt (null if none). */
export type PresentableDelivery = Omit<DeliveryRow, "payload"> & { durationMs: number | null };

export interface AttemptDto {
  number: number;
  startedAt: number;
  durationMs: number;
  requestHeaders: Record<string, unknown>;
  /** The exact body sent (JSON, or `payload=...` for form-encoded webhooks), as text. */
  requestBody: string;
  responseStatus: number | null;
  responseHeaders: Record<string, unknown> | null;
  responseBody: string | null;
  error: string | null;
}

const isFinal = (status: string) => status === "succeeded" || status === "dead";

export function presentDelivery(d: PresentableDelivery): DeliveryDto {
  return {
    id: d.id,
    webhookId: d.webhookId,
    eventId: d.eventId,
    event: d.event,
    status: d.status as DeliveryStatus,
    attempts: d.attempts,
    nextAttemptAt: isFinal(d.status) ? null : d.nextAttemptAt.getTime(),
    lastStatusCode: d.lastStatusCode,
    createdAt: d.createdAt.getTime(),
    completedAt: d.completedAt?.getTime() ?? null,
    durationMs: d.durationMs,
  };
}

/** One delivery with the body it sends (extension: the log can show it before the first attempt). */
export function presentDeliveryDetail(d: DeliveryRow & { durationMs: number | null }): DeliveryDto & { payload: unknown } {
  return { ...presentDelivery(d), payload: parseJson(d.payload) };
}

/** `payload`: the delivery's, which is what was sent when the attempt kept no body of its own. */
export function presentAttempt(a: AttemptRow, payload: string): AttemptDto {
  return {
    number: a.number,
    startedAt: a.startedAt.getTime(),
    durationMs: a.durationMs,
    requestHeaders: parseJsonObject(a.requestHeaders) ?? {},
    requestBody: a.requestBody ?? payload,
    responseStatus: a.responseStatus,
    responseHeaders: parseJsonObject(a.responseHeaders),
    responseBody: a.responseBody,
    error: a.error,
  };
}

/** Stored text that should be JSON; kept as text if it is not, so one odd row never breaks the log. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function parseJsonObject(text: string | null): Record<string, unknown> | null {
  if (text === null) return null;
  const value = parseJson(text);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : { raw: text };
}

export const deliverySelect = {
  id: true,
  webhookId: true,
  eventId: true,
  event: true,
  status: true,
  attempts: true,
  nextAttemptAt: true,
  lastStatusCode: true,
  createdAt: true,
  completedAt: true,
} as const;
