// The API thread's side of the dispatcher (a Worker of the app): starts the dispatcher's thread,
// tells it of new outbox rows and changed webhooks, and carries out what it reports: live delivery
// and webhook events, metrics, replies and notices (messages are the API thread's to write and announce).
// A thread that dies is started again.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { setFlagsFromString } from "node:v8";
import { Worker as Thread } from "node:worker_threads";
import type { AppContext } from "../../../app-context.ts";
import type { Database } from "../../../db/client.ts";
import type { Worker } from "../../../worker.ts";
import { createMessage } from "../../../messages/messages.service.ts";
import { announceWebhook } from "../webhooks.service.ts";
import type { ClaimedDelivery, OutboxLease } from "../outbox/outbox-sql.ts";
import type { DispatchCounts, DispatcherThreadData, FromDispatcher, ToDispatcher } from "./thread-protocol.ts";

/** The dispatcher thread's holder id on the SQLite write mutex (the API thread's is 1). */
const THREAD_MUTEX_HOLDER = 2;
const RESTART_AFTER_MS = 1000;
const READY_WAIT_MS = 30_000;

/** The script a thread runs: the compiled build next to this file, or the TypeScript through tsx. */
export function dispatcherThreadScript(): { script: URL; entry?: string } {
  if (!import.meta.url.endsWith(".ts")) return { script: new URL("./dispatcher-thread.js", import.meta.url) };
  return { script: new URL("./thread-boot.mjs", import.meta.url), entry: new URL("./thread.ts", import.meta.url).href };
}

export interface DispatcherThread extends Worker {
  /**
   * SQLite (one process): a lease for new deliveries, written with them and handed to the thread
   * after the commit, so they need no claim; undefined when the thread is not there to take them.
   */
  lease(): OutboxLease | undefined;
}

export function createDispatcherThread(
  ctx: AppContext,
  database: Database,
  opts: { script?: { script: URL; entry?: string } } = {},
): DispatcherThread {
  const { log, bus } = ctx;
  const script = opts.script ?? dispatcherThreadScript();
  let thread: Thread | undefined;
  /** The lease owner of the running thread (a new one for each start: a dead thread's leases expire). */
  let owner = "";
  let ready = false;
  let markReady!: () => void;
  const firstReady = new Promise<void>((resolve) => (markReady = resolve));
  let stopping = false;
  let restartTimer: NodeJS.Timeout | undefined;
  const unsubscribe: (() => void)[] = [];

  const post = (m: ToDispatcher) => thread?.postMessage(m);
  // One at a time, so the admins' screens get a webhook's states in the order they happened.
  let announcing = Promise.resolve();
  const announce = (roomId: number, webhookId: number) => {
    announcing = announcing
      .then(() => announceWebhook(ctx, roomId, webhookId))
      .catch((err) => log.warn({ err, webhookId }, "webhook change not announced"));
  };

  // Wakes and handed deliveries are gathered for the rest of this turn of the event loop: one
  // message for many messages.
  let waking: { ids: Set<number>; handed: ClaimedDelivery[] } | undefined;
  function wake(webhookIds: readonly number[], handed: readonly ClaimedDelivery[] = []) {
    if (!waking) {
      waking = { ids: new Set(), handed: [] };
      setImmediate(() => {
        const { ids, handed: deliveries } = waking!;
        waking = undefined;
        if (deliveries.length) post({ type: "handoff", deliveries });
        for (const d of deliveries) ids.delete(d.webhookId);
        if (ids.size) post({ type: "wake", webhookIds: [...ids] });
      });
    }
    for (const id of webhookIds) waking.ids.add(id);
    waking.handed.push(...handed);
  }

  function onMessage(m: FromDispatcher) {
    switch (m.type) {
      case "ready":
        ready = true;
        markReady();
        break;
      case "deliveries":
        for (const n of m.items) bus.publish("webhook.delivery", n);
        break;
      case "webhooks":
        for (const { roomId, webhookId } of m.items) announce(roomId, webhookId);
        break;
      case "counts":
        applyCounts(ctx, m.counts);
        break;
      case "reply":
      case "disabled":
        void createMessage(ctx, {
          roomId: m.roomId,
          fromUserId: m.botUserId,
          // Neither triggers a webhook: no loops.
          source: m.type === "reply" ? "reply" : "system",
          type: "text",
          body: { text: m.text },
        }).catch((err) => log.warn({ err, webhookId: m.webhookId }, `webhook ${m.type === "reply" ? "reply" : "notice"} could not be posted`));
        break;
      case "stopped":
        break;
    }
  }

  function spawn() {
    owner = `${hostname()}:${process.pid}:${randomUUID()}`;
    const workerData: DispatcherThreadData & { entry?: string } = {
      config: ctx.config,
      database: database.shared,
      mutexHolderId: THREAD_MUTEX_HOLDER,
      publicUrl: ctx.publicUrl(),
      owner,
      entry: script.entry,
    };
    // A small young generation: the thread allocates in short bursts (a request, a record batch).
    // Not through resourceLimits: V8 lets the process's --max-semi-space-size (npm start's, for
    // the API thread) override a worker's limit. A flag read when an isolate is made only changes
    // the isolates made after it, so the API thread keeps its own.
    setFlagsFromString("--max-semi-space-size=1");
    const t = new Thread(script.script, { workerData, stdout: false, stderr: false });
    thread = t;
    t.on("message", onMessage);
    t.on("error", (err) => log.error({ err }, "webhook dispatcher thread failed"));
    t.on("exit", (code) => {
      if (thread === t) thread = undefined;
      ready = false;
      // A thread that died holding the SQLite write mutex would hold it forever.
      database.mutex?.releaseIfHeldBy(THREAD_MUTEX_HOLDER);
      if (stopping) return;
      log.error({ code }, "webhook dispatcher thread exited; starting it again");
      restartTimer = setTimeout(spawn, RESTART_AFTER_MS);
    });
  }

  return {
    name: "dispatcher",
    start() {
      if (thread || stopping) return;
      unsubscribe.push(
        bus.on("outbox.enqueued", ({ webhookIds, handed }) => wake(webhookIds, handed)),
        bus.on("webhook.changed", ({ webhookId }) => post({ type: "webhook-changed", webhookId })),
      );
      spawn();
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      clearTimeout(restartTimer);
      for (const u of unsubscribe) u();
      const t = thread;
      if (!t) return;
      // The thread finishes the attempts in flight (within the attempt timeout) and records them.
      const exited = new Promise<void>((resolve) => t.once("exit", () => resolve()));
      const deadline = setTimeout(() => void t.terminate(), Math.min(ctx.config.webhooks.timeoutMs + 10_000, 40_000));
      post({ type: "stop" });
      await exited;
      clearTimeout(deadline);
    },
    // A thread that cannot start is restarted (and logged); listen waits at most this long for it.
    ready: () => Promise.race([firstReady, new Promise<void>((r) => setTimeout(r, READY_WAIT_MS).unref())]),
    running: () => ready && !stopping,
    lease: () =>
      database.shared.dialect === "sqlite" && ready && !stopping
        ? { owner, leaseUntil: new Date(Date.now() + ctx.config.webhooks.leaseMs) }
        : undefined,
  };
}

function applyCounts(ctx: AppContext, c: DispatchCounts) {
  const m = ctx.metrics;
  for (const outcome of ["success", "failure", "timeout"] as const) {
    if (c.attempts[outcome]) m.webhookAttempts.inc({ outcome }, c.attempts[outcome]);
  }
  for (const status of ["succeeded", "dead"] as const) {
    if (c.deliveries[status]) m.webhookDeliveries.inc({ status }, c.deliveries[status]);
  }
  for (const s of c.attemptDurations) m.webhookAttemptDuration.observe(s);
  for (const s of c.deliveryLatencies) m.webhookDeliveryLatency.observe(s);
  if (c.queueDepth !== undefined) m.webhookQueueDepth.set(c.queueDepth);
  if (c.circuitsOpen !== undefined) m.webhookCircuitOpen.set(c.circuitsOpen);
}
