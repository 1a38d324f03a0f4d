// Editing one's own message in place: Enter saves, Escape cancels, Shift+Enter is a new line.
import { useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import type { ChatMessage } from "../../lib/messages.ts";
import { useStore } from "../../state/chat-context.tsx";
import { AutoTextarea } from "./AutoTextarea.tsx";

export function MessageEditor({ message, onDone }: { message: ChatMessage; onDone: () => void }) {
  const store = useStore();
  const [text, setText] = useState(message.body.text);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    const value = text.trim();
    if (!value) return setError("A message cannot be empty. Use Delete to remove it.");
    if (value === message.body.text) return onDone();
    setBusy(true);
    try {
      await store.edit(message, value);
      onDone();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <div className="message-editor">
      <AutoTextarea
        label="Edit text"
        value={text}
        autoFocus
        disabled={busy}
        onChange={setText}
        onKeyDown={(e) => {
          if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            void save();
          } else if (e.key === "Escape") {
            e.preventDefault();
            onDone();
          }
        }}
      />
      {error && <p className="error-note" role="alert">{error}</p>}
      <div className="editor-actions">
        <span className="muted small">Enter to save · Esc to cancel</span>
        <button type="button" className="btn btn-small btn-ghost" onClick={onDone}>
          Cancel
        </button>
        <button type="button" className="btn btn-small btn-primary" onClick={() => void save()} disabled={busy}>
          Update
        </button>
      </div>
    </div>
  );
}
