// Writes attempts and the deliveries' new states in batches: whatever finished since the last
// write goes into one transaction (one INSERT of attempts, one UPDATE of deliveries, the webhooks'
// dead streaks). A lane moves on to its next delivery without waiting for the write; until it
// commits, the delivery stays leased, so a crash in between means it is sent again (at least once).
import type { Db } from "../../db/client.ts";
import type { Logger } from "../../observability/logger.ts";

const MAX_BATCH = 200;
/** How long finished attempts wait to share a write: a few ms of lag in the log for far fewer transactions. */
const FLUSH_WINDOW_MS = 5;

export interface AttemptEntry {
  deliveryId: number;
  webhookId: number;
  /** A success must write the webhook's dead streak back to 0 (it is not 0 now). */
  resetsDeadStreak: boolean;
  attempt: {
    number: number;
    startedAt: Date;
    durationMs: number;
    requestHeaders: string;
    requestBody: string;
    responseStatus: number | null;
    responseHeaders: string | null;
    responseBody: string | null;
    error: string | null;
  };
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
}

export interface Recorder {
  /** Queues an attempt; resolves once it is committed. */
  record(entry: AttemptEntry): Promise<Recorded>;
  /** Resolves when everything queued so far is written (shutdown). */
  drain(): Promise<void>;
}

/**
 * DateTime text exactly as @prisma/adapter-better-sqlite3 writes it (its default "iso8601" format),
 * so rows written here compare and read back like rows written through Prisma.
 */
export const sqliteDate = (d: Date) => d.toISOString().replace("Z", "+00:00");

interface Pending {
  entry: AttemptEntry;
  resolve: (r: Recorded) => void;
  reject: (err: unknown) => void;
}

export function createRecorder(db: Db, log: Logger): Recorder {
  let queue: Pending[] = [];
  let running: Promise<void> | undefined;

  function schedule() {
    running ??= new Promise<void>((resolve) => setTimeout(resolve, FLUSH_WINDOW_MS))
      .then(async () => {
        while (queue.length > 0) {
          const batch = queue.slice(0, MAX_BATCH);
          queue = queue.slice(batch.length);
          try {
            const streaks = await writeBatch(db, batch.map((p) => p.entry));
            for (const p of batch) p.resolve(p.entry.next.status === "dead" ? { deadStreak: streaks.get(p.entry.webhookId) } : {});
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

/** One transaction for the batch; returns the new dead streak of each webhook that had a dead delivery. */
async function writeBatch(db: Db, entries: AttemptEntry[]): Promise<Map<number, number>> {
  const attempts = entries.map((e) => ({ ...e.attempt, deliveryId: e.deliveryId, startedAt: sqliteDate(e.attempt.startedAt) }));
  const updates = entries.map((e) => ({
    id: e.deliveryId,
    status: e.next.status,
    attempts: e.attempt.number,
    lastStatusCode: e.attempt.responseStatus,
    nextAttemptAt: e.next.nextAttemptAt ? sqliteDate(e.next.nextAttemptAt) : null,
    completedAt: e.next.completedAt ? sqliteDate(e.next.completedAt) : null,
  }));
  // Dead streak per webhook, in event order: a success resets it, each dead delivery adds one.
  const streaks = new Map<number, { reset: boolean; add: number }>();
  for (const e of entries) {
    const s = streaks.get(e.webhookId) ?? { reset: false, add: 0 };
    if (e.next.status === "succeeded" && e.resetsDeadStreak) Object.assign(s, { reset: true, add: 0 });
    if (e.next.status === "dead") s.add++;
    streaks.set(e.webhookId, s);
  }
  const streakIds = [...streaks].filter(([, s]) => s.reset || s.add > 0);

  // Raw statements in one batch transaction: a few statements whatever the batch size, and no
  // query compilation per row.
  const results = await db.$transaction([
    db.$executeRawUnsafe(
      `INSERT INTO "WebhookAttempt" ("deliveryId", "number", "startedAt", "durationMs", "requestHeaders", "requestBody",
         "responseStatus", "responseHeaders", "responseBody", "error")
       SELECT v ->> 'deliveryId', v ->> 'number', v ->> 'startedAt', v ->> 'durationMs', v ->> 'requestHeaders', v ->> 'requestBody',
         v ->> 'responseStatus', v ->> 'responseHeaders', v ->> 'responseBody', v ->> 'error'
       FROM (SELECT value AS v FROM json_each(?) ORDER BY key)`,
      JSON.stringify(attempts),
    ),
    // Guarded by status: a delivery killed meanwhile (webhook disabled or deleted) stays dead.
    // The unary + keeps SQLite off the status index: it must loop over the batch and look each
    // delivery up by id, not scan every open delivery and re-read the JSON for each.
    db.$executeRawUnsafe(
      `UPDATE "WebhookDelivery" AS d SET
         "status" = j.value ->> 'status',
         "attempts" = j.value ->> 'attempts',
         "leaseUntil" = NULL,
         "lastStatusCode" = j.value ->> 'lastStatusCode',
         "nextAttemptAt" = coalesce(j.value ->> 'nextAttemptAt', d."nextAttemptAt"),
         "completedAt" = coalesce(j.value ->> 'completedAt', d."completedAt")
       FROM json_each(?) AS j
       WHERE d."id" = j.value ->> 'id' AND +d."status" IN ('pending', 'failed')`,
      JSON.stringify(updates),
    ),
    ...streakIds.map(([webhookId, s]) =>
      db.$queryRawUnsafe<{ deadStreak: number | bigint }[]>(
        s.reset
          ? `UPDATE "Webhook" SET "deadStreak" = ? WHERE "id" = ? RETURNING "deadStreak"`
          : `UPDATE "Webhook" SET "deadStreak" = "deadStreak" + ? WHERE "id" = ? RETURNING "deadStreak"`,
        s.add,
        webhookId,
      ),
    ),
  ]);
  const result = new Map<number, number>();
  streakIds.forEach(([webhookId], i) => {
    const row = (results[2 + i] as { deadStreak: number | bigint }[])[0];
    if (row) result.set(webhookId, Number(row.deadStreak));
  });
  return result;
}
