// Writes attempts and the deliveries' new states in batches: whatever finished since the last
// write goes into one transaction (one INSERT of attempts, one UPDATE of deliveries, the webhooks'
// dead streaks and circuits). A lane moves on to its next delivery without waiting for the write; until it
// commits, the delivery stays leased, so a crash in between means it is sent again (at least once).
import { jsonDate, type Dialect, type Queries, type SqlDb } from "../../../db/sql.ts";
import type { Logger } from "../../../observability/logger.ts";
import { nextCircuit, type AttemptOutcome, type Circuit, type CircuitRule } from "../circuit.ts";
import {
  addDeadStreak,
  insertAttempts,
  loadCircuits,
  setDeadStreak,
  updateDeliveries,
  writeCircuits,
  type AttemptJson,
  type AttemptRow,
} from "./attempt-records-sql.ts";

const MAX_BATCH = 200;
/** How long finished attempts wait to share a write: a few ms of lag in the log for far fewer transactions. */
const FLUSH_WINDOW_MS = 10;

export type AttemptRecord = AttemptRow;

export interface AttemptEntry {
  deliveryId: number;
  webhookId: number;
  /** A success must write the webhook's dead streak back to 0 (it is not 0 now). */
  resetsDeadStreak: boolean;
  /** The attempt moves the webhook's circuit: every failure, and a success when the circuit is not closed and clean. */
  movesCircuit: boolean;
  attempt: AttemptRecord;
  next: {
    status: "succeeded" | "failed" | "dead";
    /** Only when a retry is scheduled. */
    nextAttemptAt: Date | null;
    completedAt: Date | null;
  };
}

export interface Recorded {
  /** The webhook's dead streak after this batch (set for dead deliveries). */
  deadStreak?: number;
  /** The webhook's circuit after this batch (set when the attempt moved it). */
  circuit?: Circuit;
}

export interface Recorder {
  /** Queues an attempt; resolves once it is committed, rejects if its batch could not be written. */
  record(entry: AttemptEntry): Promise<Recorded>;
  /** Resolves when everything queued so far is written (shutdown). */
  drain(): Promise<void>;
}

interface Pending {
  entry: AttemptEntry;
  resolve: (r: Recorded) => void;
  reject: (err: unknown) => void;
}

export function createRecorder(sql: SqlDb, log: Logger, circuitRule: CircuitRule): Recorder {
  let queue: Pending[] = [];
  let running: Promise<void> | undefined;

  function schedule() {
    running ??= new Promise<void>((resolve) => setTimeout(resolve, FLUSH_WINDOW_MS))
      .then(async () => {
        while (queue.length > 0) {
          const batch = queue.slice(0, MAX_BATCH);
          queue = queue.slice(batch.length);
          try {
            const { streaks, circuits } = await writeBatch(sql, batch.map((p) => p.entry), circuitRule);
            for (const { entry, resolve } of batch) {
              resolve({
                ...(entry.next.status === "dead" ? { deadStreak: streaks.get(entry.webhookId) } : {}),
                ...(entry.movesCircuit ? { circuit: circuits.get(entry.webhookId) } : {}),
              });
            }
          } catch (err) {
            log.error({ err, count: batch.length }, "webhook attempts not recorded; their leases expire and they are sent again");
            for (const p of batch) p.reject(err);
          }
        }
      })
      .finally(() => {
        running = undefined;
        if (queue.length > 0) schedule();
      });
  }

  return {
    record(entry) {
      return new Promise<Recorded>((resolve, reject) => {
        queue.push({ entry, resolve, reject });
        schedule();
      });
    },
    async drain() {
      while (running) await running;
    },
  };
}

/**
 * One transaction for the batch; returns the new dead streak of each webhook that had a dead
 * delivery, and the new circuit of each webhook whose circuit the batch moved.
 */
async function writeBatch(sql: SqlDb, entries: AttemptEntry[], rule: CircuitRule) {
  const date = (d: Date) => jsonDate(sql.dialect, d);
  const attempts: AttemptJson[] = entries.map((e) => ({
    ...e.attempt,
    deliveryId: e.deliveryId,
    startedAt: date(e.attempt.startedAt),
    responseHeaders: noNul(e.attempt.responseHeaders),
    responseBody: noNul(e.attempt.responseBody),
    error: noNul(e.attempt.error),
  }));
  const updates = entries.map((e) => ({
    id: e.deliveryId,
    status: e.next.status,
    attempts: e.attempt.number,
    lastStatusCode: e.attempt.responseStatus,
    nextAttemptAt: e.next.nextAttemptAt ? date(e.next.nextAttemptAt) : null,
    completedAt: e.next.completedAt ? date(e.next.completedAt) : null,
  }));
  // Dead streak per webhook, in event order: a success resets it, each dead delivery adds one.
  const streaks = new Map<number, { reset: boolean; add: number }>();
  for (const e of entries) {
    const s = streaks.get(e.webhookId) ?? { reset: false, add: 0 };
    if (e.next.status === "succeeded" && e.resetsDeadStreak) Object.assign(s, { reset: true, add: 0 });
    if (e.next.status === "dead") s.add++;
    streaks.set(e.webhookId, s);
  }
  const outcomes = circuitOutcomes(entries);
  return sql.transaction(async (q) => {
    // The webhooks' rows first, then their deliveries': the order a claim locks them in
    // (PostgreSQL), so a claim and a record never wait for each other in a circle.
    const circuits = await moveCircuits(q, sql.dialect, outcomes, rule);
    const result = new Map<number, number>();
    for (const [webhookId, s] of [...streaks].sort(([a], [b]) => a - b)) {
      if (!s.reset && s.add === 0) continue;
      const streak = await q.get(s.reset ? setDeadStreak : addDeadStreak, { webhookId, value: s.add });
      if (streak !== undefined) result.set(webhookId, streak);
    }
    await q.run(insertAttempts, attempts);
    await q.run(updateDeliveries, updates);
    return { streaks: result, circuits };
  });
}

/** The attempts that move circuits, per webhook in the order they were made. */
function circuitOutcomes(entries: readonly AttemptEntry[]): Map<number, AttemptOutcome[]> {
  const outcomes = new Map<number, AttemptOutcome[]>();
  for (const e of entries) {
    if (!e.movesCircuit) continue;
    const at = new Date(e.attempt.startedAt.getTime() + e.attempt.durationMs);
    const list = outcomes.get(e.webhookId) ?? [];
    list.push({ ok: e.next.status === "succeeded", at });
    outcomes.set(e.webhookId, list);
  }
  return outcomes;
}

/** Reads the circuits (locked on PostgreSQL), moves them on by the batch's attempts, writes them back. */
async function moveCircuits(q: Queries, dialect: Dialect, outcomes: Map<number, AttemptOutcome[]>, rule: CircuitRule): Promise<Map<number, Circuit>> {
  const moved = new Map<number, Circuit>();
  if (outcomes.size === 0) return moved;
  for (const { webhookId, ...current } of await q.all(loadCircuits, { ids: [...outcomes.keys()] })) {
    moved.set(webhookId, nextCircuit(current, outcomes.get(webhookId)!, rule));
  }
  await q.run(
    writeCircuits,
    [...moved].map(([webhookId, c]) => ({ webhookId, state: c.state, failures: c.failures, openUntil: c.openUntil && jsonDate(dialect, c.openUntil) })),
  );
  return moved;
}

/** A receiver's bytes may hold NUL, which PostgreSQL text (and JSON) cannot store. */
const noNul = (s: string | null) => (s === null ? null : s.replace(/\u0000/g, "\uFFFD"));
