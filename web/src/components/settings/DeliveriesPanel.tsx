// The delivery log of one webhook: newest first, filtered by status and event, paged through
// `before` (Load older), updated live while open; each delivery opens to its attempts. Replay…
// redelivers what failed since a time.
import { useCallback, useEffect, useRef, useState } from "react";
import { WEBHOOK_EVENTS, type CircuitDto, type DeliveryDto, type DeliveryStatus } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { foldChange, mergeFirstPage, type LogFilter } from "../../lib/deliveries.ts";
import { errorMessage } from "../../lib/errors.ts";
import { dateTime, duration, shortTime } from "../../lib/format.ts";
import { useSocketEvent } from "../../state/use-socket-event.ts";
import { DeliveryDetails } from "./DeliveryDetails.tsx";
import { ReplayDialog } from "./ReplayDialog.tsx";
import { StatusPill } from "./StatusPill.tsx";

const FALLBACK_POLL_MS = 10_000;
const PAGE = 25;
const STATUSES: DeliveryStatus[] = ["pending", "failed", "succeeded", "dead"];
const EVENTS = ["webhook.ping", ...WEBHOOK_EVENTS];

interface Props {
  roomId: number;
  webhookId: number;
  circuit?: CircuitDto;
  onClose: () => void;
}

export function DeliveriesPanel({ roomId, webhookId, circuit, onClose }: Props) {
  const [filter, setFilter] = useState<LogFilter>({});
  const [deliveries, setDeliveries] = useState<DeliveryDto[] | null>(null);
  const [hasOlder, setHasOlder] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [openId, setOpenId] = useState<number | null>(null);
  const [replaying, setReplaying] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // Answers to an earlier filter are dropped when they come late.
  const filterRef = useRef(filter);
  filterRef.current = filter;

  const load = useCallback(
    async (opts: { fresh?: boolean } = {}) => {
      const asked = filter;
      try {
        const { deliveries: page } = await webhooksApi.deliveries(roomId, webhookId, { ...asked, limit: PAGE });
        if (filterRef.current !== asked) return;
        setDeliveries((loaded) => (opts.fresh || !loaded ? page : mergeFirstPage(loaded, page, PAGE)));
        if (opts.fresh || page.length < PAGE) setHasOlder(page.length === PAGE);
        setError(null);
      } catch (e) {
        setError(errorMessage(e));
      }
    },
    [roomId, webhookId, filter],
  );

  useEffect(() => {
    setDeliveries(null);
    void load({ fresh: true });
    const timer = setInterval(() => void load(), FALLBACK_POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  const loadOlder = async () => {
    const oldest = deliveries?.at(-1);
    if (!oldest) return;
    const asked = filter;
    setLoadingOlder(true);
    try {
      const { deliveries: page } = await webhooksApi.deliveries(roomId, webhookId, { ...asked, before: oldest.id, limit: PAGE });
      if (filterRef.current !== asked) return;
      setDeliveries((loaded) => [...(loaded ?? []), ...page.filter((d) => !loaded?.some((x) => x.id === d.id))]);
      setHasOlder(page.length === PAGE);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setLoadingOlder(false);
    }
  };

  useSocketEvent("webhook:delivery", (event) => {
    if (event.webhookId !== webhookId) return;
    setDeliveries((list) => (list === null ? list : foldChange(list, event.delivery, filterRef.current)));
  });

  const headingId = `deliveries-${webhookId}`;
  return (
    <section className="deliveries" aria-labelledby={headingId}>
      <div className="section-head">
        <h5 id={headingId}>Recent deliveries</h5>
        <span className="live-dot" title="Updates live" aria-hidden="true" />
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setReplaying(true)} aria-expanded={replaying}>
          Replay…
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => void load({ fresh: true })}>
          Refresh
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Hide
        </button>
      </div>
      {replaying && (
        <ReplayDialog roomId={roomId} webhookId={webhookId} onClose={() => setReplaying(false)} onQueued={() => void load({ fresh: true })} />
      )}
      <div className="delivery-filters">
        <label>
          <span>Status</span>
          <select value={filter.status ?? ""} onChange={(e) => setFilter((f) => ({ ...f, status: (e.target.value || undefined) as DeliveryStatus | undefined }))}>
            <option value="">any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span>Event</span>
          <select value={filter.event ?? ""} onChange={(e) => setFilter((f) => ({ ...f, event: e.target.value || undefined }))}>
            <option value="">any event</option>
            {EVENTS.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <p className="error-note" role="alert">{error}</p>}
      {deliveries === null && !error && <p className="muted small">Loading deliveries…</p>}
      {deliveries?.length === 0 &&
        (filter.status || filter.event ? (
          <p className="muted small">No delivery matches these filters.</p>
        ) : (
          <p className="muted small">Nothing sent yet. Post a message in the room or use Send test.</p>
        ))}
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
            {d.status === "failed" && d.nextAttemptAt && <p className="small muted">Next try {dateTime(d.nextAttemptAt)}</p>}
            {openId === d.id && (
              <DeliveryDetails
                roomId={roomId}
                webhookId={webhookId}
                deliveryId={d.id}
                status={d.status}
                circuit={circuit}
                onRedelivered={() => void load({ fresh: true })}
              />
            )}
          </li>
        ))}
      </ul>
      {hasOlder && (
        <button type="button" className="btn btn-small btn-ghost load-older" onClick={() => void loadOlder()} disabled={loadingOlder}>
          {loadingOlder ? "Loading…" : "Load older"}
        </button>
      )}
    </section>
  );
}

function durationOf(d: DeliveryDto): number | null {
  return d.durationMs;
}
