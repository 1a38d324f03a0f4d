// "Send test": sends a webhook.ping and shows how the receiver answered.
import { useState } from "react";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { duration } from "../../lib/format.ts";
import { useDelivery } from "./use-delivery.ts";

export function TestPing({ roomId, webhookId }: { roomId: number; webhookId: number }) {
  const [deliveryId, setDeliveryId] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { delivery, attempts } = useDelivery(roomId, webhookId, deliveryId);

  const send = async () => {
    setBusy(true);
    setError(null);
    try {
      const { delivery: created } = await webhooksApi.test(roomId, webhookId);
      setDeliveryId(created.id);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const last = attempts[attempts.length - 1];
  let result: string | null = null;
  let tone = "muted";
  if (error) {
    result = error;
    tone = "field-error";
  } else if (deliveryId !== null && (!delivery || delivery.status === "pending")) {
    result = "Test ping sent, waiting for the receiver…";
  } else if (delivery) {
    const answer = last?.responseStatus ? `HTTP ${last.responseStatus}` : last?.error ?? (delivery.lastStatusCode ? `HTTP ${delivery.lastStatusCode}` : "no answer");
    const took = last?.durationMs != null ? ` in ${duration(last.durationMs)}` : "";
    // Worded without the bare status words, which the delivery list shows.
    result = delivery.status === "succeeded" ? `Test ping delivered: ${answer}${took}.` : `Test ping not delivered: ${answer}${took}.`;
    tone = delivery.status === "succeeded" ? "ok-text" : "field-error";
  }

  return (
    <>
      <button type="button" className="btn btn-small btn-primary" onClick={() => void send()} disabled={busy}>
        Send test
      </button>
      <p className={`test-result small ${tone}`} role="status">
        {result}
      </p>
    </>
  );
}
