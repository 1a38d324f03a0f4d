// An incoming hook's template: a preset to start from, the Mustache text, and a preview that
// follows the typing, rendered by the server over the hook's last request or a pasted sample.
import { useEffect, useId, useState } from "react";
import type { IncomingWebhookDto } from "../../api/types.ts";
import { incomingApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { TEMPLATE_PRESETS } from "../../../../src/webhooks/incoming/presets.ts";
import { ErrorNote } from "../common/Field.tsx";

const PREVIEW_DELAY_MS = 300;

type Source = "last" | "sample";
type Preview = { text: string } | { problem: string } | null;

interface Props {
  roomId: number;
  hook: IncomingWebhookDto;
  onSaved: (hook: IncomingWebhookDto) => void;
}

export function IncomingTemplate({ roomId, hook, onSaved }: Props) {
  const id = useId();
  const saved = hook.template ?? "";
  const [template, setTemplate] = useState(saved);
  const [presetId, setPresetId] = useState("");
  const [source, setSource] = useState<Source>("last");
  const [sample, setSample] = useState("");
  const [preview, setPreview] = useState<Preview>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  // The preview follows the template, the source and the sample, once typing pauses.
  useEffect(() => {
    let body: unknown;
    if (source === "sample") {
      if (!sample.trim()) return setPreview({ problem: "Paste a sample body (JSON) to preview over it." });
      try {
        body = JSON.parse(sample);
      } catch (e) {
        return setPreview({ problem: `The sample is not valid JSON: ${errorMessage(e)}` });
      }
    }
    let current = true;
    const timer = setTimeout(() => {
      incomingApi
        .preview(roomId, hook.id, template.trim() ? template : null, body)
        .then((r) => current && setPreview({ text: r.text }))
        .catch((e) => current && setPreview({ problem: errorMessage(e) }));
    }, PREVIEW_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [roomId, hook.id, template, source, sample]);

  const pickPreset = (value: string) => {
    setPresetId(value);
    const preset = TEMPLATE_PRESETS.find((p) => p.id === value);
    if (preset) setTemplate(preset.template);
  };

  const save = async (value: string | null) => {
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const { incomingWebhook } = await incomingApi.setTemplate(roomId, hook.id, value);
      onSaved({ ...hook, ...incomingWebhook });
      setTemplate(incomingWebhook.template ?? "");
      setNotice(value === null ? "Template removed: posts use the text rule again." : "Template saved.");
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const preset = TEMPLATE_PRESETS.find((p) => p.id === presetId);
  const changed = template !== saved;
  return (
    <section className="incoming-template" aria-labelledby={`${id}-title`}>
      <h5 id={`${id}-title`}>Message template</h5>
      <p className="muted small">
        Without a template, posts use <code>text</code> (and Slack-style <code>attachments</code>). A Mustache template turns any JSON,
        such as GitHub's or Alertmanager's, into the message.
      </p>
      <div className="field">
        <label htmlFor={`${id}-preset`}>Start from a preset</label>
        <select id={`${id}-preset`} value={presetId} onChange={(e) => pickPreset(e.target.value)} aria-describedby={preset ? `${id}-hint` : undefined}>
          <option value="">Choose a preset…</option>
          {TEMPLATE_PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
        {preset && (
          <p className="field-hint" id={`${id}-hint`}>
            {preset.hint}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${id}-template`}>Template</label>
        <textarea
          id={`${id}-template`}
          className="mono template-text"
          value={template}
          onChange={(e) => setTemplate(e.target.value)}
          rows={5}
          maxLength={4000}
          spellCheck={false}
          placeholder="{{sender.login}} pushed to {{repository.full_name}}"
        />
      </div>
      <fieldset className="preview-source checkbox-group">
        <legend>Preview over</legend>
        <label className="checkbox">
          <input type="radio" name={`${id}-source`} checked={source === "last"} onChange={() => setSource("last")} /> the hook's last request
        </label>
        <label className="checkbox">
          <input type="radio" name={`${id}-source`} checked={source === "sample"} onChange={() => setSource("sample")} /> a sample I paste
        </label>
      </fieldset>
      {source === "sample" && (
        <div className="field">
          <label htmlFor={`${id}-sample`}>Sample JSON</label>
          <textarea id={`${id}-sample`} className="mono" value={sample} onChange={(e) => setSample(e.target.value)} rows={5} spellCheck={false} />
        </div>
      )}
      <p className="label" id={`${id}-preview`}>
        Preview
      </p>
      <div role="status" aria-labelledby={`${id}-preview`} className={`template-preview${preview && "problem" in preview ? " is-problem" : ""}`}>
        {preview === null ? "…" : "text" in preview ? preview.text : preview.problem}
      </div>
      <ErrorNote message={error} />
      {notice && <p className="small ok-text">{notice}</p>}
      <div className="card-actions">
        <button type="button" className="btn btn-small btn-primary" disabled={busy || !changed || !template.trim()} onClick={() => void save(template)}>
          Save template
        </button>
        {hook.template && (
          <button type="button" className="btn btn-small btn-ghost" disabled={busy} onClick={() => void save(null)}>
            Remove template
          </button>
        )}
      </div>
    </section>
  );
}
