// Follows one delivery until it settles: live `webhook:delivery` events, with polling as a fallback.
import { useCallback, useEffect, useState } from "react";
import type { AttemptDto, CircuitDto, DeliveryDto } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useSocketEvent } from "../../state/use-socket-event.ts";

export interface DeliveryView {
  delivery: DeliveryDto | null;
  attempts: AttemptDto[];
  /** The webhook's circuit when the delivery was read. */
  circuit: CircuitDto | undefined;
  error: string | null;
  reload: () => void;
}

export function useDelivery(roomId: number, webhookId: number, deliveryId: number | null): DeliveryView {
  const [delivery, setDelivery] = useState<DeliveryDto | null>(null);
  const [attempts, setAttempts] = useState<AttemptDto[]>([]);
  const [circuit, setCircuit] = useState<CircuitDto | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const reload = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    setDelivery(null);
    setAttempts([]);
  }, [deliveryId]);

  useEffect(() => {
    if (deliveryId === null) return;
    let cancelled = false;
    webhooksApi
      .delivery(roomId, webhookId, deliveryId)
      .then((r) => {
        if (cancelled) return;
        setDelivery(r.delivery);
        setAttempts(r.attempts);
        setCircuit(r.circuit);
        setError(null);
      })
      .catch((e) => !cancelled && setError(errorMessage(e)));
    return () => {
      cancelled = true;
    };
  }, [roomId, webhookId, deliveryId, version]);

  // Poll while nothing has been attempted yet, in case live events are not coming through.
  const waiting = deliveryId !== null && (delivery === null || delivery.status === "pending");
  useEffect(() => {
    if (!waiting) return;
    const timer = setInterval(reload, 1500);
    return () => clearInterval(timer);
  }, [waiting, reload]);

  useSocketEvent("webhook:delivery", (event) => {
    if (event.webhookId === webhookId && event.delivery.id === deliveryId) reload();
  });

  return { delivery, attempts, circuit, error, reload };
}
