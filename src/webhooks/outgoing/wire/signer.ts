// Signatures of outgoing webhooks: Standard Webhooks `webhook-signature` and the hex `X-Signature`,
// plus the matching verify helpers (tests, the inspector, receivers' examples).
import { createHmac, timingSafeEqual } from "node:crypto";

/** API.md "HMAC keys, everywhere": `whsec_` + base64 -> the decoded bytes; anything else -> its UTF-8 bytes. */
export function hmacKey(secret: string): Buffer {
  return secret.startsWith("whsec_") ? Buffer.from(secret.slice("whsec_".length), "base64") : Buffer.from(secret, "utf8");
}

const toBuffer = (body: string | Buffer) => (typeof body === "string" ? Buffer.from(body, "utf8") : body);

/** One Standard Webhooks signature: `v1,<base64 HMAC-SHA256(key, "<id>.<ts>.<body>")>`. */
export function signStandard(secret: string, id: string, timestampS: number, body: string | Buffer): string {
  const mac = createHmac("sha256", hmacKey(secret));
  mac.update(`${id}.${timestampS}.`);
  mac.update(toBuffer(body));
  return `v1,${mac.digest("base64")}`;
}

/** Hex HMAC-SHA256 of the body (the `X-Signature` header). */
export function signXSignature(secret: string, body: string | Buffer): string {
  return createHmac("sha256", hmacKey(secret)).update(toBuffer(body)).digest("hex");
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

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
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
  const id = headerOf(headers, "webhook-id");
  const ts = headerOf(headers, "webhook-timestamp");
  const sig = headerOf(headers, "webhook-signature");
  if (!id || !ts || !sig) return { valid: false, reason: "missing webhook-id, webhook-timestamp or webhook-signature" };
  const timestampS = Number(ts);
  if (!/^\d+$/.test(ts) || !Number.isSafeInteger(timestampS)) return { valid: false, reason: "invalid webhook-timestamp" };
  const nowS = Math.floor((opts.now ?? Date.now()) / 1000);
  const tolerance = opts.toleranceS ?? 300;
  if (Math.abs(nowS - timestampS) > tolerance) return { valid: false, reason: "webhook-timestamp outside the tolerance" };
  const expected = signStandard(secret, id, timestampS, body);
  const match = sig.split(" ").some((candidate) => candidate.startsWith("v1,") && safeEqual(candidate, expected));
  return match ? { valid: true } : { valid: false, reason: "no matching signature" };
}

/** Checks a hex `X-Signature` (a `sha256=` prefix is accepted) against the body. */
export function verifyXSignature(secret: string, header: string | undefined, body: string | Buffer): VerifyResult {
  if (!header) return { valid: false, reason: "missing X-Signature" };
  const given = header.trim().replace(/^sha256=/i, "").toLowerCase();
  return safeEqual(given, signXSignature(secret, body)) ? { valid: true } : { valid: false, reason: "no matching signature" };
}
