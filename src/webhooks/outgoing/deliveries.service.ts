// The delivery log of one webhook: list with a status filter and paging, one delivery with its
// attempts, and redeliver (a new delivery of the same event, so the same webhook-id).
import { transaction, type Db, type Tx } from "../../db/client.ts";
import type { Events } from "../../events/domain-events.ts";
import { conflict, notFound } from "../../http/errors.ts";
import { deliverySelect, presentAttempt, presentDelivery, presentDeliveryDetail, type DeliveryDto } from "./deliveries.presenter.ts";
import { requireRoomWebhook } from "./webhooks.policy.ts";
import type { DeliveriesQuery } from "./webhooks.schema.ts";

export interface DeliveryDeps {
  db: Db;
  bus: Events;
}

/** After commit: wake the dispatcher and tell the room's admins' screens. */
export function announceNewDelivery(bus: Events, roomId: number, delivery: DeliveryDto): void {
  bus.publish("outbox.enqueued", { count: 1 });
  bus.publish("webhook.delivery", { roomId, webhookId: delivery.webhookId, delivery });
}

export function disabledConflict(webhook: { disabledReason: string | null }) {
  const why = webhook.disabledReason ? ` (${webhook.disabledReason})` : "";
  return conflict(`This webhook is disabled${why}; enable it before sending to it`);
}

/** Pending and failed deliveries of a webhook that is deleted or disabled will never be sent: they die. */
export function killOpenDeliveries(tx: Tx, webhookId: number, now: Date) {
  return tx.webhookDelivery.updateMany({
    where: { webhookId, status: { in: ["pending", "failed"] } },
    data: { status: "dead", completedAt: now, leaseUntil: null },
  });
}

export async function listDeliveries(deps: DeliveryDeps, userId: number, roomId: number, webhookId: number, q: DeliveriesQuery) {
  await requireRoomWebhook(deps.db, userId, roomId, webhookId);
  const rows = await deps.db.webhookDelivery.findMany({
    where: {
      webhookId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.before ? { id: { lt: q.before } } : {}),
    },
    select: deliverySelect,
    orderBy: { id: "desc" },
    take: q.limit,
  });
  return { deliveries: rows.map(presentDelivery) };
}

async function findDelivery(db: Db | Tx, webhookId: number, deliveryId: number) {
  const row = await db.webhookDelivery.findFirst({ where: { id: deliveryId, webhookId } });
  if (!row) throw notFound("Delivery");
  return row;
}

export async function getDelivery(deps: DeliveryDeps, userId: number, roomId: number, webhookId: number, deliveryId: number) {
  await requireRoomWebhook(deps.db, userId, roomId, webhookId);
  const row = await findDelivery(deps.db, webhookId, deliveryId);
  const attempts = await deps.db.webhookAttempt.findMany({
    where: { deliveryId },
    orderBy: [{ number: "asc" }, { id: "asc" }],
  });
  return { delivery: presentDeliveryDetail(row), attempts: attempts.map(presentAttempt) };
}

export async function redeliver(deps: DeliveryDeps, userId: number, roomId: number, webhookId: number, deliveryId: number) {
  const delivery = await transaction(deps.db, async (tx) => {
    const webhook = await requireRoomWebhook(tx, userId, roomId, webhookId);
    if (!webhook.enabled) throw disabledConflict(webhook);
    const original = await findDelivery(tx, webhookId, deliveryId);
    const now = new Date();
    const row = await tx.webhookDelivery.create({
      data: {
        webhookId,
        eventId: original.eventId,
        event: original.event,
        payload: original.payload,
        status: "pending",
        nextAttemptAt: now,
        createdAt: now,
      },
      select: deliverySelect,
    });
    return presentDelivery(row);
  });
  announceNewDelivery(deps.bus, roomId, delivery);
  return { delivery };
}
