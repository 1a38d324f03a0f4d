// One delivery attempt: what was sent and what came back.
import type { AttemptDto } from "../../api/types.ts";
import { dateTime, duration } from "../../lib/format.ts";
import { formatHeaderBlock, headerValue, prettyBody } from "../../lib/pretty.ts";

export function AttemptView({ attempt }: { attempt: AttemptDto }) {
  const request = prettyBody(attempt.requestBody, headerValue(attempt.requestHeaders, "content-type"));
  const response = prettyBody(attempt.responseBody, headerValue(attempt.responseHeaders, "content-type"));
  const ok = attempt.responseStatus !== null && attempt.responseStatus >= 200 && attempt.responseStatus < 300;
  return (
    <section className="attempt" aria-label={`Attempt ${attempt.number}`}>
      <h6>
        Attempt {attempt.number}
        <span className="muted">
          {" "}
          · {dateTime(attempt.startedAt)} · {duration(attempt.durationMs)}
        </span>
        <span className={ok ? "ok-text" : "field-error"}>
          {" "}
          · {attempt.responseStatus !== null ? `HTTP ${attempt.responseStatus}` : "no response"}
        </span>
      </h6>
      {attempt.error && <p className="field-error small">Error: {attempt.error}</p>}
      <p className="label">Request headers</p>
      <pre className="code-block">{formatHeaderBlock(attempt.requestHeaders) || "(none)"}</pre>
      <p className="label">Request body</p>
      <pre className="code-block">{request.text || "(empty)"}</pre>
      <p className="label">Response{attempt.responseStatus !== null ? ` (HTTP ${attempt.responseStatus})` : ""}</p>
      {attempt.responseHeaders && <pre className="code-block">{formatHeaderBlock(attempt.responseHeaders)}</pre>}
      <pre className="code-block">{attempt.responseStatus === null ? "(no response)" : response.text || "(empty body)"}</pre>
    </section>
  );
}
