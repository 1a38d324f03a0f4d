// How to send a bin's requests to a server on this machine, instead of opening a tunnel: the exact
// `npx hookroom forward` command for this bin, with the local URL the user types.
import { useId, useState } from "react";
import { shellQuote } from "../../lib/curl.ts";
import { readToken } from "../../lib/session-storage.ts";
import { CopyButton } from "../common/CopyButton.tsx";

export function forwardCommand(binUrl: string, targetUrl: string): string {
  return `npx hookroom forward ${shellQuote(binUrl)} ${shellQuote(targetUrl || "http://localhost:8080/webhooks")}`;
}

export function ForwardHint({ binUrl }: { binUrl: string }) {
  const id = useId();
  const [target, setTarget] = useState("http://localhost:8080/webhooks");
  const command = forwardCommand(binUrl, target.trim());
  const token = readToken();
  return (
    <section className="card forward-hint" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Forward to localhost</h3>
      <p className="small muted">
        Run this in the project folder of this server, and every request the bin catches from then on is sent to your local server too:
        same method, path after the bin id, query, headers and body, so signatures verify there. No tunnel needed.
      </p>
      <div className="field">
        <label htmlFor={`${id}-target`}>Local URL</label>
        <input id={`${id}-target`} value={target} onChange={(e) => setTarget(e.target.value)} spellCheck={false} autoComplete="off" />
      </div>
      <div className="section-head">
        <p className="label">Command</p>
        <CopyButton text={command} label="Copy forward command" />
      </div>
      <pre className="code-block forward-command">
        <code>{command}</code>
      </pre>
      <p className="small muted">
        It signs in with your token: set <code>HOOKROOM_TOKEN</code> first, or add <code>--token</code>.
        {token && <CopyButton text={token} label="Copy my token" />}
      </p>
    </section>
  );
}
