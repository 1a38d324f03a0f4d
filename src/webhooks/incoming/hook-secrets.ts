// An incoming hook's credential, from the CSPRNG: an API key, or an HMAC secret made as an outgoing
// webhook's (the key rule that reads either is webhooks/signatures.ts' hmacKey).
import { randomBytes } from "node:crypto";
import { newWebhookSecret } from "../outgoing/secrets.ts";

/** A new secret: `whsec_` + base64 of 32 bytes. */
export const generateHmacSecret = newWebhookSecret;

/** A new API key: 32 bytes, URL-safe so it also works as `?token=`. */
export const generateApiKey = () => `hk_${randomBytes(32).toString("base64url")}`;
