// Checks the key or signature of a request to an incoming hook, over the raw bytes received.
// Pure: the route passes the headers, the `?token=` value and the raw body.
import { bytesEqual, decodeSignature, hmacSha256, stringsEqual } from "./hmac.ts";

export const VERIFICATIONS = ["api_key", "hmac_sha256_base64", "hmac_sha256_hex"] as const;
export type Verification = (typeof VERIFICATIONS)[number];

export interface HookCredentials {
  verification: Verification;
  /** The API key, or the HMAC secret. */
  secret: string;
}

export interface HookRequest {
  header(name: string): string | undefined;
  /** The `token` query parameter, when given exactly once. */
  token: string | undefined;
  rawBody: Buffer;
}

export type HookAuthResult = { ok: true } | { ok: false; reason: string };

const signatureHeader = { hmac_sha256_base64: "Webhook-Signature", hmac_sha256_hex: "X-Signature" } as const;

export function checkHookRequest(hook: HookCredentials, req: HookRequest): HookAuthResult {
  if (hook.verification === "api_key") {
    const given = req.header("x-api-key") ?? req.token;
    if (!given) return { ok: false, reason: "Missing API key: send the x-api-key header or ?token=" };
    return stringsEqual(given, hook.secret) ? { ok: true } : { ok: false, reason: "Invalid API key" };
  }
  const name = signatureHeader[hook.verification];
  const header = req.header(name);
  if (!header) return { ok: false, reason: `Missing ${name} header` };
  const encoding = hook.verification === "hmac_sha256_base64" ? "base64" : "hex";
  const expected = hmacSha256(hook.secret, req.rawBody);
  // Usually one bare digest; a `v1,` or `sha256=` prefix, or several space-separated signatures, also work.
  const matched = header
    .trim()
    .split(/\s+/)
    .map((s) => decodeSignature(stripPrefix(s), encoding))
    .some((given) => given !== undefined && bytesEqual(given, expected));
  return matched ? { ok: true } : { ok: false, reason: `Invalid ${name}: it does not match the body` };
}

function stripPrefix(signature: string): string {
  if (signature.startsWith("v1,")) return signature.slice(3);
  if (signature.toLowerCase().startsWith("sha256=")) return signature.slice(7);
  return signature;
}
