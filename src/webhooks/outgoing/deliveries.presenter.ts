// Deliveries and attempts as the delivery log shows them: times in epoch ms, JSON columns parsed.
import type { DeliveryStatus } from "../../contracts/enums.ts";
import type { AttemptDto, DeliveryDetailDto, DeliveryDto } from "../../contracts/deliveries.ts";
import type { AttemptRow } from "./outbox/attempt-records-sql.ts";

export type { AttemptDto, DeliveryDto };

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

export type { AttemptRow };

/** What a delivery is presented from: its row and the duration of its last attempt (null if none). */
export type PresentableDelivery = Omit<DeliveryRow, "payload"> & { durationMs: number | null };

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
  } satisfies DeliveryDto;
}

/** One delivery with the body it sends (extension: the log can show it before the first attempt). */
export function presentDeliveryDetail(d: DeliveryRow & { durationMs: number | null }): DeliveryDetailDto {
  return { ...presentDelivery(d), payload: parseJson(d.payload) } satisfies DeliveryDetailDto;
}

/** `payload`: the delivery's, which is what was sent when the attempt kept no body of its own. */
export function presentAttempt(a: AttemptRow, payload: string): AttemptDto {
  return {
    number: a.number,
    startedAt: a.startedAt.getTime(),
    durationMs: a.durationMs,
    requestHeaders: parseHeaders(a.requestHeaders) ?? {},
    requestBody: a.requestBody ?? payload,
    responseStatus: a.responseStatus,
    responseHeaders: parseHeaders(a.responseHeaders),
    responseBody: a.responseBody,
    error: a.error,
  } satisfies AttemptDto;
}

/** Stored text that should be JSON; kept as text if it is not, so one odd row never breaks the log. */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Stored headers: an object of names to values (as recorded from the request or response); `{raw}` when unreadable. */
function parseHeaders(text: string | null): AttemptDto["requestHeaders"] | null {
  if (text === null) return null;
  const value = parseJson(text);
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as AttemptDto["requestHeaders"]) : { raw: text };
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
