// The dispatcher's queue operations on the outbox table, each one statement whatever the batch size:
// claim due deliveries under a lease, renew or release leases, count the queue.
import type { Db } from "../../db/client.ts";
import type { ClaimArgs, OutboxSql } from "./outbox-sql.ts";
import type { DeliveryRow } from "./deliveries.presenter.ts";

/** The columns of a delivery row that a claim returns. */
export type ClaimedDelivery = Pick<DeliveryRow, "id" | "webhookId" | "eventId" | "event" | "payload" | "status" | "attempts" | "createdAt">;

export type ClaimOptions = ClaimArgs;

/**
 * Leases due deliveries (pending or failed, nextAttemptAt reached, no live lease) in id order.
 * Per webhook the rows claimed are always the first due ones, so a lane never gets a later
 * delivery before an earlier due one. Returned in id order.
 */
export async function claimDueDeliveries(db: Db, sql: OutboxSql, o: ClaimOptions): Promise<ClaimedDelivery[]> {
  if (o.limit <= 0) return [];
  // In a transaction of its own. SQLite: the adapter runs a plain statement on its one connection
  // even while another request's transaction is open, so outside one the claim could see (and
  // lease) outbox rows not committed yet, or be rolled back with them. PostgreSQL: the row locks.
  const [rows] = await db.$transaction([db.$queryRawUnsafe<ClaimedDelivery[]>(sql.claim.sql, ...sql.claim.args(o))]);
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
  await db.$transaction([
    db.webhookDelivery.updateMany({
      where: { id: { in: [...ids] }, status: { in: ["pending", "failed"] }, leaseUntil: { not: null } },
      data: { leaseUntil },
    }),
  ]);
}

/** Gives claims back unsent (shutdown): they are due again at once, for this or another process. */
export async function releaseLeases(db: Db, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.$transaction([
    db.webhookDelivery.updateMany({
      where: { id: { in: [...ids] }, status: { in: ["pending", "failed"] } },
      data: { leaseUntil: null },
    }),
  ]);
}

/** Deliveries not yet final: due now or waiting for a retry (the webhook_queue_depth gauge). */
export function countOpenDeliveries(db: Db): Promise<number> {
  return db.webhookDelivery.count({ where: { status: { in: ["pending", "failed"] } } });
}
