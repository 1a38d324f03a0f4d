// The requests a bin caught, newest first.
import type { InspectorRequestDto } from "../../api/types.ts";
import { clockTime } from "../../lib/format.ts";
import { headerValue } from "../../lib/pretty.ts";
import { shellQuote } from "../../lib/curl.ts";

interface Props {
  requests: InspectorRequestDto[] | null;
  selectedId: number | null;
  onSelect: (id: number) => void;
  binUrl: string;
}

export function RequestList({ requests, selectedId, onSelect, binUrl }: Props) {
  return (
    <section className="request-list" aria-labelledby="requests-title">
      <h2 id="requests-title">
        Requests <span className="muted">({requests?.length ?? 0})</span>
        <span className="live-dot" title="Updates live" aria-hidden="true" />
      </h2>
      {requests === null && <p className="muted small">Loading…</p>}
      {requests?.length === 0 && (
        <div className="muted small">
          <p>Waiting for the first request. Try:</p>
          <pre className="code-block">{`curl -X POST ${shellQuote(binUrl)} -H 'Content-Type: application/json' -d '{"hello":"world"}'`}</pre>
        </div>
      )}
      <ul>
        {requests?.map((r) => (
          <li key={r.id}>
            <button type="button" className={`request-item${r.id === selectedId ? " is-active" : ""}`} aria-pressed={r.id === selectedId} onClick={() => onSelect(r.id)}>
              <span className={`method-badge method-${r.method.toLowerCase()}`}>{r.method}</span>
              <span className="request-item-text">
                <span className="request-event">{headerValue(r.headers, "x-webhook-event") ?? r.path}</span>
                <time className="muted small">{clockTime(r.at)}</time>
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
