// One bin: its URL, using it as a room's webhook, and its requests arriving live.
import { useEffect, useState } from "react";
import { inspectorApi } from "../../api/inspector.ts";
import type { InspectorRequestDto } from "../../api/types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useStore } from "../../state/chat-context.tsx";
import { useOnConnect, useSocketEvent } from "../../state/use-socket-event.ts";
import { CopyButton } from "../common/CopyButton.tsx";
import { ErrorNote } from "../common/Field.tsx";
import { Confirm } from "../common/Confirm.tsx";
import { ForwardHint } from "./ForwardHint.tsx";
import { RequestDetails } from "./RequestDetails.tsx";
import { RequestList } from "./RequestList.tsx";
import { UseAsWebhook } from "./UseAsWebhook.tsx";

interface Props {
  binId: string;
  url: string | null;
  onDelete: () => Promise<void>;
}

export function BinView({ binId, url, onDelete }: Props) {
  const { socket } = useStore();
  const [requests, setRequests] = useState<InspectorRequestDto[] | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState("");
  const [confirmDelete, setConfirmDelete] = useState(false);
  const binUrl = url ?? `${window.location.origin}/inspect/${binId}`;

  const add = (incoming: InspectorRequestDto[]) =>
    setRequests((list) => {
      const byId = new Map((list ?? []).map((r) => [r.id, r]));
      for (const r of incoming) byId.set(r.id, r);
      return [...byId.values()].sort((a, b) => b.at - a.at || b.id - a.id);
    });

  // Fetch what the bin holds and watch it; again after every reconnect (nothing is missed).
  useOnConnect(() => {
    socket.emit("inspector:watch", { binId }, (res) => {
      if (res && "error" in res) setError(res.error.message);
    });
    inspectorApi
      .requests(binId)
      .then(({ requests: list }) => {
        add(list);
        setError(null);
      })
      .catch((e) => setError(errorMessage(e)));
  });
  useEffect(() => () => void socket.emit("inspector:unwatch", { binId }), [socket, binId]);
  useSocketEvent("inspector:request", (event) => {
    if (event.binId === binId) add([event.request]);
  });

  const current = requests?.find((r) => r.id === selected) ?? requests?.[0] ?? null;
  return (
    <div className="bin-view">
      <section className="card bin-card" aria-label="Bin">
        <p className="label">Bin URL</p>
        <div className="value-with-actions">
          <code className="break bin-url">{binUrl}</code>
          <CopyButton text={binUrl} label="Copy bin URL" />
        </div>
        <UseAsWebhook url={binUrl} onSecret={setSecret} />
        {confirmDelete ? (
          <Confirm
            confirmLabel="Delete bin"
            danger
            onCancel={() => setConfirmDelete(false)}
            onConfirm={() => onDelete().catch((e) => (setError(errorMessage(e)), setConfirmDelete(false)))}
          >
            Delete this bin and the requests it holds? Webhooks pointing at it will fail.
          </Confirm>
        ) : (
          <button type="button" className="btn-link small danger" onClick={() => setConfirmDelete(true)}>
            Delete bin…
          </button>
        )}
      </section>
      <ForwardHint binUrl={binUrl} />
      <ErrorNote message={error} />
      <div className="bin-requests">
        <RequestList requests={requests} selectedId={current?.id ?? null} onSelect={setSelected} binUrl={binUrl} />
        {current && <RequestDetails binId={binId} request={current} secret={secret} onSecret={setSecret} />}
      </div>
    </div>
  );
}
