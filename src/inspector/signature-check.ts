// Checks a captured request's signatures against a secret, for a person reading the inspector:
// Standard Webhooks (webhook-id / webhook-timestamp / webhook-signature) and X-Signature.
// Each answer says "valid", or why not in words.
import { bytesEqual, decodeSignature, hmacSha256 } from "../webhooks/incoming/hmac.ts";

export interface SignatureVerdict {
  valid: boolean;
  reason?: string;
}

export interface CapturedForCheck {
  headers: Record<string, string | string[]>;
  /** The raw body (a string stands for its UTF-8 bytes). */
  body: Buffer | string;
  /** When the request arrived (ms). */
  at: number;
}

/** Standard Webhooks' tolerance, measured against the time the bin received the request, not now. */
export const TIMESTAMP_TOLERANCE_S = 5 * 60;

export function checkSignatures(req: CapturedForCheck, secret: string) {
  return { standardWebhooks: checkStandardWebhooks(req, secret), xSignature: checkXSignature(req, secret) };
}

function header(req: CapturedForCheck, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(" ") : value;
}

const invalid = (reason: string): SignatureVerdict => ({ valid: false, reason });

export function checkStandardWebhooks(req: CapturedForCheck, secret: string): SignatureVerdict {
  const signatures = header(req, "webhook-signature");
  const id = header(req, "webhook-id");
  const timestamp = header(req, "webhook-timestamp");
  if (!signatures) return invalid("no webhook-signature header");
  if (!id) return invalid("no webhook-id header");
  if (!timestamp) return invalid("no webhook-timestamp header");
  if (!/^\d{1,12}$/.test(timestamp.trim())) return invalid("webhook-timestamp is not a number of seconds");

  const v1 = signatures
    .trim()
    .split(/\s+/)
    .filter((s) => s.startsWith("v1,"))
    .map((s) => decodeSignature(s.slice(3), "base64"));
  if (v1.length === 0) return invalid("no v1 signature in webhook-signature");
  const expected = hmacSha256(secret, Buffer.concat([Buffer.from(`${id}.${timestamp.trim()}.`), Buffer.from(req.body)]));
  if (!v1.some((given) => given !== undefined && bytesEqual(given, expected))) {
    return invalid(v1.length > 1 ? "none of the signatures matches" : "signature does not match");
  }
  const skewS = Math.abs(Number(timestamp) - req.at / 1000);
  if (skewS > TIMESTAMP_TOLERANCE_S) {
    return invalid(`signature matches, but webhook-timestamp is ${Math.round(skewS)} s away from when the request arrived (more than ${TIMESTAMP_TOLERANCE_S} s)`);
  }
  return { valid: true };
}

export function checkXSignature(req: CapturedForCheck, secret: string): SignatureVerdict {
  const value = header(req, "x-signature")?.trim();
  if (!value) return invalid("no X-Signature header");
  const digest = value.toLowerCase().startsWith("sha256=") ? value.slice(7) : value;
  const given = decodeSignature(digest, "hex");
  if (!given) return invalid("X-Signature is not a hex SHA-256 digest");
  return bytesEqual(given, hmacSha256(secret, req.body)) ? { valid: true } : invalid("signature does not match");
}
