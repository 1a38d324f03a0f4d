// The transactional outbox: inside the transaction that makes a change, write one delivery row
// per enabled webhook of the room that subscribes to the event. The body is fixed here, so every
// attempt sends (and signs) the same bytes.
import { nanoid } from "nanoid";
import type { Tx } from "../../db/client.ts";
import type { WebhookEvent } from "./events.ts";

export interface OutboxEvent {
  event: WebhookEvent;
  roomId: number;
  data: unknown;
  /** When the event happened (ms); defaults to now. */
  at?: number;
}

export const newEventId = () => `msg_${nanoid(24)}`;

export function buildPayload(e: { event: string; at: number; data: unknown; verificationSignature: string }): string {
  return JSON.stringify({
    type: e.event,
    timestamp: e.at,
    data: e.data,
    headers: { "Content-Type": "application/json", "Verification-Signature": e.verificationSignature },
  });
}

/** What the outbox needs of a webhook; callers that already load the room can include it. */
export const outboxWebhooks = {
  where: { enabled: true, deletedAt: null },
  select: { id: true, events: true, verificationSignature: true },
} as const;
export type OutboxWebhook = { id: number; events: string; verificationSignature: string };

/**
 * Writes the deliveries of one event; returns how many. Call inside the change's transaction.
 * `webhooks`: the room's active webhooks when the caller loaded them already (saves a query).
 */
export async function enqueueWebhookDeliveries(tx: Tx, e: OutboxEvent, webhooks?: OutboxWebhook[]): Promise<number> {
  webhooks ??= await tx.webhook.findMany({ where: { roomId: e.roomId, ...outboxWebhooks.where }, select: outboxWebhooks.select });
  const subscribed = webhooks.filter((w) => (JSON.parse(w.events) as string[]).includes(e.event));
  if (subscribed.length === 0) return 0;
  const eventId = newEventId();
  const at = e.at ?? Date.now();
  await tx.webhookDelivery.createMany({
    data: subscribed.map((w) => ({
      webhookId: w.id,
      eventId,
      event: e.event,
      payload: buildPayload({ event: e.event, at, data: e.data, verificationSignature: w.verificationSignature }),
    })),
  });
  return subscribed.length;
}
