// One incoming webhook: its URL, key or secret, curl commands that work as pasted (plain text and
// Slack's shape), its message template with a live preview, and its request log.
import { useState } from "react";
import type { IncomingWebhookDto } from "../../api/types.ts";
import { incomingApi } from "../../api/webhooks.ts";
import { buildCurl, SLACK_EXAMPLE, verificationLabel } from "../../lib/curl.ts";
import { errorMessage } from "../../lib/errors.ts";
import { CopyButton } from "../common/CopyButton.tsx";
import { ErrorNote } from "../common/Field.tsx";
import { StatusPill } from "./StatusPill.tsx";
import { Confirm } from "../common/Confirm.tsx";
import { IncomingRequests } from "./IncomingRequests.tsx";
import { IncomingTemplate } from "./IncomingTemplate.tsx";

interface Props {
  roomId: number;
  hook: IncomingWebhookDto;
  onChanged: (hook: IncomingWebhookDto) => void;
  onDeleted: (id: number) => void;
}

export function IncomingCard({ roomId, hook, onChanged, onDeleted }: Props) {
  const [confirming, setConfirming] = useState(false);
  const [showRequests, setShowRequests] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const key = hook.verification === "api_key" ? hook.apiKey : hook.secret;
  const curl = buildCurl(hook);
  const slackCurl = buildCurl(hook, SLACK_EXAMPLE);
  const titleId = `incoming-${hook.id}-title`;

  const paused = hook.enabled === false;
  const toggle = async () => {
    setError(null);
    try {
      const { incomingWebhook } = await incomingApi.setEnabled(roomId, hook.id, paused);
      onChanged({ ...hook, ...incomingWebhook });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const remove = async () => {
    try {
      await incomingApi.remove(roomId, hook.id);
      onDeleted(hook.id);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <article className="card incoming-card" aria-labelledby={titleId}>
      <div className="card-head">
        <h4 id={titleId}>{hook.name}</h4>
        <StatusPill status={paused ? "paused" : "active"} tone={paused ? "off" : "ok"} />
      </div>
      <p className="muted small">{verificationLabel(hook.verification)}</p>
      <dl className="kv">
        <dt>URL</dt>
        <dd className="value-with-actions">
          <code className="break">{hook.url}</code>
          <CopyButton text={hook.url} label="Copy URL" />
        </dd>
        <dt>{hook.verification === "api_key" ? "API key" : "Secret"}</dt>
        <dd className="value-with-actions">
          {key ? (
            <>
              <code className="break">{key}</code>
              <CopyButton text={key} label={hook.verification === "api_key" ? "Copy API key" : "Copy secret"} />
            </>
          ) : (
            <span className="muted small">Shown once, when it was created.</span>
          )}
        </dd>
      </dl>
      <div className="section-head">
        <p className="label">Try it with curl</p>
        <CopyButton text={curl} label="Copy curl command" />
      </div>
      <pre className="code-block curl-example">
        <code>{curl}</code>
      </pre>
      <div className="section-head">
        <p className="label">Or in Slack's shape (text and attachments)</p>
        <CopyButton text={slackCurl} label="Copy Slack-style curl command" />
      </div>
      <pre className="code-block curl-example-slack">
        <code>{slackCurl}</code>
      </pre>
      <IncomingTemplate roomId={roomId} hook={hook} onSaved={onChanged} />
      {showRequests && <IncomingRequests roomId={roomId} hookId={hook.id} onClose={() => setShowRequests(false)} />}
      <ErrorNote message={error} />
      {confirming ? (
        <Confirm confirmLabel="Delete incoming webhook" danger onConfirm={() => void remove()} onCancel={() => setConfirming(false)}>
          Delete it? Calls to its URL will be refused from now on.
        </Confirm>
      ) : (
        <div className="card-actions">
          <button type="button" className="btn btn-small" aria-expanded={showRequests} onClick={() => setShowRequests(!showRequests)}>
            Requests
          </button>
          <button type="button" className="btn btn-small" onClick={() => void toggle()}>
            {paused ? "Resume" : "Pause"}
          </button>
          <button type="button" className="btn btn-small btn-ghost danger" onClick={() => setConfirming(true)}>
            Delete…
          </button>
        </div>
      )}
    </article>
  );
}
