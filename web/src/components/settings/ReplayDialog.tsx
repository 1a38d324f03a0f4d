// Replay…: after an outage or a bad deploy of the receiver, send again what failed since a time.
// It first says how many deliveries would be sent (nothing is sent yet), then, once confirmed,
// how many it queued.
import { useId, useState, type FormEvent } from "react";
import type { ReplayStatus } from "../../api/types.ts";
import { webhooksApi } from "../../api/webhooks.ts";
import { localDateTimeValue, parseLocalDateTime } from "../../lib/deliveries.ts";
import { errorMessage } from "../../lib/errors.ts";
import { dateTime } from "../../lib/format.ts";

const DAY_MS = 24 * 3600 * 1000;
const CHOICES: { status: ReplayStatus; label: string; hint: string }[] = [
  { status: "dead", label: "Dead", hint: "gave up" },
  { status: "failed", label: "Failed", hint: "waiting for a retry" },
  { status: "succeeded", label: "Succeeded", hint: "sent again all the same" },
];

interface Props {
  roomId: number;
  webhookId: number;
  onClose: () => void;
  onQueued: () => void;
}

type Step = { kind: "choose" } | { kind: "confirm"; since: number; statuses: ReplayStatus[]; count: number } | { kind: "done"; count: number };

const deliveriesWord = (n: number) => `${n} ${n === 1 ? "delivery" : "deliveries"}`;

export function ReplayDialog({ roomId, webhookId, onClose, onQueued }: Props) {
  const titleId = useId();
  const [since, setSince] = useState(() => localDateTimeValue(Date.now() - DAY_MS));
  const [statuses, setStatuses] = useState<ReplayStatus[]>(["dead"]);
  const [step, setStep] = useState<Step>({ kind: "choose" });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const attempt = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const review = (event: FormEvent) => {
    event.preventDefault();
    const at = parseLocalDateTime(since);
    if (at === null) return setError("Choose the date and time to replay from.");
    if (statuses.length === 0) return setError("Choose at least one status.");
    void attempt(async () => {
      const { count } = await webhooksApi.replayPreview(roomId, webhookId, at, statuses);
      setStep({ kind: "confirm", since: at, statuses, count });
    });
  };

  const send = (s: Extract<Step, { kind: "confirm" }>) =>
    attempt(async () => {
      const { count } = await webhooksApi.replay(roomId, webhookId, s.since, s.statuses);
      setStep({ kind: "done", count });
      onQueued();
    });

  const toggle = (status: ReplayStatus, on: boolean) => setStatuses((list) => (on ? [...list, status] : list.filter((s) => s !== status)));

  return (
    <div className="replay-dialog card" role="dialog" aria-labelledby={titleId}>
      <h6 id={titleId}>Replay deliveries</h6>
      {step.kind === "choose" && (
        <form className="form" onSubmit={review} noValidate>
          <p className="small muted">
            Sends each event again whose latest delivery since then has one of these statuses, oldest event first (with
            the same webhook-id). Nothing is sent before you confirm.
          </p>
          <div className="field">
            <label htmlFor={`${titleId}-since`}>Since</label>
            <input id={`${titleId}-since`} type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} required />
          </div>
          <fieldset className="checkbox-group">
            <legend>Statuses</legend>
            {CHOICES.map((c) => (
              <label key={c.status} className="checkbox">
                <input type="checkbox" checked={statuses.includes(c.status)} onChange={(e) => toggle(c.status, e.target.checked)} />
                {c.label} <span className="muted small">({c.hint})</span>
              </label>
            ))}
          </fieldset>
          {error && <p className="error-note" role="alert">{error}</p>}
          <div className="form-actions">
            <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="btn btn-small btn-primary" disabled={busy}>
              Review
            </button>
          </div>
        </form>
      )}
      {step.kind === "confirm" && (
        <div className="confirm">
          <p role="status">
            {step.count === 0
              ? `Nothing to replay: no event since ${dateTime(step.since)} has its latest delivery ${step.statuses.join(" or ")}.`
              : `${deliveriesWord(step.count)} will be sent again (events since ${dateTime(step.since)}, latest delivery ${step.statuses.join(" or ")}).`}
          </p>
          {error && <p className="error-note" role="alert">{error}</p>}
          <div className="confirm-actions">
            {step.count > 0 && (
              <button type="button" className="btn btn-small btn-primary" onClick={() => void send(step)} disabled={busy} autoFocus>
                Send {deliveriesWord(step.count)}
              </button>
            )}
            <button type="button" className="btn btn-small btn-ghost" onClick={() => setStep({ kind: "choose" })}>
              Back
            </button>
          </div>
        </div>
      )}
      {step.kind === "done" && (
        <div className="confirm">
          <p role="status">Replay queued {deliveriesWord(step.count)}. They appear in the list as they are sent.</p>
          <div className="confirm-actions">
            <button type="button" className="btn btn-small" onClick={onClose} autoFocus>
              Close
            </button>
          </div>
        </div>
      )}
    </div>
  );
}
