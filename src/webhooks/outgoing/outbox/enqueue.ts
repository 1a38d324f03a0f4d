// The transactional outbox: inside the transaction that makes a change, write one delivery row
// per enabled webhook of the room that subscribes to the event. The body is fixed here, so every
// attempt sends (and signs) the same bytes. Two entrances, one plan: the hot path (a new message)
// writes through SqlDb, the cold paths (membership, edits, deletions) inside their Prisma transaction.
import type { Tx } from "../../../db/client.ts";
import type { Events } from "../../../events/domain-events.ts";
import type { Queries } from "../../../db/sql.ts";
import { readTriggers, triggersAllow } from "../triggers.ts";
import { insertDelivery, type ClaimedDelivery, type NewDelivery, type OutboxLease } from "./outbox-sql.ts";
import { buildPayload, newEventId, type EventWithData } from "./payloads.ts";

/** An event to enqueue: its name with the data its builder made (event-payloads.ts). */
export type OutboxEvent = EventWithData & {
  roomId: number;
  /** When the event happened (ms); defaults to now. */
  at?: number;
  /** The message of a message.* event (its deliveries are scrubbed if it is deleted). */
  messageId?: number;
  /** The message's text, for message.* events: what trigger words are matched against. */
  text?: string;
};

/** What the outbox needs of a webhook; without trigger words (the columns' JSON and word) it gets every event it subscribes to. */
export type OutboxWebhook = { id: number; events: string; verificationSignature: string; triggerWords?: string; triggerMatch?: string };

/** The delivery rows of one event: one per webhook that subscribes to it (and whose trigger words it has). */
export function planDeliveries(webhooks: readonly OutboxWebhook[], e: OutboxEvent): NewDelivery[] {
  const subscribed = webhooks.filter(
    (w) => (JSON.parse(w.events) as string[]).includes(e.event) && triggersAllow(readTriggers(w.triggerWords ?? "[]", w.triggerMatch ?? "first_word"), e.event, e.text),
  );
  if (subscribed.length === 0) return [];
  const eventId = newEventId();
  const at = e.at ?? Date.now();
  const createdAt = new Date(at);
  return subscribed.map((w) => ({
    webhookId: w.id,
    eventId,
    event: e.event,
    payload: buildPayload({ ...e, at, verificationSignature: w.verificationSignature }),
    createdAt,
    messageId: e.messageId ?? null,
  }));
}

/**
 * Hot path: writes the deliveries of one event with prepared statements. With a `lease`, they are
 * written already leased to the dispatcher thread and handed to it after the commit (no claim).
 */
export async function enqueueDeliveries(
  q: Queries,
  webhooks: readonly OutboxWebhook[],
  e: OutboxEvent,
  lease?: OutboxLease,
): Promise<{ rows: NewDelivery[]; handed: ClaimedDelivery[] }> {
  const rows = planDeliveries(webhooks, e);
  const handed: ClaimedDelivery[] = [];
  for (const row of rows) {
    const id = (await q.get(insertDelivery, { ...row, lease }))!;
    if (lease) handed.push({ id, webhookId: row.webhookId, eventId: row.eventId, event: row.event, payload: row.payload, status: "pending", attempts: 0, createdAt: row.createdAt });
  }
  return { rows, handed };
}

/** Cold paths: writes the deliveries of one event inside a Prisma transaction; returns how many. */
export async function enqueueWebhookDeliveries(tx: Tx, e: OutboxEvent): Promise<NewDelivery[]> {
  const webhooks = await tx.webhook.findMany({
    where: { roomId: e.roomId, enabled: true, deletedAt: null },
    select: { id: true, events: true, verificationSignature: true, triggerWords: true, triggerMatch: true },
  });
  const rows = planDeliveries(webhooks, e);
  // At most 50 webhooks a room: one createMany stays far below SQLite's 999 bound values.
  if (rows.length) await tx.webhookDelivery.createMany({ data: rows.map((r) => ({ ...r, nextAttemptAt: r.createdAt })) });
  return rows;
}

/** After commit: wakes the dispatcher for the webhooks that got deliveries, handing it those leased to it. */
export function announceEnqueued(bus: Events, rows: readonly { webhookId: number }[], handed: ClaimedDelivery[] = []): void {
  if (rows.length) bus.publish("outbox.enqueued", { webhookIds: [...new Set(rows.map((r) => r.webhookId))], handed });
}
