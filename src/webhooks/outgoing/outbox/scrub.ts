// A deleted message leaves the delivery log: the stored payloads of its events (created, every
// edit, deleted) carry it as deleted from now on, so retries, redeliveries and replays send it
// that way, and the bodies recorded for form-encoded attempts are rewritten from those payloads.
// Runs inside the deletion's transaction.
import type { Tx } from "../../../db/client.ts";
import { requestBody } from "../wire/delivery-request.ts";

/** Replaces `data.message` in every stored payload of the message's events; returns the deliveries changed. */
export async function scrubDeletedMessage(tx: Tx, message: { id: number }): Promise<number[]> {
  const deliveries = await tx.webhookDelivery.findMany({ where: { messageId: message.id }, select: { id: true, payload: true } });
  const changed: number[] = [];
  for (const d of deliveries) {
    const payload = withMessage(d.payload, message);
    if (payload === d.payload) continue;
    await tx.webhookDelivery.update({ where: { id: d.id }, data: { payload } });
    changed.push(d.id);
    // Only form-encoded attempts keep a body of their own (JSON ones show the payload); at most
    // maxAttempts (20) a delivery.
    const attempts = await tx.webhookAttempt.findMany({ where: { deliveryId: d.id, requestBody: { not: null } }, select: { id: true } });
    for (const a of attempts) {
      await tx.webhookAttempt.update({ where: { id: a.id }, data: { requestBody: requestBody("application/x-www-form-urlencoded", payload) } });
    }
  }
  return changed;
}

/** The payload with `data.message` replaced; the same text when it holds no message (nothing to hide). */
function withMessage(payload: string, message: { id: number }): string {
  let parsed: { data?: { message?: unknown } };
  try {
    parsed = JSON.parse(payload) as typeof parsed;
  } catch {
    return payload;
  }
  if (!parsed.data || typeof parsed.data !== "object" || !("message" in parsed.data)) return payload;
  parsed.data.message = message;
  return JSON.stringify(parsed);
}
