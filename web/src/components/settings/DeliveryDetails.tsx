// Every attempt of one delivery (request headers and body, the response), when it is tried next
// and the webhook's circuit (an open one holds every delivery back), and Redeliver.
import { useEffect, useState } from "react";
import type { CircuitDto, DeliveryDto, DeliveryStatus } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { dateTime } from "../../lib/format.ts";
import { AttemptView } from "./AttemptView.tsx";
import { useDelivery } from "./use-delivery.ts";

interface Props {
  roomId: number;
  webhookId: number;
  deliveryId: number;
  status: DeliveryStatus;
  /** The webhook's circuit as the card has it (live); the detail's own answer until then. */
  circuit?: CircuitDto;
  onRedelivered: () => void;
}

export function DeliveryDetails({ roomId, webhookId, deliveryId, status, circuit: liveCircuit, onRedelivered }: Props) {
  const { delivery, attempts, circuit: loadedCircuit, error, reload } = useDelivery(roomId, webhookId, deliveryId);
  const circuit = liveCircuit ?? loadedCircuit;
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
      {delivery && <NextAttempt delivery={delivery} circuit={circuit} />}
      {result && <p className="small" role="status">{result}</p>}
      {error && <p className="error-note" role="alert">{error}</p>}
      {delivery && attempts.length === 0 && <p className="muted small">No attempt yet: it is queued.</p>}
      {attempts.map((attempt) => (
        <AttemptView key={attempt.number} attempt={attempt} />
      ))}
    </div>
  );
}

/** When the delivery is tried next, and the circuit that decides it. */
function NextAttempt({ delivery, circuit }: { delivery: DeliveryDto; circuit: CircuitDto | undefined }) {
  const open = delivery.status === "pending" || delivery.status === "failed";
  const held = open && circuit?.state === "open" && circuit.openUntil !== null && circuit.openUntil > (delivery.nextAttemptAt ?? 0);
  return (
    <dl className="kv delivery-when">
      <dt>Next attempt</dt>
      <dd className="small">
        {!open || delivery.nextAttemptAt === null
          ? "none: this delivery is final"
          : held
            ? `${dateTime(circuit!.openUntil!)}, when the circuit lets it (due ${dateTime(delivery.nextAttemptAt)})`
            : dateTime(delivery.nextAttemptAt)}
      </dd>
      <dt>Circuit</dt>
      <dd className="small">{circuitWords(circuit)}</dd>
    </dl>
  );
}

function circuitWords(circuit: CircuitDto | undefined): string {
  if (!circuit) return "unknown";
  const row = `${circuit.failures} failed ${circuit.failures === 1 ? "attempt" : "attempts"} in a row`;
  if (circuit.state === "closed") return circuit.failures ? `closed (${row})` : "closed";
  if (circuit.state === "half_open") return `half open: one delivery is being tried (${row})`;
  return `open${circuit.openUntil !== null ? ` until ${dateTime(circuit.openUntil)}` : ""} (${row}): nothing is sent meanwhile`;
}
