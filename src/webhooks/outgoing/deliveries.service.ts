// The delivery log of one webhook: list with status and event filters and paging, one delivery with
// its attempts (and the webhook's circuit, which decides when a due delivery is next tried), and
// redeliver (a new delivery of the same event, so the same webhook-id).
import { Prisma, type Db, type Tx } from "../../db/client.ts";
import { prismaTransaction } from "../../db/transaction.ts";
import type { Events } from "../../events/domain-events.ts";
import { conflict, notFound } from "../../http/errors.ts";
import { deliverySelect, presentAttempt, presentDelivery, presentDeliveryDetail, type DeliveryDto } from "./deliveries.presenter.ts";
import { presentCircuit } from "./circuit.ts";
import { requireRoomWebhook } from "./webhooks.policy.ts";
import type { DeliveriesQuery } from "./webhooks.schema.ts";

export interface DeliveryDeps {
  db: Db;
  bus: Events;
}

/** After commit: wake the dispatcher and tell the room's admins' screens. */
export function announceNewDelivery(bus: Events, roomId: number, delivery: DeliveryDto): void {
  bus.publish("outbox.enqueued", { webhookIds: [delivery.webhookId] });
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

/** Ids per statement in lastAttemptDurations: a page (at most 100) is one query; a mass kill a few. */
const DURATION_LOOKUP_CHUNK = 500;

/**
 * The `durationMs` of each delivery's last attempt (highest number, as the detail view orders them),
 * in one query for up to DURATION_LOOKUP_CHUNK deliveries; deliveries without an attempt are absent.
 */
export async function lastAttemptDurations(db: Db | Tx, deliveryIds: readonly number[]): Promise<Map<number, number>> {
  const durations = new Map<number, number>();
  const ids = [...new Set(deliveryIds)];
  for (let i = 0; i < ids.length; i += DURATION_LOOKUP_CHUNK) {
    // Plain SQL both SQLite and PostgreSQL run; the (deliveryId, number) index serves it.
    const rows = await db.$queryRaw<{ deliveryId: number | bigint; durationMs: number | bigint }[]>(Prisma.sql`
      SELECT "deliveryId", "durationMs" FROM (
        SELECT a."deliveryId", a."durationMs",
          ROW_NUMBER() OVER (PARTITION BY a."deliveryId" ORDER BY a."number" DESC, a."id" DESC) AS "rn"
        FROM "WebhookAttempt" a
        WHERE a."deliveryId" IN (${Prisma.join(ids.slice(i, i + DURATION_LOOKUP_CHUNK))})
      ) t WHERE "rn" = 1`);
    for (const r of rows) durations.set(Number(r.deliveryId), Number(r.durationMs));
  }
  return durations;
}

export async function listDeliveries(deps: DeliveryDeps, userId: number, roomId: number, webhookId: number, q: DeliveriesQuery) {
  await requireRoomWebhook(deps.db, userId, roomId, webhookId);
  const rows = await deps.db.webhookDelivery.findMany({
    where: {
      webhookId,
      ...(q.status ? { status: q.status } : {}),
      ...(q.event ? { event: q.event } : {}),
      ...(q.before ? { id: { lt: q.before } } : {}),
    },
    select: deliverySelect,
    orderBy: { id: "desc" },
    take: q.limit,
  });
  // A delivery with no attempt has nothing to look up.
  const durations = await lastAttemptDurations(deps.db, rows.filter((d) => d.attempts > 0).map((d) => d.id));
  return { deliveries: rows.map((d) => presentDelivery({ ...d, durationMs: durations.get(d.id) ?? null })) };
}

async function findDelivery(db: Db | Tx, webhookId: number, deliveryId: number) {
  const row = await db.webhookDelivery.findFirst({ where: { id: deliveryId, webhookId } });
  if (!row) throw notFound("Delivery");
  return row;
}

export async function getDelivery(deps: DeliveryDeps, userId: number, roomId: number, webhookId: number, deliveryId: number) {
  const webhook = await requireRoomWebhook(deps.db, userId, roomId, webhookId);
  const row = await findDelivery(deps.db, webhookId, deliveryId);
  const attempts = await deps.db.webhookAttempt.findMany({
    where: { deliveryId },
    orderBy: [{ number: "asc" }, { id: "asc" }],
  });
  const durationMs = attempts.at(-1)?.durationMs ?? null;
  return {
    delivery: presentDeliveryDetail({ ...row, durationMs }),
    attempts: attempts.map((a) => presentAttempt(a, row.payload)),
    // Extension: a due delivery of a webhook whose circuit is open waits for it (openUntil).
    circuit: presentCircuit({ state: webhook.circuitState, failures: webhook.circuitFailures, openUntil: webhook.circuitOpenUntil }),
  };
}

export async function redeliver(deps: DeliveryDeps, userId: number, roomId: number, webhookId: number, deliveryId: number) {
  return queueDelivery(deps, userId, roomId, webhookId, async (tx) => {
    const original = await findDelivery(tx, webhookId, deliveryId);
    return { eventId: original.eventId, event: original.event, payload: original.payload };
  });
}

type WebhookRow = Awaited<ReturnType<typeof requireRoomWebhook>>;

/**
 * Queues one delivery for an enabled webhook of the room (a redelivery, a test ping) and wakes
 * the dispatcher: the admin check, the row and the live event, in one place.
 */
export async function queueDelivery(
  deps: DeliveryDeps,
  userId: number,
  roomId: number,
  webhookId: number,
  what: (tx: Tx, webhook: WebhookRow, now: Date) => Promise<{ eventId: string; event: string; payload: string }>,
) {
  const delivery = await prismaTransaction(deps, async (tx, after) => {
    const webhook = await requireRoomWebhook(tx, userId, roomId, webhookId);
    if (!webhook.enabled) throw disabledConflict(webhook);
    const now = new Date();
    const row = await tx.webhookDelivery.create({
      data: { webhookId, ...(await what(tx, webhook, now)), status: "pending", nextAttemptAt: now, createdAt: now },
      select: deliverySelect,
    });
    const delivery = presentDelivery({ ...row, durationMs: null });
    after.run(() => announceNewDelivery(deps.bus, roomId, delivery));
    return delivery;
  });
  return { delivery };
}
