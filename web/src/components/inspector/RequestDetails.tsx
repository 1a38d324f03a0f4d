// One caught request: method and path, headers, query, the body pretty-printed, and a signature check.
import type { InspectorRequestDto } from "../../api/types.ts";
import { dateTime } from "../../lib/format.ts";
import { headerEntries, headerValue, prettyBody } from "../../lib/pretty.ts";
import { CopyButton } from "../common/CopyButton.tsx";
import { SignatureCheck } from "./SignatureCheck.tsx";

interface Props {
  binId: string;
  request: InspectorRequestDto;
  secret: string;
  onSecret: (secret: string) => void;
}

export function RequestDetails({ binId, request, secret, onSecret }: Props) {
  // Bytes that are not UTF-8 come as base64; lists carry the first 64 KiB (bodyTruncated).
  const raw = request.body ?? request.bodyBase64 ?? "";
  const body = request.bodyBase64 !== undefined ? { text: raw, kind: raw ? "base64" : "empty" } : prettyBody(raw, headerValue(request.headers, "content-type"));
  const query = Object.entries(request.query ?? {});
  return (
    <section className="request-details card" aria-labelledby="request-title">
      <h2 id="request-title" className="request-line">
        <span className={`method-badge method-${request.method.toLowerCase()}`}>{request.method}</span>
        <code className="break">{request.path}</code>
      </h2>
      <p className="muted small">
        {dateTime(request.at)}
        {request.sourceIp ? ` · from ${request.sourceIp}` : ""} · {request.bodySize.toLocaleString()} bytes
      </p>
      <SignatureCheck binId={binId} request={request} secret={secret} onSecret={onSecret} />
      <h3>Headers</h3>
      <table className="header-table">
        <tbody>
          {headerEntries(request.headers).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td className="break">{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {query.length > 0 && (
        <>
          <h3>Query</h3>
          <table className="header-table">
            <tbody>
              {query.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">{name}</th>
                  <td className="break">{Array.isArray(value) ? value.join(", ") : value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <div className="section-head">
        <h3>
          Body {body.kind !== "empty" && <span className="muted small">({body.kind}{request.bodyTruncated ? ", first 64 KiB" : ""})</span>}
        </h3>
        {body.kind !== "empty" && <CopyButton text={raw} label="Copy raw body" />}
      </div>
      <pre className="code-block body-block">{body.text || "(empty)"}</pre>
    </section>
  );
}
