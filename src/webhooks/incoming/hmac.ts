// HMAC-SHA256 with the contract's key rule (the outgoing signer's hmacKey), and constant-time
// comparisons, shared by the incoming-hook check and the inspector's signature check.
import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { hmacKey } from "../outgoing/wire/signer.ts";
import { newWebhookSecret } from "../outgoing/secrets.ts";

export { hmacKey };

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

/** Decodes a signature as the sender wrote it (base64 or hex); undefined when it is not well formed. */
export function decodeSignature(value: string, encoding: "base64" | "hex"): Buffer | undefined {
  if (encoding === "hex") return /^[0-9a-fA-F]{64}$/.test(value) ? Buffer.from(value, "hex") : undefined;
  // Standard base64, padding optional; base64url spellings are accepted too.
  return /^[A-Za-z0-9+/_-]{43}=?$/.test(value) ? Buffer.from(value.replace(/-/g, "+").replace(/_/g, "/"), "base64") : undefined;
}

/** A new secret, made as an outgoing webhook's: `whsec_` + base64 of 32 bytes from the CSPRNG. */
export const generateHmacSecret = newWebhookSecret;

/** A new API key: 32 bytes from the CSPRNG, URL-safe so it also works as `?token=`. */
export const generateApiKey = () => `hk_${randomBytes(32).toString("base64url")}`;
