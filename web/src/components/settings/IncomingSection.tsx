// Incoming webhooks: URLs that other systems call to post messages into this room.
import { useCallback, useEffect, useState, type FormEvent } from "react";
import type { IncomingVerification, IncomingWebhookDto } from "../../api/types.ts";
import { incomingApi } from "../../api/webhooks.ts";
import { errorMessage, fieldErrors } from "../../lib/errors.ts";
import { Field, FormActions } from "../common/Field.tsx";
import { IncomingCard } from "./IncomingCard.tsx";

interface Props {
  roomId: number;
  formOpen: boolean;
  onForm: (open: boolean) => void;
}

export function IncomingSection({ roomId, formOpen, onForm }: Props) {
  const [hooks, setHooks] = useState<IncomingWebhookDto[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const { incomingWebhooks } = await incomingApi.list(roomId);
      // The list may leave keys out; keep the ones this page already saw at creation.
      setHooks((old) => incomingWebhooks.map((h) => ({ ...old?.find((o) => o.id === h.id), ...h })));
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [roomId]);
  useEffect(() => void load(), [load]);

  return (
    <section aria-labelledby="incoming-title" className="settings-section">
      <div className="section-head">
        <h3 id="incoming-title">Incoming webhooks</h3>
        {!formOpen && (
          <button type="button" className="btn btn-small btn-primary" onClick={() => onForm(true)}>
            New incoming webhook
          </button>
        )}
      </div>
      <p className="muted small">Let scripts and other systems post messages into this room.</p>
      {formOpen && (
        <IncomingForm
          roomId={roomId}
          onCancel={() => onForm(false)}
          onCreated={(hook) => {
            setHooks((list) => [...(list ?? []), hook]);
            onForm(false);
          }}
        />
      )}
      {error && <p className="error-note" role="alert">{error}</p>}
      {hooks?.length === 0 && !formOpen && <p className="muted small">No incoming webhooks yet.</p>}
      {hooks?.map((hook) => (
        <IncomingCard
          key={hook.id}
          roomId={roomId}
          hook={hook}
          onChanged={(changed) => setHooks((l) => l?.map((h) => (h.id === changed.id ? changed : h)) ?? null)}
          onDeleted={(id) => setHooks((l) => l?.filter((h) => h.id !== id) ?? null)}
        />
      ))}
    </section>
  );
}

function IncomingForm({ roomId, onCreated, onCancel }: { roomId: number; onCreated: (h: IncomingWebhookDto) => void; onCancel: () => void }) {
  const [name, setName] = useState("");
  const [verification, setVerification] = useState<IncomingVerification>("api_key");
  const [secret, setSecret] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) return setFields({ name: "Give it a name, such as the system that will call it." });
    setBusy(true);
    setError(null);
    try {
      const body = { name: name.trim(), verification, ...(verification !== "api_key" && secret ? { secret } : {}) };
      onCreated((await incomingApi.create(roomId, body)).incomingWebhook);
    } catch (e) {
      setError(errorMessage(e));
      setFields(fieldErrors(e));
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-label="New incoming webhook">
      <Field label="Name" error={fields.name}>
        {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus />}
      </Field>
      <Field label="Verification" error={fields.verification}>
        {(p) => (
          <select {...p} value={verification} onChange={(e) => setVerification(e.target.value as IncomingVerification)}>
            <option value="api_key">API key (x-api-key header)</option>
            <option value="hmac_sha256_base64">HMAC-SHA256, base64 (Webhook-Signature)</option>
            <option value="hmac_sha256_hex">HMAC-SHA256, hex (X-Signature)</option>
          </select>
        )}
      </Field>
      {verification !== "api_key" && (
        <Field label="Shared secret" error={fields.secret} hint="Paste the calling system's secret, or leave empty to get one.">
          {(p) => <input {...p} value={secret} onChange={(e) => setSecret(e.target.value)} autoComplete="off" spellCheck={false} />}
        </Field>
      )}
      <FormActions error={error} onCancel={onCancel} busy={busy} submitLabel="Create" />
    </form>
  );
}
