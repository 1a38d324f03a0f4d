// An incoming hook's request log: each request with its outcome, status and reason, and on demand
// its headers (keys and signatures arrive redacted) and the start of its body.
import { useCallback, useEffect, useState } from "react";
import type { HookRequestDto } from "../../api/types.ts";
import { incomingApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { dateTime, shortTime } from "../../lib/format.ts";
import { formatHeaderBlock, headerValue, prettyBody } from "../../lib/pretty.ts";
import { StatusPill } from "./StatusPill.tsx";

export function IncomingRequests({ roomId, hookId, onClose }: { roomId: number; hookId: number; onClose: () => void }) {
  const [requests, setRequests] = useState<HookRequestDto[] | null>(null);
  const [openId, setOpenId] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setRequests((await incomingApi.requests(roomId, hookId)).requests);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [roomId, hookId]);
  useEffect(() => void load(), [load]);

  return (
    <section className="deliveries hook-requests" aria-labelledby={`requests-${hookId}`}>
      <div className="section-head">
        <h5 id={`requests-${hookId}`}>Requests</h5>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => void load()}>
          Refresh
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          Hide
        </button>
      </div>
      <p className="muted small">The last 100 calls to this hook, refused ones included.</p>
      {error && <p className="error-note" role="alert">{error}</p>}
      {requests === null && !error && <p className="muted small">Loading requests…</p>}
      {requests?.length === 0 && <p className="muted small">No calls yet. Try the curl example.</p>}
      <ul className="delivery-list">
        {requests?.map((r) => (
          <li key={r.id} className={`delivery hook-request${openId === r.id ? " is-open" : ""}`}>
            <div className="delivery-row">
              <StatusPill status={r.outcome} tone={r.outcome === "posted" ? "succeeded" : "dead"} />
              <span className="mono small">HTTP {r.status}</span>
              <span className="hook-reason">{r.reason ?? "posted to the room"}</span>
              <span className="delivery-facts small muted">
                <time title={dateTime(r.at)}>{shortTime(r.at)}</time>
                <button type="button" className="btn-link" aria-expanded={openId === r.id} onClick={() => setOpenId(openId === r.id ? null : r.id)}>
                  Details
                </button>
              </span>
            </div>
            {openId === r.id && <RequestDetails request={r} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function RequestDetails({ request }: { request: HookRequestDto }) {
  const body = request.body === null ? null : prettyBody(request.body, headerValue(request.headers, "content-type"));
  const size = `${request.size.toLocaleString()} bytes${request.bodyTruncated ? ", first 4,096 shown" : ""}`;
  return (
    <div className="delivery-details">
      <p className="label">Headers</p>
      <pre className="code-block">{formatHeaderBlock(request.headers) || "(none)"}</pre>
      <p className="label">Body ({size})</p>
      <pre className="code-block">{body ? body.text || "(empty)" : `(not UTF-8; base64) ${request.bodyBase64 ?? ""}`}</pre>
    </div>
  );
}
