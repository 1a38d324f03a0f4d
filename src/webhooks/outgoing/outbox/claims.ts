// The dispatcher's queue operations on the outbox: claim due deliveries under a lease (as the
// webhook's circuit lets), renew or release leases, kill deliveries that will never be sent, find
// webhooks with due work, count.
import type { SqlDb } from "../../../db/sql.ts";
import { claimGate, type ClaimGate } from "../circuit.ts";
import {
  claimForWebhook,
  claimPlanner,
  claimTrial,
  startTrial,
  countOpen,
  dueWebhooks,
  lockForClaim,
  killByIds,
  killByWebhook,
  releaseLeases,
  releaseOwned,
  renewLeases,
  type ClaimedDelivery as ClaimedRow,
  type KilledDelivery,
} from "./outbox-sql.ts";

export type { KilledDelivery };

/** A claimed delivery; `trial`: the one attempt an open circuit makes after its cool-down. */
export type ClaimedDelivery = ClaimedRow & { trial?: true };

export interface Claimed {
  /** In id order. */
  rows: ClaimedDelivery[];
  /** What each webhook's circuit let the claim take (absent: another process was claiming for it). */
  gates: Map<number, ClaimGate>;
}

export interface ClaimRequest {
  /** How many deliveries each webhook may take at most (its lane's free room). */
  wants: ReadonlyMap<number, number>;
  now: Date;
  leaseUntil: Date;
  owner: string;
  /** The webhook's deliveries this process holds already: not taken again. */
  held: (webhookId: number) => readonly number[];
}

/**
 * Leases the first due deliveries of each webhook (pending or failed, nextAttemptAt reached, no
 * live lease), in one transaction: per webhook always the earliest ones, so a lane never gets a
 * later delivery before an earlier due one. A webhook whose circuit is open gets none until its
 * cool-down ends, then one (its trial, which makes the circuit half_open). Returned in id order.
 */
export async function claimDue(sql: SqlDb, r: ClaimRequest): Promise<Claimed> {
  const wants = [...r.wants].filter(([, limit]) => limit > 0);
  const gates = new Map<number, ClaimGate>();
  if (wants.length === 0) return { rows: [], gates };
  const rows = await sql.transaction(async (q) => {
    await q.get(claimPlanner, {});
    const claimed: ClaimedDelivery[] = [];
    for (const [webhookId, limit] of wants) {
      const circuit = await q.get(lockForClaim, { webhookId });
      // Another process claiming for this webhook right now: skip it (its lease will say so after).
      if (circuit === undefined) continue;
      const gate = claimGate(circuit, r.now);
      gates.set(webhookId, gate);
      if (gate === "wait") continue;
      const args = { webhookId, limit: gate === "trial" ? 1 : limit, now: r.now, leaseUntil: r.leaseUntil, owner: r.owner, held: r.held(webhookId) };
      if (gate === "claim") {
        claimed.push(...(await q.all(claimForWebhook, args)));
        continue;
      }
      const [trial] = await q.all(claimTrial, args);
      if (!trial) continue;
      await q.run(startTrial, { webhookId });
      claimed.push({ ...trial, trial: true });
    }
    return claimed;
  });
  return { rows: rows.sort((a, b) => a.id - b.id), gates };
}

/** Webhooks that have a due delivery no one holds. */
export const findDueWebhooks = (sql: SqlDb, now: Date) => sql.read.all(dueWebhooks, { now });

export async function renew(sql: SqlDb, ids: readonly number[], owner: string, leaseUntil: Date): Promise<void> {
  if (ids.length) await sql.transaction((q) => q.run(renewLeases, { ids, owner, leaseUntil }));
}

export async function release(sql: SqlDb, ids: readonly number[], owner: string): Promise<void> {
  if (ids.length) await sql.transaction((q) => q.run(releaseLeases, { ids, owner }));
}

/** Gives back every lease of this process (shutdown): due again at once for the next start. */
export const releaseAll = (sql: SqlDb, owner: string) => sql.transaction((q) => q.run(releaseOwned, { owner }));

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
