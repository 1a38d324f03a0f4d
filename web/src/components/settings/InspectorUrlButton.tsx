// Fills a webhook URL with a fresh inspector bin, to see what the webhook sends.
import { useState } from "react";
import { inspectorApi } from "../../api/inspector.ts";
import { errorMessage } from "../../lib/errors.ts";
import { rememberBin } from "../inspector/bins.ts";
import { useStore } from "../../state/chat-context.tsx";

export function InspectorUrlButton({ onUrl }: { onUrl: (url: string) => void }) {
  const store = useStore();
  const [state, setState] = useState<{ busy: boolean; error: string | null }>({ busy: false, error: null });
  const create = async () => {
    setState({ busy: true, error: null });
    try {
      const { bin } = await inspectorApi.createBin();
      rememberBin(store.me.id, bin);
      onUrl(bin.url);
      setState({ busy: false, error: null });
    } catch (e) {
      setState({ busy: false, error: errorMessage(e) });
    }
  };
  return (
    <>
      No receiver yet?{" "}
      <button type="button" className="btn-link" onClick={() => void create()} disabled={state.busy}>
        Use a new inspector bin
      </button>
      {state.error && <span className="field-error"> {state.error}</span>}
    </>
  );
}
