// Ready-to-run shell examples for incoming webhooks, including the HMAC signature step.
import type { IncomingWebhookDto } from "../api/types.ts";

/** Quotes a value for POSIX shells. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The HMAC key as hex: base64-decoded bytes after `whsec_`, otherwise the UTF-8 bytes. */
export function hmacKeyHex(secret: string): string {
  let bytes: Uint8Array;
  if (secret.startsWith("whsec_")) {
    const binary = atob(secret.slice("whsec_".length));
    bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } else {
    bytes = new TextEncoder().encode(secret);
  }
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A body in Slack's incoming-webhook shape: the text, then each attachment's pretext, title and text. */
export const SLACK_EXAMPLE = {
  text: "Deploy of api finished",
  attachments: [{ title: "v1.4.2 is live", text: "All checks passed", color: "good" }],
};

/** What the example needs of a hook: where it is and how it checks callers. */
type CurlHook = Pick<IncomingWebhookDto, "url" | "verification" | "apiKey" | "secret">;

export function buildCurl(hook: CurlHook, payload: unknown = { text: "Hello from curl" }): string {
  const body = JSON.stringify(payload);
  const url = shellQuote(hook.url);
  if (hook.verification === "api_key") {
    return [
      `curl -X POST ${url} \\`,
      `  -H 'Content-Type: application/json' \\`,
      `  -H ${shellQuote(`x-api-key: ${hook.apiKey ?? "<api key>"}`)} \\`,
      `  --data-raw ${shellQuote(body)}`,
    ].join("\n");
  }
  const keyHex = hook.secret ? hmacKeyHex(hook.secret) : "<hex key>";
  const base64 = hook.verification === "hmac_sha256_base64";
  const sign = base64
    ? `openssl dgst -sha256 -mac HMAC -macopt hexkey:${keyHex} -binary | base64`
    : `openssl dgst -sha256 -mac HMAC -macopt hexkey:${keyHex} | awk '{print $NF}'`;
  const header = base64 ? "Webhook-Signature" : "X-Signature";
  return [
    `BODY=${shellQuote(body)}`,
    `SIG=$(printf '%s' "$BODY" | ${sign})`,
    `curl -X POST ${url} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "${header}: $SIG" \\`,
    `  --data-raw "$BODY"`,
  ].join("\n");
}

export function verificationLabel(verification: IncomingWebhookDto["verification"]): string {
  if (verification === "hmac_sha256_base64") return "HMAC-SHA256, base64 (Webhook-Signature header)";
  if (verification === "hmac_sha256_hex") return "HMAC-SHA256, hex (X-Signature header)";
  return "API key (x-api-key header)";
}
