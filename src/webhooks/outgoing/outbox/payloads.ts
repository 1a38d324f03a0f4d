// What a receiver gets in the body: the envelope of every event (Spika's shape with `type` and
// `timestamp` added) and the id every attempt of one event carries as `webhook-id`.
import { nanoid } from "nanoid";

export const newEventId = () => `msg_${nanoid(24)}`;

export function buildPayload(e: { event: string; at: number; data: unknown; verificationSignature: string }): string {
  return JSON.stringify({
    type: e.event,
    timestamp: e.at,
    data: e.data,
    headers: { "Content-Type": "application/json", "Verification-Signature": e.verificationSignature },
  });
}
