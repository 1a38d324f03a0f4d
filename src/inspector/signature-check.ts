// Checks a captured request's signatures against a secret, for a person reading the inspector:
// Standard Webhooks (webhook-id / webhook-timestamp / webhook-signature) and X-Signature.
// Each answer says "valid", or why not in words. The checks themselves are webhooks/signatures.ts';
// this file words them and judges the timestamp against the time the bin received the request.
import { checkHexSignature, checkStandardSignature } from "../webhooks/signatures.ts";

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
  const check = checkStandardSignature(
    secret,
    { id: header(req, "webhook-id"), timestamp: header(req, "webhook-timestamp"), signature: header(req, "webhook-signature") },
    req.body,
  );
  switch (check.problem) {
    case "missing":
      return invalid(`no ${check.header} header`);
    case "bad-timestamp":
      return invalid("webhook-timestamp is not a number of seconds");
    case "no-v1":
      return invalid("no v1 signature in webhook-signature");
  }
  if (!check.matched) return invalid(check.offered > 1 ? "none of the signatures matches" : "signature does not match");
  const skewS = Math.abs(check.timestampS - req.at / 1000);
  if (skewS > TIMESTAMP_TOLERANCE_S) {
    return invalid(`signature matches, but webhook-timestamp is ${Math.round(skewS)} s away from when the request arrived (more than ${TIMESTAMP_TOLERANCE_S} s)`);
  }
  return { valid: true };
}

export function checkXSignature(req: CapturedForCheck, secret: string): SignatureVerdict {
  const check = checkHexSignature(secret, header(req, "x-signature"), req.body);
  if (check === "missing") return invalid("no X-Signature header");
  if (check === "malformed") return invalid("X-Signature is not a hex SHA-256 digest");
  return check ? { valid: true } : invalid("signature does not match");
}
