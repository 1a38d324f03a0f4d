// The webhook dispatcher (a Worker of the app): claims due deliveries from the outbox in batches
// under a lease, and sends them with bounded concurrency through one lane per webhook, so a
// webhook has one request in flight and gets its deliveries in event order. Woken by
// "outbox.enqueued", and polls every WEBHOOK_POLL_MS for retries that fall due.
import type { AppContext } from "../../app-context.ts";
import type { Worker } from "../../app.ts";
import { inspectorUrlMatcher } from "./address-check.ts";
import { claimDueDeliveries, countOpenDeliveries, releaseLeases, renewLeases, type ClaimedDelivery } from "./claim.ts";
import { deliverOne, killAndAnnounce } from "./deliver-one.ts";
import { outboxSql } from "./outbox-sql.ts";
import { createRecorder } from "./recorder.ts";
import { createSender, type Sender } from "./send-attempt.ts";
import { isActive, loadWebhooks, type WebhookSnapshot } from "./webhook-state.ts";

/** Deliveries of one webhook held in memory at most (they stay leased while they wait). */
const PER_WEBHOOK = 32;
/** Rows claimed by one statement at most. */
const CLAIM_BATCH = 256;
/** A lane re-reads its webhook before sending when its copy is older than this (settings, secret, enabled). */
const SNAPSHOT_MAX_AGE_MS = 500;
const QUEUE_DEPTH_EVERY_MS = 1000;
const MIN_CLAIM_GAP_MS = 5;
const MAX_CLAIM_GAP_MS = 250;

interface Lane {
  webhookId: number;
  /** Claimed, not yet sent, in id (event) order. */
  queue: ClaimedDelivery[];
  inFlight?: ClaimedDelivery;
  webhook?: WebhookSnapshot;
  ready: boolean;
}

export interface DispatcherOptions {
  /** Replaces the HTTP client (tests, benchmarks). */
  sender?: Sender;
}

export function createDispatcher(ctx: AppContext, opts: DispatcherOptions = {}): Worker {
  const { db, log, config, metrics } = ctx;
  const cfg = config.webhooks;
  const maxHeld = Math.max(64, cfg.concurrency * 16);
  const sender =
    opts.sender ?? createSender({ allowPrivateNetworks: cfg.allowPrivateNetworks, isTrusted: inspectorUrlMatcher(ctx.publicUrl) });
  const sql = outboxSql(config.databaseUrl);
  // After each write leases are cleared; on PostgreSQL a webhook is claimable only then.
  const recorder = createRecorder(db, sql, log, () => {
    maybeMore = true;
    claimSoon();
  });
  const deps = { ctx, sender, recorder };

  const lanes = new Map<number, Lane>();
  const ready: Lane[] = [];
  let active = 0;
  let started = false;
  let stopping = false;
  let claiming: Promise<void> | undefined;
  let claimAgain = false;
  /** The last claim found work: more may be due once lanes have room. */
  let maybeMore = true;
  let lastDepthAt = 0;
  let nextClaimAt = 0;
  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: (() => void) | undefined;

  const heldIds = () => {
    const ids: number[] = [];
    for (const lane of lanes.values()) {
      if (lane.inFlight) ids.push(lane.inFlight.id);
      for (const d of lane.queue) ids.push(d.id);
    }
    return ids;
  };
  const heldCount = () => {
    let n = 0;
    for (const lane of lanes.values()) n += lane.queue.length + (lane.inFlight ? 1 : 0);
    return n;
  };

  function laneOf(webhookId: number): Lane {
    let lane = lanes.get(webhookId);
    if (!lane) lanes.set(webhookId, (lane = { webhookId, queue: [], ready: false }));
    return lane;
  }

  /** Keeps the same object (an attempt in flight holds it) and copies the fresh columns in. */
  function refreshSnapshot(lane: Lane, fresh: WebhookSnapshot | undefined) {
    if (!fresh) return;
    if (lane.webhook) Object.assign(lane.webhook, fresh);
    else lane.webhook = fresh;
  }

  function markReady(lane: Lane) {
    if (lane.ready || lane.inFlight || lane.queue.length === 0) return;
    lane.ready = true;
    ready.push(lane);
  }

  function claimSoon() {
    if (!started || stopping) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = (async () => {
      do {
        claimAgain = false;
        const wait = nextClaimAt - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (stopping) break;
        const t0 = performance.now();
        try {
          await claimOnce();
        } catch (err) {
          log.error({ err }, "webhook claim failed");
        }
        // Wake-ups come with every message; a claim scans the due backlog, so claims are paced
        // to take at most about a fifth of the time, however big the backlog grows.
        const took = performance.now() - t0;
        nextClaimAt = Date.now() + Math.min(MAX_CLAIM_GAP_MS, Math.max(MIN_CLAIM_GAP_MS, 4 * took));
      } while (claimAgain && !stopping);
    })().finally(() => {
      claiming = undefined;
    });
  }

  async function claimOnce() {
    const capacity = maxHeld - heldCount();
    if (capacity <= 0) return;
    const now = new Date();
    const full = [...lanes.values()].filter((l) => l.queue.length + (l.inFlight ? 1 : 0) >= PER_WEBHOOK).map((l) => l.webhookId);
    const rows = await claimDueDeliveries(db, sql, {
      now,
      leaseUntil: new Date(now.getTime() + cfg.leaseMs),
      limit: Math.min(capacity, CLAIM_BATCH),
      perWebhook: PER_WEBHOOK,
      skipWebhookIds: full,
    });
    // Lanes skipped because full may have more due: ask again once they have room.
    maybeMore = rows.length > 0 || full.length > 0;
    if (rows.length === 0) return;
    // Re-read the webhooks of this batch in one query: a rotation or a disable is seen at once.
    const webhooks = await loadWebhooks(db, sql, [...new Set(rows.map((r) => r.webhookId))]);
    if (stopping) {
      await releaseLeases(db, rows.map((r) => r.id));
      return;
    }
    const dead = new Map<number, number[]>();
    for (const row of rows) {
      const lane = laneOf(row.webhookId);
      refreshSnapshot(lane, webhooks.get(row.webhookId));
      if (!isActive(lane.webhook)) {
        dead.set(row.webhookId, [...(dead.get(row.webhookId) ?? []), row.id]);
        continue;
      }
      insertInOrder(lane.queue, row);
      markReady(lane);
    }
    for (const [webhookId, ids] of dead) {
      const roomId = webhooks.get(webhookId)?.roomId;
      await killAndAnnounce(ctx, roomId ?? 0, { ids });
      const lane = lanes.get(webhookId);
      if (lane && !lane.inFlight && lane.queue.length === 0) lanes.delete(webhookId);
    }
    pump();
  }

  /** A retry due before the next poll gets its own wake-up (short WEBHOOK_RETRY_DELAYS_MS). */
  let wakeTimer: { at: number; timer: NodeJS.Timeout } | undefined;
  function wakeAt(at: number) {
    const delay = at - Date.now();
    if (delay >= cfg.pollMs || (wakeTimer && wakeTimer.at <= at)) return;
    if (wakeTimer) clearTimeout(wakeTimer.timer);
    const timer = setTimeout(() => {
      wakeTimer = undefined;
      maybeMore = true;
      claimSoon();
    }, Math.max(0, delay) + 1);
    timer.unref();
    wakeTimer = { at, timer };
  }

  function pump() {
    while (!stopping && active < cfg.concurrency && ready.length > 0) {
      const lane = ready.shift()!;
      lane.ready = false;
      void runLane(lane);
    }
  }

  async function runLane(lane: Lane) {
    active++;
    const d = lane.queue.shift()!;
    lane.inFlight = d;
    try {
      if (!lane.webhook || Date.now() - lane.webhook.loadedAt > SNAPSHOT_MAX_AGE_MS) {
        refreshSnapshot(lane, (await loadWebhooks(db, sql, [lane.webhookId])).get(lane.webhookId));
      }
      const webhook = lane.webhook;
      if (!isActive(webhook)) {
        await killLane(lane, [d]);
      } else {
        const { disabled, retryAt } = await deliverOne(deps, webhook, d);
        if (disabled || !isActive(webhook)) await killLane(lane, []);
        if (retryAt) wakeAt(retryAt.getTime());
      }
    } catch (err) {
      // Nothing recorded: the lease runs out and the delivery is claimed again (at least once).
      log.error({ err, webhookId: lane.webhookId, deliveryId: d.id }, "webhook delivery step failed");
    } finally {
      lane.inFlight = undefined;
      active--;
      if (lane.queue.length > 0) markReady(lane);
      else if (!stopping) lanes.delete(lane.webhookId);
      if (maybeMore && lane.queue.length <= PER_WEBHOOK / 2) claimSoon();
      pump();
    }
  }

  /** The webhook is disabled or deleted: what its lane still holds dies unsent. */
  async function killLane(lane: Lane, extra: ClaimedDelivery[]) {
    const ids = [...extra, ...lane.queue].map((d) => d.id);
    lane.queue = [];
    await killAndAnnounce(ctx, lane.webhook?.roomId ?? 0, { ids });
  }

  async function tick() {
    claimSoon();
    if (Date.now() - lastDepthAt >= QUEUE_DEPTH_EVERY_MS) {
      lastDepthAt = Date.now();
      try {
        metrics.webhookQueueDepth.set(await countOpenDeliveries(db));
      } catch (err) {
        log.warn({ err }, "webhook queue depth not counted");
      }
    }
  }

  async function renew() {
    try {
      await renewLeases(db, heldIds(), new Date(Date.now() + cfg.leaseMs));
    } catch (err) {
      log.warn({ err }, "webhook leases not renewed");
    }
  }

  return {
    name: "dispatcher",
    start() {
      if (started) return;
      started = true;
      unsubscribe = ctx.bus.on("outbox.enqueued", () => {
        maybeMore = true;
        claimSoon();
      });
      const every = (ms: number, fn: () => Promise<void>) => {
        const t = setInterval(() => void fn(), ms);
        t.unref();
        timers.push(t);
      };
      every(cfg.pollMs, tick);
      every(Math.max(250, Math.floor(cfg.leaseMs / 3)), renew);
      void tick();
    },
    async stop() {
      if (!started || stopping) return;
      stopping = true;
      unsubscribe?.();
      for (const t of timers) clearInterval(t);
      if (wakeTimer) clearTimeout(wakeTimer.timer);
      await claiming;
      // Attempts in flight end within the attempt timeout; then they are recorded.
      const deadline = Date.now() + Math.min(cfg.timeoutMs + 5000, 30_000);
      while (active > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await recorder.drain();
      const unsent = [...lanes.values()].flatMap((l) => l.queue.map((d) => d.id));
      try {
        await releaseLeases(db, unsent);
      } catch (err) {
        log.warn({ err }, "webhook leases not released; they expire by themselves");
      }
      lanes.clear();
      ready.length = 0;
      sender.close();
    },
    running: () => started && !stopping,
  };
}

function insertInOrder(queue: ClaimedDelivery[], d: ClaimedDelivery) {
  if (queue.some((q) => q.id === d.id)) return;
  let i = queue.length;
  while (i > 0 && queue[i - 1]!.id > d.id) i--;
  queue.splice(i, 0, d);
}
