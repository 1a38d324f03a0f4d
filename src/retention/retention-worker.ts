// Retention as a background worker of the app: every few minutes it applies each rule of
// retention-rules.ts in small batches, pausing between them so API requests get the database
// (SQLite has one writer). Several processes may run it at once: deletes are idempotent.
import { setTimeout as sleep } from "node:timers/promises";
import type { AppContext } from "../app-context.ts";
import type { Worker } from "../worker.ts";
import type { RetentionRule } from "./retention-rule.ts";
import { retentionRules } from "./retention-rules.ts";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface RetentionOptions {
  rules?: readonly RetentionRule[];
  /** From start to the first run. */
  firstRunAfterMs?: number;
  /** From the end of one run to the next. */
  intervalMs?: number;
  /** Between two batches: other statements run meanwhile. */
  pauseMs?: number;
  now?: () => number;
}

/** Rows deleted and batches run, per rule. */
export type RetentionReport = Record<string, { deleted: number; batches: number }>;

export interface RetentionWorker extends Worker {
  /** One pass over every rule (joins the pass in progress, if any). */
  runOnce(): Promise<RetentionReport>;
}

export function createRetentionWorker(ctx: Pick<AppContext, "db" | "log" | "config">, opts: RetentionOptions = {}): RetentionWorker {
  const { db, log, config } = ctx;
  const rules = opts.rules ?? retentionRules;
  const pauseMs = opts.pauseMs ?? 20;
  const intervalMs = opts.intervalMs ?? 5 * 60_000;
  const now = opts.now ?? Date.now;
  let started = false;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let current: Promise<RetentionReport> | undefined;

  async function applyRule(rule: RetentionRule, cutoff: Date) {
    const done = { deleted: 0, batches: 0 };
    let cursor = 0;
    while (!stopping) {
      const batch = await rule.deleteBatch(db, cutoff, cursor);
      done.deleted += batch.deleted;
      done.batches += 1;
      cursor = batch.cursor;
      if (batch.done) break;
      await sleep(pauseMs);
    }
    return done;
  }

  async function pass(): Promise<RetentionReport> {
    const cutoff = new Date(now() - config.retentionDays * DAY_MS);
    const report: RetentionReport = {};
    for (const rule of rules) {
      if (stopping) break;
      try {
        report[rule.name] = await applyRule(rule, cutoff);
      } catch (err) {
        // A database blip skips this rule until the next run; it never stops the process.
        log.warn({ err, rule: rule.name }, "retention: rule failed; retried next run");
      }
    }
    const deleted = Object.fromEntries(Object.entries(report).filter(([, r]) => r.deleted > 0).map(([name, r]) => [name, r.deleted]));
    if (Object.keys(deleted).length > 0) log.info({ deleted, cutoff }, "retention: deleted expired rows");
    return report;
  }

  function runOnce(): Promise<RetentionReport> {
    current ??= pass().finally(() => (current = undefined));
    return current;
  }

  function schedule(delayMs: number) {
    if (stopping) return;
    timer = setTimeout(() => void runOnce().finally(() => schedule(intervalMs)), delayMs);
    timer.unref();
  }

  return {
    name: "retention",
    start() {
      if (started) return;
      started = true;
      schedule(opts.firstRunAfterMs ?? 30_000);
    },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await current;
    },
    running: () => started && !stopping,
    runOnce,
  };
}
