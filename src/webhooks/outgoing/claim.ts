// The dispatcher's queue operations on the outbox table, each one statement whatever the batch size:
// claim due deliveries under a lease, renew or release leases, count the queue.
// SQLite SQL (UPDATE ... RETURNING, window functions, json_each); PostgreSQL would claim with
// FOR UPDATE SKIP LOCKED and needs its own version of claimDueDeliveries.
import type { Db } from "../../db/client.ts";

export interface ClaimedDelivery {
  id: number;
  webhookId: number;
  eventId: string;
  event: string;
  payload: string;
  status: string;
  attempts: number;
  createdAt: Date;
}

export interface ClaimOptions {
  now: Date;
  leaseUntil: Date;
  /** At most this many rows in all. */
  limit: number;
  /** At most this many rows of one webhook (the first ones in event order). */
  perWebhook: number;
  /** Webhooks whose lanes are full: nothing of theirs is claimed. */
  skipWebhookIds: readonly number[];
}

/**
 * Leases due deliveries (pending or failed, nextAttemptAt reached, no live lease) in id order.
 * Per webhook the rows claimed are always the first due ones, so a lane never gets a later
 * delivery before an earlier due one. Returned in id order.
 */
export async function claimDueDeliveries(db: Db, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  if (o.limit <= 0) return [];
  const rows = await db.$queryRawUnsafe<ClaimedDelivery[]>(
    `UPDATE "WebhookDelivery" SET "leaseUntil" = ?
     WHERE "id" IN (
       SELECT "id" FROM (
         SELECT d."id" AS "id", ROW_NUMBER() OVER (PARTITION BY d."webhookId" ORDER BY d."id") AS "rn"
         FROM "WebhookDelivery" d
         WHERE d."status" IN ('pending', 'failed')
           AND d."nextAttemptAt" <= ?
           AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= ?)
           AND d."webhookId" NOT IN (SELECT value FROM json_each(?))
       ) WHERE "rn" <= ? ORDER BY "id" LIMIT ?
     )
     RETURNING "id", "webhookId", "eventId", "event", "payload", "status", "attempts", "createdAt"`,
    o.leaseUntil,
    o.now,
    o.now,
    JSON.stringify(o.skipWebhookIds),
    o.perWebhook,
    o.limit,
  );
  return rows.map(normalize).sort((a, b) => a.id - b.id);
}

// Raw rows: integers may come back as bigint, dates as Date objects (declared DATETIME columns).
function normalize(r: ClaimedDelivery): ClaimedDelivery {
  return {
    id: Number(r.id),
    webhookId: Number(r.webhookId),
    eventId: r.eventId,
    event: r.event,
    payload: r.payload,
    status: r.status,
    attempts: Number(r.attempts),
    createdAt: r.createdAt instanceof Date ? r.createdAt : new Date(r.createdAt as unknown as string),
  };
}

/** Extends the leases of deliveries still held (a record clears the lease, so a finished one is untouched). */
export async function renewLeases(db: Db, ids: readonly number[], leaseUntil: Date): Promise<void> {
  if (ids.length === 0) return;
  await db.webhookDelivery.updateMany({
    where: { id: { in: [...ids] }, status: { in: ["pending", "failed"] }, leaseUntil: { not: null } },
    data: { leaseUntil },
  });
}

/** Gives claims back unsent (shutdown): they are due again at once, for this or another process. */
export async function releaseLeases(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.webhookDelivery.updateMany({
    where: { id: { in: [...ids] }, status: { in: ["pending", "failed"] } },
    data: { leaseUntil: null },
  });
}

/** Deliveries not yet final: due now or waiting for a retry (the webhook_queue_depth gauge). */
export function countOpenDeliveries(db: Db): Promise<number> {
  return db.webhookDelivery.count({ where: { status: { in: ["pending", "failed"] } } });
}
