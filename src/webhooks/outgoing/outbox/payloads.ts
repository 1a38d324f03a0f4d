// What a receiver gets in the body: the envelope of every event (Spika's shape with `type` and
// `timestamp` added, the contract's WebhookEnvelope) and the id every attempt of one event
// carries as `webhook-id`. Each event's `data` comes from its builder (event-payloads.ts).
import { nanoid } from "nanoid";
import type { WebhookEvent } from "../../../contracts/enums.ts";
import type { WebhookEnvelope, WebhookEventData } from "../../../contracts/webhook-payloads.ts";

export const newEventId = () => `msg_${nanoid(24)}`;

/** An event with its data: the pairing is checked, so no path sends one event with another's data. */
export type EventWithData = { [E in WebhookEvent]: { event: E; data: WebhookEventData[E] } }[WebhookEvent];

export function buildPayload(e: EventWithData & { at: number; verificationSignature: string }): string {
  return JSON.stringify({
    type: e.event,
    timestamp: e.at,
    data: e.data,
    headers: { "Content-Type": "application/json", "Verification-Signature": e.verificationSignature },
  } satisfies WebhookEnvelope);
}
