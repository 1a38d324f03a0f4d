// A post to /api/hooks/:hookId, in the contract's order: the hook (404), its key or signature
// (401), the rate limit (429), then the body (415 / 400). Two guards come first and cost nothing:
// a caller whose keys or signatures keep failing gets 429 before any HMAC is computed, and a body
// declared over 1 MiB gets 413 before it is read. Every request to an existing hook lands in its
// request log, whatever the answer.
import type { AppContext } from "../../app-context.ts";
import { forbidden, payloadTooLarge, rateLimited, unauthorized, unsupportedMediaType } from "../../http/errors.ts";
import { toAppError } from "../../http/error-middleware.ts";
import { createMessage } from "../../messages/messages.service.ts";
import { checkApiKey, checkSignature, offeredSignatures, type AuthResult, type HookRequest, type Verification } from "./hook-auth.ts";
import { decodeHookBody, slackText, type BodyKind } from "./hook-text.ts";
import type { RateLimiter } from "../../rate-limit/rate-limit.ts";
import type { BodyReader } from "./read-body.ts";
import { HookRefusal, refuse } from "./refusal.ts";
import type { ReplayGuard } from "./replay-guard.ts";
import { LOGGED_BODY_BYTES, recordHookRequest, redactHeaders } from "./request-log.ts";
import { renderTemplate } from "./template.ts";

type Deps = Pick<AppContext, "db" | "sql" | "bus" | "metrics" | "log">;

export const MAX_BODY_BYTES = 1024 * 1024;

export interface HookGuards {
  /** Posts per hook. */
  rate: RateLimiter;
  /** Failed keys or signatures per hook and source address. */
  authFailures: RateLimiter;
  replays: ReplayGuard;
}

export interface HookPost {
  sourceIp: string;
  request: HookRequest;
  /** All headers as received (redacted before they are logged). */
  headers: Record<string, string | string[] | undefined>;
  kind: BodyKind;
  contentEncoding: string | undefined;
  declaredLength: number | undefined;
  body: BodyReader;
}

export interface ReceivingHook {
  id: number;
  roomId: number;
  verification: string;
  secret: string;
  botUserId: number;
  enabled: boolean;
  template: string | null;
}

/** What the request log learns as the checks go. */
interface Seen {
  body: Buffer;
  size: number | undefined;
  sample?: string;
}

export async function receiveHookPost(deps: Deps, guards: HookGuards, hook: ReceivingHook, post: HookPost) {
  const seen: Seen = { body: Buffer.alloc(0), size: post.declaredLength };
  let claimed: string | undefined;
  const log = (status: number, reason: string | null, messageId: number | null) =>
    recordHookRequest(deps, {
      hookId: hook.id,
      status,
      reason,
      headers: redactHeaders(post.headers, [hook.secret]),
      body: seen.body,
      size: seen.size ?? seen.body.length,
      messageId,
      sample: seen.sample,
    }).catch((err) => deps.log.warn({ err, hookId: hook.id }, "incoming hook request not logged"));

  try {
    const replay = await authenticate(guards, hook, post, seen);
    // A timestamped signature posts once: claimed here, given back if this request posts nothing.
    if (replay) {
      const key = `${hook.id}:${replay.key}`;
      if (!(await guards.replays.claim(key, replay.expiresAtMs))) {
        throw refuse("replayed request", unauthorized("This signature was already used: sign each request with a new Webhook-Timestamp"));
      }
      claimed = key;
    }
    if (!hook.enabled) throw refuse("hook disabled", forbidden("This incoming webhook is disabled"));
    const rate = await guards.rate.take(hook.id);
    if (!rate.allowed) throw refuse("rate limited", rateLimited(rate.retryAfterS));

    const text = await readText(hook, post, seen);
    const { message } = await createMessage(deps, { roomId: hook.roomId, fromUserId: hook.botUserId, source: "incoming", body: { text } });
    await log(201, null, message.id);
    return { message };
  } catch (err) {
    if (claimed) await guards.replays.release(claimed);
    if (!post.body.complete && seen.body.length < LOGGED_BODY_BYTES) {
      seen.body = await post.body.prefix(LOGGED_BODY_BYTES).catch(() => seen.body);
    }
    const appError = toAppError(err);
    const reason = err instanceof HookRefusal ? err.reason : (appError?.code ?? "server error");
    await log(appError?.status ?? 500, reason, null);
    throw err;
  }
}

/** The guards, then the key or signature; the body is read only when a signature needs it. */
async function authenticate(guards: HookGuards, hook: ReceivingHook, post: HookPost, seen: Seen) {
  const failures = `${hook.id}|${post.sourceIp}`;
  const blocked = await guards.authFailures.peek(failures);
  if (!blocked.allowed) throw refuse("too many failed attempts", rateLimited(blocked.retryAfterS));
  if (post.declaredLength !== undefined && post.declaredLength > MAX_BODY_BYTES) throw refuse("body too large", payloadTooLarge());
  const result = await checkCredentials(hook, post, seen);
  if (!result.ok) {
    await guards.authFailures.take(failures);
    throw refuse(result.reason, unauthorized(result.message));
  }
  return result.replay;
}

async function checkCredentials(hook: ReceivingHook, post: HookPost, seen: Seen): Promise<AuthResult> {
  const credentials = { verification: hook.verification as Verification, secret: hook.secret };
  if (credentials.verification === "api_key") return checkApiKey(credentials, post.request);
  const offered = offeredSignatures(credentials, post.request);
  if (!offered.ok) return offered;
  await readWholeBody(post, seen);
  return checkSignature(credentials, post.request, seen.body, offered.signatures, Date.now());
}

async function readWholeBody(post: HookPost, seen: Seen) {
  const { bytes, tooLarge } = await post.body.whole(MAX_BODY_BYTES);
  seen.body = bytes;
  if (tooLarge) throw refuse("body too large", payloadTooLarge());
  seen.size = bytes.length;
}

/** The message text: the hook's template over the JSON, or Slack's rule without one. */
async function readText(hook: ReceivingHook, post: HookPost, seen: Seen): Promise<string> {
  await readWholeBody(post, seen);
  const encoding = post.contentEncoding?.trim().toLowerCase();
  if (encoding && encoding !== "identity") {
    throw refuse("unsupported content encoding", unsupportedMediaType("Send the body without a Content-Encoding"));
  }
  const decoded = decodeHookBody(seen.body, post.kind);
  seen.sample = decoded.text;
  return hook.template ? renderTemplate(hook.template, decoded.json) : slackText(decoded.json);
}
