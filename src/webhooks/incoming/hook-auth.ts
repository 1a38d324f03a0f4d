// Checks the key or signature of a request to an incoming hook. Pure: the caller passes the
// headers, the `?token=` value and, for HMAC hooks, the raw body and the time.
//
// HMAC hooks take a signature of the body alone (docs/api.md, "Posting to an incoming hook"), or,
// when the request carries `Webhook-Timestamp` (and optionally `Webhook-Id`), a signature of
// "<id>.<timestamp>.<body>" or "<timestamp>.<body>" (the Standard Webhooks scheme). Only the
// second kind can be refused as a replay: its timestamp must be within 5 minutes, and the caller
// lets each such signature post once (see replay-guard.ts). The signatures themselves are read and
// compared by webhooks/signatures.ts; this file decides which headers count and words the refusals.
import { decodeSignatures, matchBodySignature, stringsEqual } from "../signatures.ts";

import type { Verification } from "../../contracts/enums.ts";

export { VERIFICATIONS, type Verification } from "../../contracts/enums.ts";

/** How far a signed timestamp may be from the server's clock, either way. */
export const TIMESTAMP_TOLERANCE_S = 5 * 60;

export interface HookCredentials {
  verification: Verification;
  /** The API key, or the HMAC secret. */
  secret: string;
}

export interface HookRequest {
  header(name: string): string | undefined;
  /** The `token` query parameter, when given exactly once. */
  token: string | undefined;
}

export type AuthRefusal = { ok: false; reason: string; message: string };
/** `replay`: a signature over a timestamp, which may be used once until `expiresAtMs`. */
export type AuthResult = { ok: true; replay?: { key: string; expiresAtMs: number } } | AuthRefusal;

const refusal = (reason: string, message: string): AuthRefusal => ({ ok: false, reason, message });

/** api_key hooks: the key in x-api-key or ?token=, compared in constant time. */
export function checkApiKey(hook: HookCredentials, req: HookRequest): AuthResult {
  const given = req.header("x-api-key") ?? req.token;
  if (!given) return refusal("missing key", "Missing API key: send the x-api-key header or ?token=");
  return stringsEqual(given, hook.secret) ? { ok: true } : refusal("bad key", "Invalid API key");
}

/** GitHub sends its hex HMAC of the body as X-Hub-Signature-256: the same thing under another name. */
const SIGNATURE_HEADERS = {
  hmac_sha256_base64: ["Webhook-Signature"],
  hmac_sha256_hex: ["X-Signature", "X-Hub-Signature-256"],
} as const;

/**
 * The signatures a request to an HMAC hook offers, decoded; a refusal when it offers none that
 * could match (missing header, or nothing well formed), so no HMAC is spent on it.
 */
export function offeredSignatures(hook: HookCredentials, req: HookRequest): { ok: true; signatures: Buffer[] } | AuthRefusal {
  if (hook.verification === "api_key") throw new Error("offeredSignatures: not an HMAC hook");
  const names = SIGNATURE_HEADERS[hook.verification];
  const values = names.map((n) => req.header(n)).filter((v): v is string => !!v);
  if (!values.length) return refusal("missing signature", `Missing ${names[0]} header`);
  const encoding = hook.verification === "hmac_sha256_base64" ? "base64" : "hex";
  // Usually one bare digest; a `v1,` or `sha256=` prefix, or several space-separated signatures, also work.
  const signatures = decodeSignatures(values, encoding);
  if (!signatures.length) return refusal("bad signature", `Invalid ${names[0]}: not a ${encoding} HMAC-SHA256`);
  return { ok: true, signatures };
}

/** HMAC hooks: one of the offered signatures must be the HMAC of the body, or of the timestamped body. */
export function checkSignature(hook: HookCredentials, req: HookRequest, rawBody: Buffer, signatures: Buffer[], nowMs: number): AuthResult {
  const name = SIGNATURE_HEADERS[hook.verification as Exclude<Verification, "api_key">][0];
  const match = matchBodySignature(hook.secret, signatures, rawBody, { timestamp: req.header("webhook-timestamp"), id: req.header("webhook-id") });
  if (match.matched === "timestamped") {
    const signedAtMs = match.timestampS * 1000;
    if (Math.abs(nowMs - signedAtMs) > TIMESTAMP_TOLERANCE_S * 1000) {
      return refusal("stale timestamp", "Webhook-Timestamp is more than 5 minutes away from the server's clock");
    }
    return { ok: true, replay: { key: match.hmac.toString("base64"), expiresAtMs: signedAtMs + TIMESTAMP_TOLERANCE_S * 1000 } };
  }
  return match.matched === "body" ? { ok: true } : refusal("bad signature", `Invalid ${name}: it does not match the body`);
}

/** Both steps at once (the key, or the signatures offered and checked). */
export function checkHookRequest(hook: HookCredentials, req: HookRequest & { rawBody: Buffer }, nowMs = Date.now()): AuthResult {
  if (hook.verification === "api_key") return checkApiKey(hook, req);
  const offered = offeredSignatures(hook, req);
  return offered.ok ? checkSignature(hook, req, req.rawBody, offered.signatures, nowMs) : offered;
}
