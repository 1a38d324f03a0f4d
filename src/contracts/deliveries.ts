// The delivery log: deliveries of a webhook and their attempts, as the log shows them (times in
// epoch ms), and the log's query.
import { z } from "zod";
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from "./enums.ts";
import { count, digits, epochMs, headerMap, id, idOut } from "./primitives.ts";
import { circuitDto } from "./webhook-settings.ts";

export const deliveryDto = z.object({
  id: idOut,
  webhookId: idOut,
  eventId: z.string().meta({ description: "sent as `webhook-id`: the same on every retry and redelivery" }),
  event: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: count,
  nextAttemptAt: epochMs.nullable().meta({ description: "when the next attempt is due; null once final" }),
  lastStatusCode: z.number().int().nullable(),
  createdAt: epochMs,
  completedAt: epochMs.nullable(),
  /** Extension: how long the last attempt took (ms); null before the first attempt. */
  durationMs: count.nullable(),
});
export type DeliveryDto = z.output<typeof deliveryDto>;

export const attemptDto = z.object({
  number: z.number().int().min(1),
  startedAt: epochMs,
  durationMs: count,
  requestHeaders: headerMap,
  requestBody: z.string().meta({ description: "the exact body sent (JSON, or `payload=...` for form-encoded webhooks)" }),
  responseStatus: z.number().int().nullable(),
  responseHeaders: headerMap.nullable(),
  responseBody: z.string().nullable().meta({ description: "the first 4 KiB" }),
  error: z.string().nullable(),
});
export type AttemptDto = z.output<typeof attemptDto>;

/** One delivery with the body it sends (extension: the log can show it before the first attempt). */
export const deliveryDetailDto = deliveryDto.extend({ payload: z.unknown() });
export type DeliveryDetailDto = z.output<typeof deliveryDetailDto>;

export const deliveryParams = z.object({ roomId: id, webhookId: id, deliveryId: id });

export const deliveriesQuery = z.object({
  status: z.enum(DELIVERY_STATUSES, { error: `must be one of ${DELIVERY_STATUSES.join(", ")}` }).optional(),
  event: z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(", ")}` }).optional(),
  before: id.optional(),
  limit: digits(1, 100).default(50),
});
export type DeliveriesQuery = z.output<typeof deliveriesQuery>;
/** What a client puts in the query string. */
export type DeliveryFilter = { status?: DeliveriesQuery["status"]; event?: string; before?: number; limit?: number };

export const deliveryResponse = z.object({ delivery: deliveryDto });
export const deliveriesResponse = z.object({ deliveries: z.array(deliveryDto) });
export const deliveryDetailResponse = z.object({
  delivery: deliveryDetailDto,
  attempts: z.array(attemptDto).meta({ description: "oldest first" }),
  /** Extension: a due delivery of a webhook whose circuit is open waits for it (openUntil). */
  circuit: circuitDto,
});
