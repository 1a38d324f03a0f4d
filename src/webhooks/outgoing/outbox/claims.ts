// The dispatcher's queue operations on the outbox: claim due deliveries under a lease, renew or
// release leases, kill deliveries that will never be sent, find webhooks with due work, count.
import type { SqlDb } from "../../../db/sql.ts";
import {
  claimForWebhook,
  countOpen,
  dueWebhooks,
  lockForClaim,
  killByIds,
  killByWebhook,
  releaseLeases,
  renewLeases,
  type ClaimedDelivery,
  type KilledDelivery,
} from "./outbox-sql.ts";

export type { ClaimedDelivery, KilledDelivery };

export interface ClaimRequest {
  /** How many deliveries each webhook may take at most (its lane's free room). */
  wants: ReadonlyMap<number, number>;
  now: Date;
  leaseUntil: Date;
  owner: string;
}

/**
 * Leases the first due deliveries of each webhook (pending or failed, nextAttemptAt reached, no
 * live lease), in one transaction: per webhook always the earliest ones, so a lane never gets a
 * later delivery before an earlier due one. Returned in id order.
 */
export async function claimDue(sql: SqlDb, r: ClaimRequest): Promise<ClaimedDelivery[]> {
  const wants = [...r.wants].filter(([, limit]) => limit > 0);
  if (wants.length === 0) return [];
  const rows = await sql.transaction(async (q) => {
    const claimed: ClaimedDelivery[] = [];
    for (const [webhookId, limit] of wants) {
      // Another process claiming for this webhook right now: skip it (its lease will say so after).
      if ((await q.get(lockForClaim, { webhookId })) === undefined) continue;
      claimed.push(...(await q.all(claimForWebhook, { webhookId, limit, now: r.now, leaseUntil: r.leaseUntil, owner: r.owner })));
    }
    return claimed;
  });
  return rows.sort((a, b) => a.id - b.id);
}

/** Webhooks that have a due delivery no one holds. */
export const findDueWebhooks = (sql: SqlDb, now: Date) => sql.read.all(dueWebhooks, { now });

export async function renew(sql: SqlDb, ids: readonly number[], owner: string, leaseUntil: Date): Promise<void> {
  if (ids.length) await sql.transaction((q) => q.run(renewLeases, { ids, owner, leaseUntil }));
}

export async function release(sql: SqlDb, ids: readonly number[], owner: string): Promise<void> {
  if (ids.length) await sql.transaction((q) => q.run(releaseLeases, { ids, owner }));
}

/** Marks open deliveries dead without sending them: the given ids, or every open one of a webhook. */
export async function kill(sql: SqlDb, where: { ids: readonly number[] } | { webhookId: number }): Promise<KilledDelivery[]> {
  const now = new Date();
  if ("ids" in where) {
    if (where.ids.length === 0) return [];
    return sql.transaction((q) => q.all(killByIds, { ids: where.ids, now }));
  }
  return sql.transaction((q) => q.all(killByWebhook, { webhookId: where.webhookId, now }));
}

export const countOpenDeliveries = async (sql: SqlDb) => (await sql.read.get(countOpen, {})) ?? 0;
