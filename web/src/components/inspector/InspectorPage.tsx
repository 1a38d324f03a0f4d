// The request inspector: make a bin, point a webhook at it, and watch requests arrive.
import { Icon } from "../common/Icon.tsx";
import { useEffect, useState } from "react";
import { inspectorApi } from "../../api/inspector.ts";
import { errorMessage } from "../../lib/errors.ts";
import { navigate } from "../../lib/router.ts";
import { useStore } from "../../state/chat-context.tsx";
import { ErrorNote } from "../common/Field.tsx";
import { Link } from "../common/Link.tsx";
import { BinView } from "./BinView.tsx";
import { forgetBin, listLocalBins, loadBins, rememberBin } from "./bins.ts";

export function InspectorPage({ binId }: { binId: string | null }) {
  const store = useStore();
  const [bins, setBins] = useState(() => listLocalBins(store.me.id));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const current = binId ?? null;

  useEffect(() => {
    let cancelled = false;
    void loadBins(store.me.id).then((list) => !cancelled && setBins(list));
    return () => {
      cancelled = true;
    };
  }, [store.me.id]);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const { bin } = await inspectorApi.createBin();
      setBins(rememberBin(store.me.id, bin));
      navigate(`/inspector/${encodeURIComponent(bin.id)}`);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="inspector-page">
      <header className="inspector-head">
        <div>
          <h1>Request inspector</h1>
          <p className="muted">
            A bin is a URL that keeps every request sent to it. Use one as a webhook URL to see exactly what is sent,
            headers and body, and check its signature.
          </p>
        </div>
        <button type="button" className="btn btn-primary" onClick={() => void create()} disabled={busy}>
          New bin
        </button>
      </header>
      <ErrorNote message={error} />
      {bins.length > 0 && (
        <nav className="bin-tabs" aria-label="Your bins">
          {bins.map((bin) => (
            <Link key={bin.id} to={`/inspector/${encodeURIComponent(bin.id)}`} className={`bin-tab${bin.id === current ? " is-active" : ""}`} aria-current={bin.id === current ? "page" : undefined}>
              <code>{bin.id}</code>
            </Link>
          ))}
        </nav>
      )}
      {current ? (
        <BinView
          key={current}
          binId={current}
          url={bins.find((b) => b.id === current)?.url ?? null}
          onDelete={async () => {
            await inspectorApi.deleteBin(current);
            setBins((list) => list.filter((b) => b.id !== current));
            forgetBin(store.me.id, current);
            navigate("/inspector");
          }}
        />
      ) : (
        <div className="empty-state">
          <div className="empty-illustration">
            <Icon name="search" size={40} />
          </div>
          <h2>{bins.length ? "Pick a bin above, or make a new one" : "Make your first bin"}</h2>
          <p>Requests to a bin appear here as they arrive, no reload needed.</p>
        </div>
      )}
    </div>
  );
}
