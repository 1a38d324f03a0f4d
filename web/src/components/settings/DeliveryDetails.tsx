// Every attempt of one delivery (request headers and body, the response), and Redeliver.
import { useEffect, useState } from "react";
import type { DeliveryStatus } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { AttemptView } from "./AttemptView.tsx";
import { useDelivery } from "./use-delivery.ts";

interface Props {
  roomId: number;
  webhookId: number;
  deliveryId: number;
  status: DeliveryStatus;
  onRedelivered: () => void;
}

export function DeliveryDetails({ roomId, webhookId, deliveryId, status, onRedelivered }: Props) {
  const { delivery, attempts, error, reload } = useDelivery(roomId, webhookId, deliveryId);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);

  // The list saw a new status: fetch the attempts again.
  useEffect(() => reload(), [status, reload]);

  const redeliver = async () => {
    setBusy(true);
    setResult(null);
    try {
      await webhooksApi.redeliver(roomId, webhookId, deliveryId);
      setResult("Redelivery queued: it appears at the top of the list.");
      onRedelivered();
    } catch (e) {
      setResult(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="delivery-details">
      <div className="details-head">
        {delivery && (
          <p className="small muted break">
            Event id <code>{delivery.eventId}</code>
          </p>
        )}
        <button type="button" className="btn btn-small btn-primary" onClick={() => void redeliver()} disabled={busy}>
          Redeliver
        </button>
      </div>
      {result && <p className="small" role="status">{result}</p>}
      {error && <p className="error-note" role="alert">{error}</p>}
      {delivery && attempts.length === 0 && <p className="muted small">No attempt yet: it is queued.</p>}
      {attempts.map((attempt) => (
        <AttemptView key={attempt.number} attempt={attempt} />
      ))}
    </div>
  );
}
