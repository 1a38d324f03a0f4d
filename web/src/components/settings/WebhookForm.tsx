// Create or edit an outgoing webhook; problems are shown next to the field they concern.
import { useState, type FormEvent } from "react";
import { WEBHOOK_EVENTS, type WebhookDto } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage, fieldErrors } from "../../lib/errors.ts";
import { toFormState, toWebhookInput, validateForm, type WebhookFormState } from "../../lib/webhook-form.ts";
import { Field, FormActions } from "../common/Field.tsx";
import { InspectorUrlButton } from "./InspectorUrlButton.tsx";

interface Props {
  roomId: number;
  webhook?: WebhookDto;
  onSaved: (webhook: WebhookDto) => void;
  onCancel: () => void;
}

export function WebhookForm({ roomId, webhook, onSaved, onCancel }: Props) {
  const [state, setState] = useState<WebhookFormState>(() => toFormState(webhook));
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof WebhookFormState>(key: K, value: WebhookFormState[K]) => setState((s) => ({ ...s, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local = validateForm(state) as Record<string, string>;
    setErrors(local);
    setError(Object.keys(local).length ? "Please fix the fields marked below." : null);
    if (Object.keys(local).length) return;
    setBusy(true);
    try {
      const input = toWebhookInput(state);
      const result = webhook ? await webhooksApi.update(roomId, webhook.id, input) : await webhooksApi.create(roomId, input);
      onSaved(result.webhook);
    } catch (e) {
      setError(errorMessage(e));
      setErrors(fieldErrors(e));
      setBusy(false);
    }
  }

  const toggleEvent = (name: string, on: boolean) =>
    set("events", on ? [...state.events, name] : state.events.filter((e) => e !== name));

  return (
    <form className="form webhook-form" onSubmit={submit} noValidate aria-label={webhook ? "Edit webhook" : "New webhook"}>
      <Field label="Webhook URL" error={errors.url} hint={<InspectorUrlButton onUrl={(url) => set("url", url)} />}>
        {(p) => (
          <input {...p} type="url" inputMode="url" value={state.url} onChange={(e) => set("url", e.target.value)} placeholder="https://example.com/hooks/chat" autoFocus />
        )}
      </Field>
      <Field label="Webhook name" error={errors.name} hint="Optional, to tell webhooks apart.">
        {(p) => <input {...p} value={state.name} onChange={(e) => set("name", e.target.value)} maxLength={100} />}
      </Field>
      <fieldset className="checkbox-group" aria-describedby={errors.events ? "events-error" : undefined}>
        <legend>Events</legend>
        {WEBHOOK_EVENTS.map((name) => (
          <label key={name} className="checkbox">
            <input type="checkbox" checked={state.events.includes(name)} onChange={(e) => toggleEvent(name, e.target.checked)} />
            <code>{name}</code>
          </label>
        ))}
        {errors.events && <p className="field-error" id="events-error">{errors.events}</p>}
      </fieldset>
      <div className="field-row">
        <Field label="HTTP method" error={errors.method}>
          {(p) => (
            <select {...p} value={state.method} onChange={(e) => set("method", e.target.value as WebhookFormState["method"])}>
              <option>POST</option>
              <option>PUT</option>
              <option>PATCH</option>
            </select>
          )}
        </Field>
        <Field label="Max attempts" error={errors.maxAttempts}>
          {(p) => <input {...p} type="number" min={1} max={20} value={state.maxAttempts} onChange={(e) => set("maxAttempts", e.target.value)} />}
        </Field>
      </div>
      <div className="field-row">
        <Field
          label="Trigger words"
          error={errors.triggerWords}
          hint="Comma-separated, e.g. !deploy, !status. When set, a message (new or edited) is sent only if it has one of them; case is ignored."
        >
          {(p) => (
            <input {...p} value={state.triggerWords} onChange={(e) => set("triggerWords", e.target.value)} placeholder="!deploy, !status" spellCheck={false} autoComplete="off" />
          )}
        </Field>
        <Field label="Match" error={errors.triggerMatch}>
          {(p) => (
            <select {...p} value={state.triggerMatch} onChange={(e) => set("triggerMatch", e.target.value as WebhookFormState["triggerMatch"])}>
              <option value="first_word">first word</option>
              <option value="anywhere">anywhere</option>
            </select>
          )}
        </Field>
      </div>
      <Field label="Content type" error={errors.contentType}>
        {(p) => (
          <select {...p} value={state.contentType} onChange={(e) => set("contentType", e.target.value as WebhookFormState["contentType"])}>
            <option value="application/json">application/json</option>
            <option value="application/x-www-form-urlencoded">application/x-www-form-urlencoded (payload=…)</option>
          </select>
        )}
      </Field>
      <Field
        label="Signing secret"
        error={errors.secret}
        hint={webhook ? "Leave empty to keep the current secret." : "Leave empty and one is made for you (whsec_…)."}
      >
        {(p) => <input {...p} value={state.secret} onChange={(e) => set("secret", e.target.value)} autoComplete="off" spellCheck={false} />}
      </Field>
      <Field label="Custom headers" error={errors.headers} hint="One per line, as Header-Name: value">
        {(p) => <textarea {...p} rows={3} value={state.headers} onChange={(e) => set("headers", e.target.value)} spellCheck={false} placeholder="X-Team: support" />}
      </Field>
      <label className="checkbox">
        <input type="checkbox" checked={state.enabled} onChange={(e) => set("enabled", e.target.checked)} />
        Active: send deliveries
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={state.replyEnabled} onChange={(e) => set("replyEnabled", e.target.checked)} />
        Post replies back: a 2xx answer with JSON {'{"text": "…"}'} appears in the room
      </label>
      <FormActions error={error} onCancel={onCancel} busy={busy} submitLabel="Save" />
    </form>
  );
}
