// The HTTP request of one attempt, exactly as the README's "What your endpoint receives" describes it: the body
// (stored JSON, or `payload=<urlencoded JSON>` for form webhooks) and headers signed over those bytes.
import pkg from "../../../../package.json" with { type: "json" };
import { signatureHeaders } from "../../signatures.ts";

export const USER_AGENT = `${pkg.name}/${pkg.version}`;

/** The columns of a webhook that shape its requests. */
export interface WebhookForSend {
  id: number;
  roomId: number;
  url: string;
  method: string;
  contentType: string;
  verificationSignature: string;
  secret: string;
  previousSecret: string | null;
  previousSecretExpiresAt: Date | null;
  /** JSON object of custom headers. */
  headers: string;
}

export interface DeliveryForSend {
  eventId: string;
  event: string;
  payload: string;
}

export const FORM = "application/x-www-form-urlencoded";

export function requestBody(contentType: string, payload: string): string {
  return contentType === FORM ? `payload=${encodeURIComponent(payload)}` : payload;
}

function customHeaders(json: string): Record<string, string> {
  try {
    const parsed = JSON.parse(json) as unknown;
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, string] => typeof e[1] === "string"));
  } catch {
    return {};
  }
}

/** Headers and body of one attempt at `nowMs` (its unix seconds are the webhook-timestamp). */
export function buildDeliveryRequest(w: WebhookForSend, d: DeliveryForSend, nowMs = Date.now()) {
  const body = requestBody(w.contentType, d.payload);
  const timestamp = Math.floor(nowMs / 1000);
  const contract: Record<string, string> = {
    "Content-Type": w.contentType,
    "Verification-Signature": w.verificationSignature,
    "User-Agent": USER_AGENT,
    "webhook-id": d.eventId,
    "webhook-timestamp": String(timestamp),
    ...signatureHeaders(w, d.eventId, timestamp, body, nowMs),
    "X-Webhook-Event": d.event,
  };
  // Custom headers come first and never replace one of the contract's (the settings API refuses them too).
  const reserved = new Set(Object.keys(contract).map((k) => k.toLowerCase()));
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(customHeaders(w.headers))) {
    if (!reserved.has(k.toLowerCase())) headers[k] = v;
  }
  Object.assign(headers, contract);
  return { headers, body };
}
