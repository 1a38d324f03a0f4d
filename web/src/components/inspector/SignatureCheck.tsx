// Checks a caught request's webhook-signature and X-Signature against a secret (on the server).
import { useEffect, useState, type FormEvent } from "react";
import { inspectorApi } from "../../api/inspector.ts";
import type { InspectorRequestDto, SignatureCheck as Check, VerifyResult } from "../../api/types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { headerValue } from "../../lib/pretty.ts";
import { Field } from "../common/Field.tsx";

interface Props {
  binId: string;
  request: InspectorRequestDto;
  secret: string;
  onSecret: (secret: string) => void;
}

export function SignatureCheck({ binId, request, secret, onSecret }: Props) {
  const [result, setResult] = useState<VerifyResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const signed = Boolean(headerValue(request.headers, "webhook-signature") || headerValue(request.headers, "x-signature"));

  const check = async (event?: FormEvent) => {
    event?.preventDefault();
    if (!secret.trim()) return setError("Paste the webhook's secret first (Settings, Reveal secret).");
    setBusy(true);
    setError(null);
    try {
      setResult(await inspectorApi.verify(binId, request.id, secret.trim()));
    } catch (e) {
      setResult(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  // A known secret is checked against each request as it is opened.
  useEffect(() => {
    setResult(null);
    setError(null);
    if (secret.trim() && signed) void check();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [request.id]);

  return (
    <form className="signature-check" onSubmit={check} aria-label="Signature check">
      <Field label="Secret" hint={signed ? "The webhook's signing secret (whsec_…)." : "This request carries no signature headers."}>
        {(p) => (
          <input {...p} value={secret} onChange={(e) => onSecret(e.target.value)} autoComplete="off" spellCheck={false} placeholder="whsec_…" />
        )}
      </Field>
      <button type="submit" className="btn btn-small" disabled={busy}>
        Check signature
      </button>
      {error && <p className="error-note" role="alert">{error}</p>}
      {result && (
        <ul className="signature-results" role="status">
          <Outcome label="Standard Webhooks (webhook-signature)" check={result.standardWebhooks} />
          <Outcome label="X-Signature" check={result.xSignature} />
        </ul>
      )}
    </form>
  );
}

function Outcome({ label, check }: { label: string; check: Check }) {
  return (
    <li className={check.valid ? "ok-text" : "field-error"}>
      <span aria-hidden="true">{check.valid ? "✓ " : "✗ "}</span>
      {label}: {check.valid ? "valid signature" : `invalid${check.reason ? ` (${check.reason})` : ""}`}
    </li>
  );
}
