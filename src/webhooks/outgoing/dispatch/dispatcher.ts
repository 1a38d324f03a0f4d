// The webhook dispatcher (it runs in a thread of its own, see thread.ts): claims due deliveries from
// the outbox under a lease, one webhook at a time and a batch each, and sends them through the
// lanes (lanes.ts): one request in flight per webhook, in event order, rooms taking turns. It is
// told of new outbox rows, and sweeps for due work (retries, leases of a crashed process) every
// WEBHOOK_POLL_MS. Attempts are recorded in batches (attempt-records.ts); what follows a record
// (the live log, a reply, automatic disabling, an opened circuit) happens once it is committed.
// A failed attempt holds its lane until it is recorded: the record says whether the webhook's
// circuit opened, and then the lane's other deliveries go back unsent, no attempt used.
import type { Config } from "../../../config.ts";
import type { SqlDb } from "../../../db/sql.ts";
import type { Logger } from "../../../observability/logger.ts";
import { createRecorder } from "../outbox/attempt-records.ts";
import { claimDue, release, releaseAll, type ClaimedDelivery } from "../outbox/claims.ts";
import type { Sender } from "../wire/sender.ts";
import { createAfterRecord } from "./after-record.ts";
import { attemptDelivery } from "./attempt.ts";
import { CircuitHolds } from "./circuit-holds.ts";
import { killAndAnnounce as killAnnounced } from "./kills.ts";
import { LaneBoard } from "./lanes.ts";
import type { Reporter } from "./reporter.ts";
import { startUpkeep } from "./upkeep.ts";
import { WakeTimer } from "./wake-timer.ts";
import { isActive, SnapshotCache } from "./webhook-snapshots.ts";

/** Deliveries one lane holds at most (claimed ahead, so a fast receiver never waits for a claim). */
const PER_WEBHOOK = 64;
const LOW_WATER = PER_WEBHOOK / 2;
/** The least time between two claims (a few messages' worth under load). */
const CLAIM_GAP_MS = 2;
/** Deliveries held in memory at most, all lanes together (their payloads are in memory). */
const MAX_HELD = 4096;
/** Webhooks claimed for in one transaction at most. */
const CLAIM_WEBHOOKS = 64;
/** A lane re-reads its webhook before sending when its copy is older than this (settings, secret, enabled). */
const SNAPSHOT_MAX_AGE_MS = 500;
/** After a failed record, a webhook's deliveries are claimed again this much later. */
const RECORD_RETRY_MS = 1000;

/** Deliveries by webhook, each list in the order given (event order). */
function byWebhookOf(deliveries: readonly ClaimedDelivery[]) {
  const out = new Map<number, ClaimedDelivery[]>();
  for (const d of deliveries) {
    const list = out.get(d.webhookId);
    if (list) list.push(d);
    else out.set(d.webhookId, [d]);
  }
  return out;
}

export interface DispatcherDeps {
  config: Config;
  sql: SqlDb;
  log: Logger;
  sender: Sender;
  reporter: Reporter;
  /** This process's name on the leases it takes. */
  owner: string;
}

export interface Dispatcher {
  start(): void;
  /** Outbox rows were committed for these webhooks. */
  wake(webhookIds: readonly number[]): void;
  /** Deliveries written already leased to this dispatcher (SQLite's message path). */
  handoff(deliveries: readonly ClaimedDelivery[]): void;
  /** A webhook's settings changed: read it again before its next send. */
  webhookChanged(webhookId: number): void;
  stop(): Promise<void>;
}

export function createDispatcher(deps: DispatcherDeps): Dispatcher {
  const { sql, log, reporter, owner } = deps;
  const cfg = deps.config.webhooks;
  const recorder = createRecorder(sql, log, cfg.circuit);
  const board = new LaneBoard<ClaimedDelivery>({ concurrency: cfg.concurrency, perRoom: cfg.roomConcurrency, perWebhook: PER_WEBHOOK });
  const snapshots = new SnapshotCache(sql, SNAPSHOT_MAX_AGE_MS);
  /** Webhooks that may have due deliveries no one holds: the next claim asks for them. */
  const wanted = new Set<number>();
  /** Webhooks whose last claim came back full: more may be due once their lane has room. */
  const more = new Set<number>();
  const running = new Set<Promise<void>>();
  const holds = new CircuitHolds();
  const wakeTimer = new WakeTimer(cfg.pollMs, (ids) => want(ids));
  let stopUpkeep = () => {};
  let claiming: Promise<void> | undefined;
  let claimAgain = false;
  let lastClaimAt = 0;
  /**
   * Attempts made whose record is not committed yet, per webhook: still open and leased to this
   * process in the database, so a claim must not take them as its own deliveries left unheld.
   */
  const recording = new Map<number, Set<number>>();
  /** Webhooks whose records failed: not claimed until then (ms). */
  const paused = new Map<number, number>();
  const heldFor = (webhookId: number) => [...board.heldOf(webhookId), ...(recording.get(webhookId) ?? [])];
  /** Handed deliveries wait for the first sweep: before it, an older backlog may be waiting unclaimed. */
  let swept = false;
  let stopping = false;

  function want(ids: Iterable<number>) {
    for (const id of ids) wanted.add(id);
    claimSoon();
  }

  function claimSoon() {
    if (stopping || wanted.size === 0) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = (async () => {
      do {
        claimAgain = false;
        // Wakes come with every message: back-to-back claims are spaced a little, so under load one
        // claim takes what came in meanwhile (a quiet server claims at once).
        const wait = lastClaimAt + CLAIM_GAP_MS - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        lastClaimAt = performance.now();
        try {
          await claimOnce();
        } catch (err) {
          log.error({ err }, "webhook claim failed");
        }
      } while (claimAgain && !stopping);
    })().finally(() => (claiming = undefined));
  }

  async function claimOnce() {
    let budget = MAX_HELD - board.size;
    const wants = new Map<number, number>();
    for (const id of wanted) {
      if (budget <= 0 || wants.size >= CLAIM_WEBHOOKS) break;
      wanted.delete(id);
      const pausedUntil = paused.get(id);
      if (pausedUntil !== undefined) {
        if (pausedUntil > Date.now()) continue; // the wake timer (or the sweep) asks again
        paused.delete(id);
      }
      const room = Math.min(board.room(id), budget);
      // A lane with enough claimed to keep sending is asked again when it drains to LOW_WATER:
      // under load one claim then serves tens of deliveries instead of one per new message.
      if (room <= 0 || board.queued(id) > LOW_WATER) {
        more.add(id);
        continue;
      }
      wants.set(id, room);
      budget -= room;
    }
    if (wants.size === 0) return;
    const now = new Date();
    const { rows, gates } = await claimDue(sql, { wants, now, leaseUntil: new Date(now.getTime() + cfg.leaseMs), owner, held: heldFor });
    for (const [id, gate] of gates) holds.claimed(id, gate, now.getTime());
    const byWebhook = byWebhookOf(rows);
    for (const [id, asked] of wants) {
      if ((byWebhook.get(id)?.length ?? 0) >= asked) more.add(id);
      else more.delete(id);
    }
    if (rows.length === 0) return;
    // Re-read the webhooks of this batch in one query: a rotation or a disable (also one made by
    // another process) is seen before anything claimed now is sent.
    await snapshots.refresh([...byWebhook.keys()], { onlyStale: false });
    for (const [webhookId, claimed] of byWebhook) {
      const webhook = snapshots.get(webhookId);
      // A trial made the circuit half_open: the card shows it while the trial is in flight.
      if (webhook && claimed.some((d) => d.trial)) reporter.webhookChanged(webhook.roomId, webhookId);
      if (isActive(webhook)) board.add(webhook.roomId, webhookId, claimed);
      else await killAndAnnounce(snapshots.get(webhookId)?.roomId ?? 0, { ids: claimed.map((d) => d.id) });
    }
    if (wanted.size > 0 && board.size < MAX_HELD) claimAgain = true;
    pump();
  }

  /**
   * Takes handed deliveries straight into their lanes. What a lane cannot take in order (it is full,
   * or older deliveries of its webhook may still be unclaimed) stays leased to this process, whose
   * claims take it like any due delivery; a webhook that is inactive or whose circuit is not
   * closed gets them killed or given back as a claim would decide.
   */
  async function handoff(deliveries: readonly ClaimedDelivery[]) {
    const byWebhook = byWebhookOf(deliveries);
    await snapshots.refresh([...byWebhook.keys()], { onlyStale: true });
    const later: number[] = [];
    for (const [webhookId, list] of byWebhook) {
      const webhook = snapshots.get(webhookId);
      const ids = list.map((d) => d.id);
      if (!isActive(webhook)) {
        await killAndAnnounce(snapshots.get(webhookId)?.roomId ?? 0, { ids });
      } else if (webhook.circuit.state !== "closed" || holds.holds(webhookId)) {
        await giveBack(ids, webhookId, "handed while the circuit was not closed");
        want([webhookId]);
      } else if (!swept || paused.has(webhookId) || wanted.has(webhookId) || more.has(webhookId) || board.room(webhookId) < list.length || board.size + list.length > MAX_HELD) {
        later.push(webhookId);
      } else {
        board.add(webhook.roomId, webhookId, list);
      }
    }
    if (later.length) want(later);
    pump();
  }

  function pump() {
    for (let d = board.take(); d && !stopping; d = board.take()) {
      const p = runLane(d);
      running.add(p);
      void p.finally(() => running.delete(p));
    }
  }

  const afterRecord = createAfterRecord({
    sql,
    log,
    reporter,
    cfg,
    board,
    holds,
    wakeTimer,
    want,
    stopClaiming: (webhookId: number) => void more.delete(webhookId),
    giveBack: (ids: number[], webhookId: number) => giveBack(ids, webhookId),
    killAndAnnounce,
  });

  async function runLane(d: ClaimedDelivery) {
    try {
      await snapshots.refresh([d.webhookId], { onlyStale: true });
      const webhook = snapshots.get(d.webhookId);
      if (!isActive(webhook)) {
        await killAndAnnounce(snapshots.get(d.webhookId)?.roomId ?? 0, { ids: [d.id, ...board.drop(d.webhookId).map((x) => x.id)] });
        return;
      }
      if (holds.holds(d.webhookId) && !d.trial) {
        await giveBack([d.id, ...board.drop(d.webhookId).map((x) => x.id)], d.webhookId);
        return;
      }
      const a = await attemptDelivery({ config: cfg, sender: deps.sender, recorder }, webhook, d);
      let pending = recording.get(d.webhookId);
      if (!pending) recording.set(d.webhookId, (pending = new Set()));
      pending.add(d.id);
      void a.recorded
        .catch(() => {})
        .finally(() => {
          pending.delete(d.id);
          if (pending.size === 0 && recording.get(d.webhookId) === pending) recording.delete(d.webhookId);
        });
      reporter.attempt(a.result.outcome, a.result.durationMs);
      log.debug(
        { webhookId: d.webhookId, deliveryId: d.id, attempt: a.number, status: a.result.status, outcome: a.result.outcome, durationMs: a.result.durationMs, next: a.next.status },
        "webhook attempt",
      );
      if (a.next.status === "failed") wakeTimer.at(a.next.nextAttemptAt.getTime(), d.webhookId);
      const followUp = a.recorded.then(
        (recorded) => afterRecord(webhook, d, a, recorded),
        () => recordFailed(d),
      );
      // A failure may open the circuit, a dead delivery disable the webhook: nothing more is sent
      // to it until that is decided.
      if (a.next.status !== "succeeded") await followUp;
    } catch (err) {
      // Nothing recorded: the lease runs out and the delivery is claimed again (at least once).
      log.error({ err, webhookId: d.webhookId, deliveryId: d.id }, "webhook delivery step failed");
    } finally {
      board.done(d.webhookId);
      if (more.has(d.webhookId) && board.queued(d.webhookId) <= LOW_WATER) want([d.webhookId]);
      else if (wanted.size > 0) claimSoon();
      pump();
    }
  }

  /** Claims handed back unsent, their attempts untouched: due again at once (or once the circuit lets them). */
  async function giveBack(ids: number[], webhookId: number, why = "after the circuit opened") {
    if (ids.length === 0) return;
    try {
      await release(sql, ids, owner);
    } catch (err) {
      log.warn({ err, webhookId }, `leases not released ${why}; they expire by themselves`);
    }
  }

  /** The batch holding this attempt was not written: stop the lane, so nothing after it goes out first. */
  async function recordFailed(d: ClaimedDelivery) {
    await giveBack([d.id, ...board.drop(d.webhookId).map((x) => x.id)], d.webhookId, "after a failed record");
    // Not at once: a database refusing writes would otherwise have the receiver sent the same
    // deliveries again and again.
    const until = Date.now() + RECORD_RETRY_MS;
    paused.set(d.webhookId, until);
    wakeTimer.at(until, d.webhookId);
  }

  /**
   * A kill that fails is logged, not thrown: the caller goes on with the other webhooks of its batch
   * (a claim that stopped there would leave them leased and unsent). The deliveries not killed stay
   * leased to this process, and a later claim takes them and tries again.
   */
  async function killAndAnnounce(roomId: number, where: { ids: readonly number[] } | { webhookId: number }) {
    try {
      await killAnnounced(sql, reporter, roomId, where);
    } catch (err) {
      log.error({ err, roomId }, "deliveries of an inactive webhook not marked dead; claimed again later");
    }
  }

  return {
    start() {
      stopUpkeep = startUpkeep({
        sql,
        log,
        reporter,
        cfg,
        owner,
        held: () => board.held(),
        found: (ids) => {
          want(ids);
          swept = true;
        },
      });
    },
    wake: want,
    handoff: (deliveries) => {
      if (stopping) return; // their leases expire: the next start claims them
      handoff(deliveries).catch((err) => log.error({ err }, "handed deliveries not taken; they are claimed once their lease ends"));
    },
    webhookChanged: (webhookId) => snapshots.expire(webhookId),
    async stop() {
      stopping = true;
      stopUpkeep();
      wakeTimer.stop();
      await claiming;
      // Attempts in flight end within the attempt timeout; then they are recorded.
      const deadline = new Promise((r) => setTimeout(r, Math.min(cfg.timeoutMs + 5000, 30_000)).unref());
      await Promise.race([Promise.allSettled([...running]), deadline]);
      await recorder.drain();
      try {
        // Held deliveries, and handed ones no lane took: the next start claims them at once.
        await releaseAll(sql, owner);
      } catch (err) {
        log.warn({ err }, "webhook leases not released; they expire by themselves");
      }
      reporter.flush();
    },
  };
}
