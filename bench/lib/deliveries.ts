// What the receiver got, held against what the server accepted: waiting for deliveries (until all
// arrived or none arrived for a while), lost, duplicates, order per webhook, and latency.
import { setTimeout as sleep } from "node:timers/promises";
import type { Child } from "./child.ts";
import { percentiles } from "./stats.ts";

export interface Receipts {
  keys: string[];
  ids: number[];
  createdAts: number[];
  ats: number[];
  wids: string[];
}

export const receipts = (receiver: Child, paths: string[]) => receiver.call<Receipts>("receipts", paths);

/**
 * Waits until every one of these accepted messages was delivered on these paths, or until none
 * came for `stallS` seconds. Returns whether all came. When sends failed, the server may still
 * have created some of those messages: pass `failedSends` and it also waits until no delivery
 * came for a second, so that those are in the figures too.
 */
export async function waitForDeliveries(receiver: Child, paths: string[], acceptedIds: number[], stallS: number, failedSends = 0) {
  const quietMs = failedSends > 0 ? 1000 : 0;
  const t0 = Date.now();
  let last = -1;
  let lastChange = Date.now();
  for (;;) {
    const { unique } = await receiver.call<{ unique: number }>("counts", paths);
    if (unique !== last) {
      last = unique;
      lastChange = Date.now();
    } else if (Date.now() - lastChange > stallS * 1000) {
      return { complete: false, unique, waitedMs: Date.now() - t0 };
    }
    // Counting is cheap; checking the ids themselves is done once the count says they may be in.
    if (unique >= acceptedIds.length) {
      const { missing, lastAt } = await receiver.call<{ missing: number; lastAt: number }>("missing", { paths, ids: acceptedIds });
      if (missing === 0 && Date.now() - lastAt >= quietMs) return { complete: true, unique, waitedMs: Date.now() - t0 };
    }
    await sleep(unique >= acceptedIds.length ? 250 : 100);
  }
}

/**
 * The deliveries of these accepted messages: delivered (distinct), lost (accepted, never
 * delivered), duplicates (a webhook-id received again), whether each webhook's receipts came in
 * increasing message id (the order the server created them), and createdAt -> receipt latency.
 * `until` counts those delivered by then (the starvation figure). The paths must be the
 * measured messages' own (warm-ups go to other rooms): every receipt on them counts.
 */
export function analyse(r: Receipts, acceptedIds: number[], opts: { until?: number } = {}) {
  const accepted = new Set(acceptedIds);
  const firstSeen = new Set<string>();
  const delivered = new Set<number>();
  const lastIdByKey = new Map<string, number>();
  const latencies: number[] = [];
  let duplicates = 0;
  let outOfOrder = 0;
  let unexpected = 0;
  let deliveredByUntil = 0;
  let lastAt = 0;
  for (let i = 0; i < r.ids.length; i++) {
    const id = r.ids[i]!;
    if (firstSeen.has(r.wids[i]!)) {
      duplicates++;
      continue;
    }
    firstSeen.add(r.wids[i]!);
    if (accepted.has(id)) delivered.add(id);
    else unexpected++;
    const at = r.ats[i]!;
    latencies.push(at - r.createdAts[i]!);
    lastAt = Math.max(lastAt, at);
    if (opts.until !== undefined && at <= opts.until) deliveredByUntil++;
    const prev = lastIdByKey.get(r.keys[i]!);
    if (prev !== undefined && id < prev) outOfOrder++;
    lastIdByKey.set(r.keys[i]!, Math.max(prev ?? id, id));
  }
  return {
    accepted: accepted.size,
    delivered: delivered.size,
    lost: accepted.size - delivered.size,
    duplicates,
    orderKept: outOfOrder === 0,
    outOfOrder,
    /** Delivered messages whose acceptance the load generator did not see (its send timed out). */
    unexpected,
    deliveredByUntil,
    lastAt,
    latencyMs: percentiles(latencies),
  };
}
