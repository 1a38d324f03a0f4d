// What follows the committed record of an attempt: the live delivery log, the reply posted into the
// room, the circuit that opened (the lane's deliveries go back unsent) or closed after its trial, and
// automatic disabling after a dead delivery (410 Gone, or WEBHOOK_DEAD_STREAK dead in a row).
import type { Config } from "../../../config.ts";
import type { SqlDb } from "../../../db/sql.ts";
import type { Logger } from "../../../observability/logger.ts";
import type { Circuit } from "../circuit.ts";
import type { Recorded } from "../outbox/attempt-records.ts";
import type { ClaimedDelivery } from "../outbox/claims.ts";
import type { Attempted } from "./attempt.ts";
import type { CircuitHolds } from "./circuit-holds.ts";
import { disableWebhook } from "./dispatch-sql.ts";
import type { LaneBoard } from "./lanes.ts";
import type { Reporter } from "./reporter.ts";
import type { WakeTimer } from "./wake-timer.ts";
import { deadStreakReason, disabledNotice, goneReason, type WebhookSnapshot } from "./webhook-snapshots.ts";

export interface AfterRecordDeps {
  sql: SqlDb;
  log: Logger;
  reporter: Reporter;
  cfg: Config["webhooks"];
  board: LaneBoard<ClaimedDelivery>;
  holds: CircuitHolds;
  wakeTimer: WakeTimer;
  /** Asks the next claim for these webhooks. */
  want(webhookIds: Iterable<number>): void;
  /** The webhook's lane stopped: no claim for it until its circuit lets one. */
  stopClaiming(webhookId: number): void;
  /** Claims given back unsent (due again at once, or once the circuit lets them). */
  giveBack(ids: number[], webhookId: number): Promise<void>;
  killAndAnnounce(roomId: number, where: { webhookId: number }): Promise<void>;
}

export function createAfterRecord(deps: AfterRecordDeps) {
  const { sql, log, reporter, cfg, board, holds, wakeTimer, want, stopClaiming, giveBack, killAndAnnounce } = deps;

  async function afterRecord(webhook: WebhookSnapshot, d: ClaimedDelivery, a: Attempted, recorded: Recorded) {
    try {
      reporter.delivery(webhook.roomId, {
        ...d,
        status: a.next.status,
        attempts: a.number,
        nextAttemptAt: a.next.nextAttemptAt,
        lastStatusCode: a.result.status ?? null,
        completedAt: a.next.completedAt,
        durationMs: a.result.durationMs,
      });
      if (recorded.circuit) await circuitMoved(webhook, d, recorded.circuit);
      if (a.next.status === "succeeded") {
        reporter.succeeded(d.createdAt);
        // Posted only once the attempt is committed: a delivery sent again after a lost record replies once.
        if (a.replyText) reporter.send({ type: "reply", roomId: webhook.roomId, webhookId: webhook.id, botUserId: webhook.botUserId, text: a.replyText });
      }
      if (a.next.status !== "dead") return;
      reporter.dead();
      if (recorded.deadStreak !== undefined) webhook.deadStreak = recorded.deadStreak;
      if (a.gone) await disableAutomatically(webhook, goneReason());
      else if (webhook.deadStreak >= cfg.deadStreakLimit) await disableAutomatically(webhook, deadStreakReason(cfg.deadStreakLimit));
    } catch (err) {
      log.error({ err, webhookId: webhook.id, deliveryId: d.id }, "after a webhook attempt");
    }
  }

  /** The record moved the webhook's circuit: an open one stops the lane and gives its deliveries back unsent. */
  async function circuitMoved(webhook: WebhookSnapshot, d: ClaimedDelivery, circuit: Circuit) {
    const was = webhook.circuit.state;
    webhook.circuit = circuit;
    if (circuit.state !== was) reporter.webhookChanged(webhook.roomId, webhook.id);
    if (circuit.state === "open") {
      holds.hold(webhook.id);
      stopClaiming(webhook.id);
      await giveBack(board.drop(webhook.id).map((x) => x.id), webhook.id);
      wakeTimer.at(circuit.openUntil!.getTime(), webhook.id);
    } else if (d.trial) {
      // The trial succeeded: the deliveries that waited follow, in order.
      want([webhook.id]);
    }
  }

  async function disableAutomatically(webhook: WebhookSnapshot, reason: string) {
    webhook.enabled = false;
    const [did] = await sql.transaction((q) => q.all(disableWebhook, { webhookId: webhook.id, reason }));
    board.drop(webhook.id);
    if (did === undefined) return; // someone else disabled it first
    log.info({ webhookId: webhook.id, roomId: webhook.roomId, reason }, "webhook disabled");
    await killAndAnnounce(webhook.roomId, { webhookId: webhook.id });
    reporter.webhookChanged(webhook.roomId, webhook.id);
    reporter.send({ type: "disabled", roomId: webhook.roomId, webhookId: webhook.id, botUserId: webhook.botUserId, text: disabledNotice(webhook.name, reason) });
  }

  return afterRecord;
}
