// The dispatcher's timers: every WEBHOOK_POLL_MS a sweep for webhooks with due deliveries (retries,
// leases of a crashed process) and, once a second, the queue depth and the open circuits for the
// metrics; every third of the lease, the renewal of the leases of what the lanes hold.
import type { Config } from "../../../config.ts";
import type { SqlDb } from "../../../db/sql.ts";
import type { Logger } from "../../../observability/logger.ts";
import { countOpenDeliveries, findDueWebhooks, renew } from "../outbox/claims.ts";
import { countOpenCircuits } from "./dispatch-sql.ts";
import type { Reporter } from "./reporter.ts";

const QUEUE_DEPTH_EVERY_MS = 1000;

export interface UpkeepDeps {
  sql: SqlDb;
  log: Logger;
  reporter: Reporter;
  cfg: Config["webhooks"];
  owner: string;
  /** The deliveries the lanes hold (their leases are renewed). */
  held(): number[];
  /** A sweep found these webhooks with due deliveries. */
  found(webhookIds: number[]): void;
}

/** Starts the timers (the first sweep at once); returns what stops them. */
export function startUpkeep(deps: UpkeepDeps): () => void {
  const { sql, log, reporter, cfg, owner } = deps;

  async function sweep() {
    try {
      deps.found(await findDueWebhooks(sql, new Date()));
    } catch (err) {
      log.error({ err }, "webhook sweep failed");
    }
  }

  let lastDepthAt = 0;
  async function tick() {
    await sweep();
    if (Date.now() - lastDepthAt < QUEUE_DEPTH_EVERY_MS) return;
    lastDepthAt = Date.now();
    try {
      reporter.queueDepth(await countOpenDeliveries(sql));
      reporter.circuitsOpen((await sql.read.get(countOpenCircuits, {})) ?? 0);
    } catch (err) {
      log.warn({ err }, "webhook queue depth and open circuits not counted");
    }
  }

  async function renewHeld() {
    try {
      await renew(sql, deps.held(), owner, new Date(Date.now() + cfg.leaseMs));
    } catch (err) {
      log.warn({ err }, "webhook leases not renewed");
    }
  }

  const timers = [setInterval(() => void tick(), cfg.pollMs), setInterval(() => void renewHeld(), Math.max(250, Math.floor(cfg.leaseMs / 3)))];
  void tick();
  return () => timers.forEach(clearInterval);
}
