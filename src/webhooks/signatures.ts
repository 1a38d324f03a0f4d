// Webhook signatures, in one place: the HMAC key rule, signing what the server sends (Standard
// Webhooks `webhook-signature`, hex `X-Signature`), and checking signatures, for the three that do:
// incoming hooks (hook-auth.ts), the inspector's checker (signature-check.ts) and the spec's own
// verification (verifyStandardWebhook, for receivers' tests). Each caller keeps its own wording and
// its own clock; what is signed, how a signature is written and how it is compared live here.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

/** The README's "HMAC key" rule: `whsec_` + base64 -> the decoded bytes; anything else -> its UTF-8 bytes. */
export function hmacKey(secret: string): Buffer {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice("whsec_".length), "base64") : Buffer.from(secret, "utf8");
}

const toBuffer = (body: string | Buffer) => (typeof body === "string" ? Buffer.from(body, "utf8") : body);

export function hmacSha256(secret: string, data: string | Buffer): Buffer {
  return createHmac("sha256", hmacKey(secret)).update(data).digest();
}

/** Equal-length buffers compared in constant time; a length mismatch is just false (lengths are public). */
export function bytesEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Strings of any length compared in constant time: both sides are hashed first. */
export function stringsEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** What a timestamped signature covers: "<id>.<timestamp>.<body>" (Standard Webhooks), or "<timestamp>.<body>" without an id. */
export function timestampedContent(body: string | Buffer, timestamp: string | number, id?: string): Buffer {
  return Buffer.concat([Buffer.from(id === undefined ? `${timestamp}.` : `${id}.${timestamp}.`, "utf8"), toBuffer(body)]);
}

// ---- signing (the dispatcher's requests) ----

// Signing runs for every attempt: the body goes to the HMAC as it is, with no copy made first.

/** One Standard Webhooks signature: `v1,<base64 HMAC-SHA256(key, "<id>.<ts>.<body>")>`. */
export function signStandard(secret: string, id: string, timestampS: number, body: string | Buffer): string {
  return `v1,${createHmac("sha256", hmacKey(secret)).update(`${id}.${timestampS}.`).update(body).digest("base64")}`;
}

/** Hex HMAC-SHA256 of the body (the `X-Signature` header). */
export function signXSignature(secret: string, body: string | Buffer): string {
  return createHmac("sha256", hmacKey(secret)).update(body).digest("hex");
}

export interface SigningSecrets {
  secret: string;
  previousSecret?: string | null;
  previousSecretExpiresAt?: Date | null;
}

/** The signature headers of one attempt; during a rotation `webhook-signature` carries both signatures. */
export function signatureHeaders(
  s: SigningSecrets,
  id: string,
  timestampS: number,
  body: string | Buffer,
  now = Date.now(),
): { "webhook-signature": string; "X-Signature": string } {
  const signatures = [signStandard(s.secret, id, timestampS, body)];
  if (s.previousSecret && s.previousSecretExpiresAt && s.previousSecretExpiresAt.getTime() > now) {
    signatures.push(signStandard(s.previousSecret, id, timestampS, body));
  }
  return { "webhook-signature": signatures.join(" "), "X-Signature": signXSignature(s.secret, body) };
}

// ---- reading signatures ----

export type SignatureEncoding = "base64" | "hex";

/** Decodes a signature as the sender wrote it (base64 or hex); undefined when it is not well formed. */
export function decodeSignature(value: string, encoding: SignatureEncoding): Buffer | undefined {
  if (encoding === "hex") return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : undefined;
  // Standard base64, padding optional; base64url spellings are accepted too.
  return /^[A-Za-z0-9+/_-]{43}=?$/.test(value) ? Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64") : undefined;
}

/** A signature without the `v1,` (Standard Webhooks) or `sha256=` (GitHub) in front of it. */
export function stripSignaturePrefix(signature: string): string {
  if (signature.startsWith("v1,")) return signature.slice(3);
  if (signature.toLowerCase().startsWith("sha256=")) return signature.slice(7);
  return signature;
}

/** Header values split into their space-separated signatures, prefixes stripped, decoded; malformed ones dropped. */
export function decodeSignatures(values: readonly string[], encoding: SignatureEncoding): Buffer[] {
  return values
    .flatMap((v) => v.trim().split(/\s+/))
    .map((s) => decodeSignature(stripSignaturePrefix(s), encoding))
    .filter((s): s is Buffer => s !== undefined);
}

/** The HMAC of `content` when one of the offered signatures is it, else undefined. */
export function matchingHmac(secret: string, offered: readonly Buffer[], content: Buffer): Buffer | undefined {
  const expected = hmacSha256(secret, content);
  return offered.some((s) => bytesEqual(s, expected)) ? expected : undefined;
}

// ---- checking ----

/** An HMAC over the body, or over the timestamped body when the request names a timestamp (the timestamped form is tried first). */
export type HmacMatch = { matched: "timestamped"; hmac: Buffer; timestampS: number } | { matched: "body" } | { matched: false };

/** Incoming hooks: the offered signatures against the body, and against "<id>.<ts>.<body>" / "<ts>.<body>" when a timestamp is given. */
export function matchBodySignature(secret: string, offered: readonly Buffer[], body: Buffer, stamp: { timestamp?: string; id?: string }): HmacMatch {
  const timestamp = stamp.timestamp?.trim();
  if (timestamp && /^\d{1,12}$/.test(timestamp)) {
    const hmac = matchingHmac(secret, offered, timestampedContent(body, timestamp, stamp.id));
    if (hmac) return { matched: "timestamped", hmac, timestampS: Number(timestamp) };
  }
  return matchingHmac(secret, offered, body) ? { matched: "body" } : { matched: false };
}

/** The three Standard Webhooks headers, as a caller found them. */
export interface StandardHeaders {
  id?: string;
  timestamp?: string;
  signature?: string;
}

/**
 * The Standard Webhooks check without the clock (each caller judges the timestamp against its own:
 * now, or when a request arrived): the headers' presence and form, then whether any `v1,`
 * signature of the list is the HMAC of "<id>.<ts>.<body>".
 */
export type StandardCheck =
  | { problem: "missing"; header: "webhook-signature" | "webhook-id" | "webhook-timestamp" }
  | { problem: "bad-timestamp" }
  | { problem: "no-v1"; timestampS: number }
  | { problem?: undefined; matched: boolean; offered: number; timestampS: number };

export function checkStandardSignature(secret: string, h: StandardHeaders, body: string | Buffer): StandardCheck {
  if (!h.signature) return { problem: "missing", header: "webhook-signature" };
  if (!h.id) return { problem: "missing", header: "webhook-id" };
  if (!h.timestamp) return { problem: "missing", header: "webhook-timestamp" };
  const timestamp = h.timestamp.trim();
  if (!/^\d{1,12}$/.test(timestamp)) return { problem: "bad-timestamp" };
  const timestampS = Number(timestamp);
  const v1 = h.signature
    .trim()
    .split(/\s+/)
    .filter((s) => s.startsWith("v1,"))
    .map((s) => decodeSignature(s.slice(3), "base64"));
  if (v1.length === 0) return { problem: "no-v1", timestampS };
  const offered = v1.filter((s): s is Buffer => s !== undefined);
  return { matched: matchingHmac(secret, offered, timestampedContent(body, timestamp, h.id)) !== undefined, offered: v1.length, timestampS };
}

/** An `X-Signature` (hex, `sha256=` accepted) against the body: missing, malformed, or whether it matches. */
export function checkHexSignature(secret: string, value: string | undefined, body: string | Buffer): "missing" | "malformed" | boolean {
  const trimmed = value?.trim();
  if (!trimmed) return "missing";
  const given = decodeSignature(trimmed.toLowerCase().startsWith("sha256=") ? trimmed.slice(7) : trimmed, "hex");
  if (!given) return "malformed";
  return bytesEqual(given, hmacSha256(secret, toBuffer(body)));
}

export type VerifyResult = { valid: true } | { valid: false; reason: string };

const headerOf = (headers: Record<string, string | string[] | undefined>, name: string): string | undefined => {
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v[0] : v;
  }
  return undefined;
};

/**
 * Checks `webhook-id` / `webhook-timestamp` / `webhook-signature` as the Standard Webhooks spec does:
 * any `v1,` signature of the list may match; the timestamp must be within `toleranceS` of now.
 */
export function verifyStandardWebhook(
  secret: string,
  headers: Record<string, string | string[] | undefined>,
  body: string | Buffer,
  opts: { toleranceS?: number; now?: number } = {},
): VerifyResult {
  const parts = { id: headerOf(headers, "webhook-id"), timestamp: headerOf(headers, "webhook-timestamp"), signature: headerOf(headers, "webhook-signature") };
  const check = checkStandardSignature(secret, parts, body);
  if (check.problem === "missing") return { valid: false, reason: "missing webhook-id, webhook-timestamp or webhook-signature" };
  if (check.problem === "bad-timestamp") return { valid: false, reason: "invalid webhook-timestamp" };
  const nowS = Math.floor((opts.now ?? Date.now()) / 1000);
  if (Math.abs(nowS - check.timestampS) > (opts.toleranceS ?? 300)) return { valid: false, reason: "webhook-timestamp outside the tolerance" };
  return check.problem === undefined && check.matched ? { valid: true } : { valid: false, reason: "no matching signature" };
}

/** Checks a hex `X-Signature` (a `sha256=` prefix is accepted) against the body. */
export function verifyXSignature(secret: string, header: string | undefined, body: string | Buffer): VerifyResult {
  const check = checkHexSignature(secret, header, body);
  if (check === "missing") return { valid: false, reason: "missing X-Signature" };
  return check === true ? { valid: true } : { valid: false, reason: "no matching signature" };
}
