// One outgoing webhook: status (and its circuit breaker when it is not closed), Verification-Signature
// and secret, and what can be done with it.
import { useState } from "react";
import type { WebhookDto } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { dateTime } from "../../lib/format.ts";
import { circuitNotice, webhookStatus } from "../../lib/webhook-form.ts";
import { CopyButton } from "../common/CopyButton.tsx";
import { ErrorNote } from "../common/Field.tsx";
import { Confirm } from "../common/Confirm.tsx";
import { DeliveriesPanel } from "./DeliveriesPanel.tsx";
import { SecretValue } from "./SecretValue.tsx";
import { StatusPill } from "./StatusPill.tsx";
import { TestPing } from "./TestPing.tsx";
import { WebhookForm } from "./WebhookForm.tsx";

interface Props {
  roomId: number;
  webhook: WebhookDto;
  onChanged: (webhook: WebhookDto) => void;
  onDeleted: (id: number) => void;
}

type Mode = "view" | "edit" | "rotate" | "delete";

export function WebhookCard({ roomId, webhook, onChanged, onDeleted }: Props) {
  const [mode, setMode] = useState<Mode>("view");
  const [showDeliveries, setShowDeliveries] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const status = webhookStatus(webhook);
  const circuit = circuitNotice(webhook.circuit, dateTime);
  const titleId = `webhook-${webhook.id}-title`;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode("view");
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const rotate = () =>
    run(async () => {
      onChanged((await webhooksApi.rotate(roomId, webhook.id)).webhook);
      setNotice("New Verification-Signature and secret made. The old secret still signs for 24 hours.");
    });
  const enable = () => run(async () => onChanged((await webhooksApi.update(roomId, webhook.id, { enabled: true })).webhook));
  const closeCircuit = () => run(async () => onChanged((await webhooksApi.closeCircuit(roomId, webhook.id)).webhook));
  const remove = () =>
    run(async () => {
      await webhooksApi.remove(roomId, webhook.id);
      onDeleted(webhook.id);
    });

  if (mode === "edit") {
    return (
      <article className="card webhook-card" aria-labelledby={titleId}>
        <h4 id={titleId}>Edit {webhook.name || "webhook"}</h4>
        <WebhookForm roomId={roomId} webhook={webhook} onCancel={() => setMode("view")} onSaved={(w) => (onChanged(w), setMode("view"))} />
      </article>
    );
  }

  return (
    <article className="card webhook-card" aria-labelledby={titleId}>
      <div className="card-head">
        <h4 id={titleId}>{webhook.name || hostOf(webhook.url)}</h4>
        <StatusPill status={status.label} tone={status.tone} />
        {circuit && <StatusPill status={circuit.label} tone="off" />}
      </div>
      <p className="webhook-url">
        <span className="method">{webhook.method}</span> <span className="break">{webhook.url}</span>
      </p>
      {status.reason && (
        <div className="warning">
          <p>Disabled: {status.reason}</p>
          <button type="button" className="btn btn-small" onClick={() => void enable()} disabled={busy}>
            Enable again
          </button>
        </div>
      )}
      {circuit && webhook.enabled && (
        <div className="circuit-note" role="status">
          <p>{circuit.text}</p>
          <button type="button" className="btn btn-small" onClick={() => void closeCircuit()} disabled={busy}>
            Close circuit
          </button>
        </div>
      )}
      <dl className="kv">
        <dt>Verification-Signature</dt>
        <dd className="value-with-actions">
          <code className="signature">{webhook.verificationSignature}</code>
          <CopyButton text={webhook.verificationSignature} label="Copy Verification-Signature" />
        </dd>
        <dt>Secret</dt>
        <dd>
          <SecretValue secret={webhook.secret} />
        </dd>
        <dt>Events</dt>
        <dd className="events">{webhook.events.map((e) => <code key={e}>{e}</code>)}</dd>
        {webhook.triggerWords?.length > 0 && (
          <>
            <dt>Trigger words</dt>
            <dd className="events">
              {webhook.triggerWords.map((w) => <code key={w}>{w}</code>)}
              <span className="muted small">{webhook.triggerMatch === "anywhere" ? "anywhere in the text" : "as the first word"}</span>
            </dd>
          </>
        )}
        <dt>Sends</dt>
        <dd className="small">
          {webhook.contentType}, up to {webhook.maxAttempts} {webhook.maxAttempts === 1 ? "attempt" : "attempts"}
          {webhook.replyEnabled ? ", replies posted back" : ""}
          {webhook.headers && Object.keys(webhook.headers).length > 0 ? `, headers: ${Object.keys(webhook.headers).join(", ")}` : ""}
        </dd>
        {webhook.lastDelivery && !showDeliveries && (
          <>
            <dt>Last delivery</dt>
            <dd className="small">
              <StatusPill status={webhook.lastDelivery.status} /> <code>{webhook.lastDelivery.event}</code>{" "}
              <span className="muted">{dateTime(webhook.lastDelivery.createdAt)}</span>
            </dd>
          </>
        )}
      </dl>
      {webhook.previousSecretExpiresAt && (
        <p className="small muted">The previous secret also signs until {dateTime(webhook.previousSecretExpiresAt)}.</p>
      )}
      {notice && <p className="notice small" role="status">{notice}</p>}
      <ErrorNote message={error} />
      {mode === "rotate" && (
        <Confirm confirmLabel="Rotate now" onConfirm={() => void rotate()} onCancel={() => setMode("view")} busy={busy}>
          Make a new Verification-Signature and secret? Receivers must switch to the new ones: the old secret still
          signs deliveries for 24 hours, the old Verification-Signature stops at once.
        </Confirm>
      )}
      {mode === "delete" && (
        <Confirm confirmLabel="Delete webhook" danger onConfirm={() => void remove()} onCancel={() => setMode("view")} busy={busy}>
          Delete this webhook? Deliveries still waiting are dropped.
        </Confirm>
      )}
      <div className="card-actions">
        <TestPing roomId={roomId} webhookId={webhook.id} />
        <button type="button" className="btn btn-small" aria-expanded={showDeliveries} onClick={() => setShowDeliveries(true)}>
          Deliveries
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setMode("edit")}>
          Edit
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => setMode("rotate")}>
          Rotate…
        </button>
        <button type="button" className="btn btn-small btn-ghost danger" onClick={() => setMode("delete")}>
          Delete…
        </button>
      </div>
      {showDeliveries && (
        <DeliveriesPanel roomId={roomId} webhookId={webhook.id} circuit={webhook.circuit} onClose={() => setShowDeliveries(false)} />
      )}
    </article>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

