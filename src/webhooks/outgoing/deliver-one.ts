// One attempt of one delivery, start to end: build and send the signed request, decide what comes
// next (succeeded, retry, dead), hand the attempt and the delivery's new state to the recorder,
// then the consequences: metrics, the live event, reply-back, automatic disabling.
import type { AppContext } from "../../app-context.ts";
import { createMessage } from "../../messages/messages.service.ts";
import type { ClaimedDelivery } from "./claim.ts";
import { presentDelivery } from "./deliveries.presenter.ts";
import { lastAttemptDurations } from "./deliveries.service.ts";
import { buildDeliveryRequest } from "./delivery-request.ts";
import type { AttemptEntry, Recorder } from "./recorder.ts";
import { decideRetry } from "./retry-policy.ts";
import { LOGGED_BODY_BYTES, type AttemptResult, type Sender } from "./send-attempt.ts";
import {
  deadStreakReason,
  disableWebhook,
  disabledNotice,
  goneReason,
  killDeliveries,
  type KilledDelivery,
  type WebhookSnapshot,
} from "./webhook-state.ts";

/** A reply can hold 10,000 characters of text, well over the 4 KiB kept for the log. */
const REPLY_CAPTURE_BYTES = 64 * 1024;
const MAX_REPLY_CHARS = 10_000;

export interface DeliverDeps {
  ctx: AppContext;
  sender: Sender;
  recorder: Recorder;
}

type FinalOrRetry = { status: "succeeded" | "failed" | "dead"; nextAttemptAt: Date; completedAt: Date | null };

export interface DeliverOutcome {
  /** The webhook got disabled by this attempt (410, dead streak). */
  disabled: boolean;
  /** Set when a retry is scheduled. */
  retryAt?: Date;
}

/** Sends one attempt and records it. */
export async function deliverOne(deps: DeliverDeps, webhook: WebhookSnapshot, d: ClaimedDelivery): Promise<DeliverOutcome> {
  const { ctx } = deps;
  const startedAt = new Date();
  const number = d.attempts + 1;
  const request = buildDeliveryRequest(webhook, d, startedAt.getTime());
  const replyPossible = webhook.replyEnabled && d.event === "message.created";
  const result = await deps.sender.send({
    url: webhook.url,
    method: webhook.method,
    headers: request.headers,
    body: request.body,
    timeoutMs: ctx.config.webhooks.timeoutMs,
    captureBytes: replyPossible ? REPLY_CAPTURE_BYTES : LOGGED_BODY_BYTES,
  });
  ctx.metrics.webhookAttempts.inc({ outcome: result.outcome });
  ctx.metrics.webhookAttemptDuration.observe(result.durationMs / 1000);

  const gone = result.status === 410;
  const next = decide(ctx, webhook, number, result);
  const lastStatusCode = result.status ?? null;
  // The live log hears of the change once it is committed, so what it then reads agrees.
  const entry = attemptEntry(webhook, d, { number, startedAt, request, result, next });
  if (next.status === "succeeded") webhook.deadStreak = 0;
  const committed = deps.recorder.record(entry).then((recorded) => {
    publishDelivery(ctx, webhook.roomId, {
      ...d,
      status: next.status,
      attempts: number,
      nextAttemptAt: next.nextAttemptAt,
      lastStatusCode,
      completedAt: next.completedAt,
      durationMs: result.durationMs,
    });
    return recorded;
  });
  ctx.log.debug(
    { webhookId: webhook.id, deliveryId: d.id, attempt: number, status: result.status, outcome: result.outcome, durationMs: result.durationMs, next: next.status },
    "webhook attempt",
  );

  if (next.status === "succeeded") {
    committed.catch(() => {}); // the recorder logs it; the lease makes the delivery due again
    ctx.metrics.webhookDeliveries.inc({ status: "succeeded" });
    ctx.metrics.webhookDeliveryLatency.observe((Date.now() - d.createdAt.getTime()) / 1000);
    if (replyPossible) await postReply(ctx, webhook, result.body);
    return { disabled: false };
  }
  if (next.status === "failed") {
    committed.catch(() => {});
    return { disabled: false, retryAt: next.nextAttemptAt };
  }
  // Dead: the webhook's dead streak decides whether it is disabled, so wait for the write.
  ctx.metrics.webhookDeliveries.inc({ status: "dead" });
  const { deadStreak } = await committed;
  if (deadStreak !== undefined) webhook.deadStreak = deadStreak;
  if (gone) return { disabled: await disableAutomatically(ctx, webhook, goneReason()) };
  const limit = ctx.config.webhooks.deadStreakLimit;
  if (deadStreak !== undefined && deadStreak >= limit) {
    return { disabled: await disableAutomatically(ctx, webhook, deadStreakReason(limit)) };
  }
  return { disabled: false };
}

function decide(ctx: AppContext, webhook: WebhookSnapshot, number: number, result: AttemptResult): FinalOrRetry {
  const now = new Date();
  if (result.outcome === "success") return { status: "succeeded", nextAttemptAt: now, completedAt: now };
  // 410 Gone: the receiver says the endpoint is gone for good; retrying is pointless.
  if (result.status === 410) return { status: "dead", nextAttemptAt: now, completedAt: now };
  const retry = decideRetry({
    attemptsMade: number,
    maxAttempts: webhook.maxAttempts,
    delays: ctx.config.webhooks.retryDelaysMs,
    status: result.status,
    retryAfter: result.headers["retry-after"],
    now: now.getTime(),
  });
  return retry.dead
    ? { status: "dead", nextAttemptAt: now, completedAt: now }
    : { status: "failed", nextAttemptAt: retry.nextAttemptAt!, completedAt: null };
}

const first4KiB = (s: string) => {
  const b = Buffer.from(s, "utf8");
  return b.length <= LOGGED_BODY_BYTES ? s : b.subarray(0, LOGGED_BODY_BYTES).toString("utf8");
};

function attemptEntry(
  webhook: WebhookSnapshot,
  d: ClaimedDelivery,
  a: { number: number; startedAt: Date; request: { headers: Record<string, string>; body: string }; result: AttemptResult; next: FinalOrRetry },
): AttemptEntry {
  const responded = a.result.status !== undefined;
  return {
    deliveryId: d.id,
    webhookId: webhook.id,
    resetsDeadStreak: webhook.deadStreak !== 0,
    attempt: {
      number: a.number,
      startedAt: a.startedAt,
      durationMs: a.result.durationMs,
      requestHeaders: JSON.stringify(a.request.headers),
      requestBody: a.request.body,
      responseStatus: a.result.status ?? null,
      responseHeaders: responded ? JSON.stringify(a.result.headers) : null,
      responseBody: responded ? first4KiB(a.result.body) : null,
      error: a.result.error ?? null,
    },
    next: {
      status: a.next.status,
      nextAttemptAt: a.next.status === "failed" ? a.next.nextAttemptAt : null,
      completedAt: a.next.completedAt,
    },
  };
}

type DeliveryState = Omit<ClaimedDelivery, "payload"> & { nextAttemptAt: Date; lastStatusCode: number | null; completedAt: Date | null };

/** `durationMs`: of the delivery's last attempt, null if it had none (as the delivery log shows it). */
export function publishDelivery(ctx: AppContext, roomId: number, d: (DeliveryState | KilledDelivery) & { durationMs: number | null }): void {
  const delivery = presentDelivery(d);
  ctx.bus.publish("webhook.delivery", { roomId, webhookId: d.webhookId, delivery });
}

/** Reply-back: a 2xx JSON `{"text": "..."}` is posted as the webhook's bot; a bad reply never fails the delivery. */
async function postReply(ctx: AppContext, webhook: WebhookSnapshot, body: string): Promise<void> {
  let text: unknown;
  try {
    text = (JSON.parse(body) as { text?: unknown } | null)?.text;
  } catch {
    return; // not JSON: an ordinary acknowledgement
  }
  if (typeof text !== "string" || text.trim() === "" || text.length > MAX_REPLY_CHARS) return;
  try {
    await createMessage(ctx, { roomId: webhook.roomId, fromUserId: webhook.botUserId, source: "reply", type: "text", body: { text } });
  } catch (err) {
    ctx.log.warn({ err, webhookId: webhook.id }, "webhook reply could not be posted");
  }
}

/**
 * Disables the webhook (if still enabled), kills its open deliveries and posts a notice in the room
 * as its bot. Source "system": the notice triggers no webhook.
 */
export async function disableAutomatically(ctx: AppContext, webhook: WebhookSnapshot, reason: string): Promise<boolean> {
  webhook.enabled = false;
  if (!(await disableWebhook(ctx.db, webhook.id, reason))) return false;
  ctx.log.info({ webhookId: webhook.id, roomId: webhook.roomId, reason }, "webhook disabled");
  await killAndAnnounce(ctx, webhook.roomId, { webhookId: webhook.id });
  try {
    await createMessage(ctx, {
      roomId: webhook.roomId,
      fromUserId: webhook.botUserId,
      source: "system",
      type: "text",
      body: { text: disabledNotice(webhook.name, reason) },
    });
  } catch (err) {
    ctx.log.warn({ err, webhookId: webhook.id }, "notice of a disabled webhook could not be posted");
  }
  return true;
}

/** Kills open deliveries (never sent from now on) and announces each. */
export async function killAndAnnounce(ctx: AppContext, roomId: number, where: { ids: readonly number[] } | { webhookId: number }) {
  const killed = await killDeliveries(ctx.db, where);
  // Only deliveries that were tried have a last attempt to report (one query per batch, if any).
  const tried = killed.filter((k) => k.attempts > 0).map((k) => k.id);
  const durations = tried.length > 0 ? await lastAttemptDurations(ctx.db, tried) : new Map<number, number>();
  for (const k of killed) {
    ctx.metrics.webhookDeliveries.inc({ status: "dead" });
    publishDelivery(ctx, roomId, { ...k, durationMs: durations.get(k.id) ?? null });
  }
  return killed;
}
