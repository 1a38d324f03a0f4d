// Recent deliveries of one webhook, updated live while open; each opens to its attempts.
import { useCallback, useEffect, useState } from "react";
import type { DeliveryDto } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { dateTime, duration, shortTime } from "../../lib/format.ts";
import { useSocketEvent } from "../../state/use-socket-event.ts";
import { DeliveryDetails } from "./DeliveryDetails.tsx";
import { StatusPill } from "./StatusPill.tsx";

const FALLBACK_POLL_MS = 10_000;

export function DeliveriesPanel({ roomId, webhookId, onClose }: { roomId: number; webhookId: number; onClose: () => void }) {
  const [deliveries, setDeliveries] = useState<DeliveryDto[] | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const { deliveries: list } = await webhooksApi.deliveries(roomId, webhookId);
      setDeliveries(list);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [roomId, webhookId]);

  useEffect(() => {
    void load();
    const timer = setInterval(() => void load(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  useSocketEvent("webhook:delivery", (event) => {
    if (event.webhookId !== webhookId) return;
    const delivery = event.delivery as DeliveryDto;
    if (!delivery || typeof delivery.id !== "number") return void load();
    setDeliveries((list) => {
      const rest = (list ?? []).filter((d) => d.id !== delivery.id);
      return [delivery, ...rest].sort((a, b) => b.createdAt - a.createdAt || b.id - a.id);
    });
  });

  return (
    <section className="deliveries" aria-labelledby={`deliveries-${webhookId}`}>
      <div className="section-head">
        <h5 id={`deliveries-${webhookId}`}>Recent deliveries</h5>
        <span className="live-dot" title="Updates live" aria-hidden="true" />
        <button type="button" className="btn btn-small btn-ghost" onClick={() => void load()}>
          Refresh
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Hide
        </button>
      </div>
      {error && <p className="error-note" role="alert">{error}</p>}
      {deliveries === null && !error && <p className="muted small">Loading deliveries…</p>}
      {deliveries?.length === 0 && (
        <p className="muted small">Nothing sent yet. Post a message in the room or use Send test.</p>
      )}
      <ul className="delivery-list">
        {deliveries?.map((d) => (
          <li key={d.id} className={`delivery${openId === d.id ? " is-open" : ""}`}>
            <div className="delivery-row">
              <StatusPill status={d.status} />
              <button type="button" className="btn-link mono" aria-expanded={openId === d.id} onClick={() => setOpenId(openId === d.id ? null : d.id)}>
                {d.event}
              </button>
              <span className="delivery-facts small muted">
                <span>
                  {d.attempts} {d.attempts === 1 ? "attempt" : "attempts"}
                </span>
                {d.lastStatusCode != null && <span>HTTP {d.lastStatusCode}</span>}
                {durationOf(d) != null && <span>{duration(durationOf(d))}</span>}
                <time title={dateTime(d.createdAt)}>{shortTime(d.createdAt)}</time>
              </span>
            </div>
            {d.status === "failed" && d.nextAttemptAt && (
              <p className="small muted">Next try {dateTime(d.nextAttemptAt)}</p>
            )}
            {openId === d.id && (
              <DeliveryDetails roomId={roomId} webhookId={webhookId} deliveryId={d.id} status={d.status} onRedelivered={() => void load()} />
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function durationOf(d: DeliveryDto & { durationMs?: number | null }): number | null {
  return d.durationMs ?? d.lastDurationMs ?? null;
}
