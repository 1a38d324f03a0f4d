// The webhook's two credentials, from a CSPRNG: Spika's Verification-Signature token (sent as is)
// and the signing secret (`whsec_` + base64 of 32 random bytes, the Standard Webhooks form).
import { randomBytes } from "node:crypto";
import { customAlphabet } from "nanoid";

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/** nanoid draws from crypto.getRandomValues and rejects biased bytes, so every character is uniform. */
export const newVerificationSignature: () => string = customAlphabet(ALPHANUMERIC, 16);

export const newWebhookSecret = (): string => `whsec_${randomBytes(32).toString("base64")}`;

/** A secret an admin gives: the contract's rule. */
export { GIVEN_SECRET_PATTERN } from "../../contracts/enums.ts";

/** How long the previous secret still signs after a rotation. */
export const PREVIOUS_SECRET_TTL_MS = 24 * 60 * 60 * 1000;
