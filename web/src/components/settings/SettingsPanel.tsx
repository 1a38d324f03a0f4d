// The room admin's webhooks: outgoing webhooks (with deliveries) and incoming webhooks.
import { useCallback, useEffect, useState } from "react";
import type { WebhookDto } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useSocketEvent } from "../../state/use-socket-event.ts";
import { IncomingSection } from "./IncomingSection.tsx";
import { WebhookCard } from "./WebhookCard.tsx";
import { WebhookForm } from "./WebhookForm.tsx";

export type OpenForm = "webhook" | "incoming" | null;

export function SettingsPanel({ roomId }: { roomId: number }) {
  const [webhooks, setWebhooks] = useState<WebhookDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // One form at a time, so labels such as "Name" are never ambiguous.
  const [openForm, setOpenForm] = useState<OpenForm>(null);

  const load = useCallback(async () => {
    try {
      setWebhooks((await webhooksApi.list(roomId)).webhooks);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [roomId]);
  useEffect(() => void load(), [load]);

  // Keep each card's "Last delivery" current while the panel is open.
  useSocketEvent("webhook:delivery", (event) => {
    const d = event.delivery;
    if (event.roomId !== roomId) return;
    setWebhooks((list) =>
      list?.map((w) =>
        w.id === event.webhookId && (!w.lastDelivery || w.lastDelivery.id <= d.id)
          ? { ...w, lastDelivery: { id: d.id, event: d.event, status: d.status, createdAt: d.createdAt } }
          : w,
      ) ?? null,
    );
  });

  // A webhook changed elsewhere (its circuit opened or closed, it was disabled, another admin edited it).
  useSocketEvent("webhook:updated", (event) => {
    const updated = event.webhook;
    if (event.roomId !== roomId) return;
    setWebhooks((list) => list?.map((w) => (w.id === updated.id ? { ...updated, lastDelivery: updated.lastDelivery ?? w.lastDelivery } : w)) ?? null);
  });

  const replace = (webhook: WebhookDto) =>
    setWebhooks((list) => (list?.some((w) => w.id === webhook.id) ? list.map((w) => (w.id === webhook.id ? webhook : w)) : [...(list ?? []), webhook]));

  return (
    <div className="settings-panel">
      <section aria-labelledby="outgoing-title" className="settings-section">
        <div className="section-head">
          <h3 id="outgoing-title">Outgoing webhooks</h3>
          {openForm !== "webhook" && (
            <button type="button" className="btn btn-small btn-primary" onClick={() => setOpenForm("webhook")}>
              New webhook
            </button>
          )}
        </div>
        <p className="muted small">
          Each new message in this room is sent to these URLs as JSON, with the Verification-Signature header and an
          HMAC signature.
        </p>
        {openForm === "webhook" && (
          <div className="card">
            <WebhookForm
              roomId={roomId}
              onCancel={() => setOpenForm(null)}
              onSaved={(webhook) => {
                replace(webhook);
                setOpenForm(null);
              }}
            />
          </div>
        )}
        {error && <p className="error-note" role="alert">{error}</p>}
        {webhooks === null && !error && <p className="muted small">Loading webhooks…</p>}
        {webhooks?.length === 0 && openForm !== "webhook" && <p className="muted small">No webhooks yet.</p>}
        {webhooks?.map((webhook) => (
          <WebhookCard
            key={webhook.id}
            roomId={roomId}
            webhook={webhook}
            onChanged={replace}
            onDeleted={(id) => setWebhooks((list) => list?.filter((w) => w.id !== id) ?? null)}
          />
        ))}
      </section>
      <IncomingSection roomId={roomId} formOpen={openForm === "incoming"} onForm={(open) => setOpenForm(open ? "incoming" : null)} />
    </div>
  );
}
