// One attempt of one delivery: build and send the signed request, decide what comes next
// (succeeded, a retry, dead), and hand the attempt with the delivery's new state to the recorder.
// What follows the write (the live log, a reply, automatic disabling) is the dispatcher's.
import type { Config } from "../../../config.ts";
import type { AttemptEntry, Recorded, Recorder } from "../outbox/attempt-records.ts";
import type { ClaimedDelivery } from "../outbox/claims.ts";
import { buildDeliveryRequest } from "../wire/delivery-request.ts";
import { LOGGED_BODY_BYTES, type AttemptResult, type Sender } from "../wire/sender.ts";
import { decideRetry } from "./retry-policy.ts";
import type { WebhookSnapshot } from "./webhook-snapshots.ts";

/** A reply can hold 10,000 characters of text, well over the 4 KiB kept for the log. */
const REPLY_CAPTURE_BYTES = 64 * 1024;
const MAX_REPLY_CHARS = 10_000;

export interface AttemptDeps {
  config: Config["webhooks"];
  sender: Sender;
  recorder: Recorder;
}

export type NextState = { status: "succeeded" | "failed" | "dead"; nextAttemptAt: Date; completedAt: Date | null };

export interface Attempted {
  number: number;
  result: AttemptResult;
  next: NextState;
  /** 410 Gone: the webhook is disabled at once. */
  gone: boolean;
  /** Reply-back: the text to post once the attempt is recorded. */
  replyText?: string;
  /** Resolves once the attempt and the delivery's new state are committed. */
  recorded: Promise<Recorded>;
}

export async function attemptDelivery(deps: AttemptDeps, webhook: WebhookSnapshot, d: ClaimedDelivery): Promise<Attempted> {
  const startedAt = new Date();
  const number = d.attempts + 1;
  const request = buildDeliveryRequest(webhook, d, startedAt.getTime());
  const replyPossible = webhook.replyEnabled && d.event === "message.created";
  const result = await deps.sender.send({
    url: webhook.url,
    method: webhook.method,
    headers: request.headers,
    body: request.body,
    timeoutMs: deps.config.timeoutMs,
    captureBytes: replyPossible ? REPLY_CAPTURE_BYTES : LOGGED_BODY_BYTES,
  });
  const next = decide(deps.config, webhook, number, result);
  const responded = result.status !== undefined;
  const entry: AttemptEntry = {
    deliveryId: d.id,
    webhookId: webhook.id,
    resetsDeadStreak: webhook.deadStreak !== 0,
    movesCircuit: next.status !== "succeeded" || webhook.circuit.state !== "closed" || webhook.circuit.failures !== 0,
    attempt: {
      number,
      startedAt,
      durationMs: result.durationMs,
      requestHeaders: JSON.stringify(request.headers),
      // Stored only when the bytes sent differ from the payload (form-encoded webhooks).
      requestBody: request.body === d.payload ? null : request.body,
      responseStatus: result.status ?? null,
      responseHeaders: responded ? JSON.stringify(result.headers) : null,
      responseBody: responded ? first4KiB(result.body) : null,
      error: result.error ?? null,
    },
    next: {
      status: next.status,
      nextAttemptAt: next.status === "failed" ? next.nextAttemptAt : null,
      completedAt: next.completedAt,
    },
  };
  if (next.status === "succeeded") webhook.deadStreak = 0;
  return {
    number,
    result,
    next,
    gone: result.status === 410,
    replyText: replyPossible && next.status === "succeeded" ? replyText(result.body) : undefined,
    recorded: deps.recorder.record(entry),
  };
}

function decide(config: AttemptDeps["config"], webhook: WebhookSnapshot, number: number, result: AttemptResult): NextState {
  const now = new Date();
  if (result.outcome === "success") return { status: "succeeded", nextAttemptAt: now, completedAt: now };
  // 410 Gone: the receiver says the endpoint is gone for good; retrying is pointless.
  if (result.status === 410) return { status: "dead", nextAttemptAt: now, completedAt: now };
  const retry = decideRetry({
    attemptsMade: number,
    maxAttempts: webhook.maxAttempts,
    delays: config.retryDelaysMs,
    status: result.status,
    retryAfter: result.headers["retry-after"],
    now: now.getTime(),
  });
  return retry.dead
    ? { status: "dead", nextAttemptAt: now, completedAt: now }
    : { status: "failed", nextAttemptAt: retry.nextAttemptAt!, completedAt: null };
}

const first4KiB = (s: string) => {
  if (s.length * 3 <= LOGGED_BODY_BYTES) return s;
  const b = Buffer.from(s, "utf8");
  return b.length <= LOGGED_BODY_BYTES ? s : b.subarray(0, LOGGED_BODY_BYTES).toString("utf8");
};

/** Reply-back: a 2xx JSON `{"text": "..."}`; anything else is an ordinary acknowledgement. */
function replyText(body: string): string | undefined {
  if (!body.startsWith("{") && !body.trimStart().startsWith("{")) return undefined;
  let text: unknown;
  try {
    text = (JSON.parse(body) as { text?: unknown } | null)?.text;
  } catch {
    return undefined;
  }
  return typeof text === "string" && text.trim() !== "" && text.length <= MAX_REPLY_CHARS ? text : undefined;
}
