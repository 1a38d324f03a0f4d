// Writing a message: Enter sends, Shift+Enter adds a line; the draft survives reloads and
// lost connections (messages written offline are sent when the connection is back).
import { useEffect, useRef, useState } from "react";
import type { ChatMessage } from "../../lib/messages.ts";
import { readJsonItem, writeJsonItem } from "../../lib/session-storage.ts";
import { useStore } from "../../state/chat-context.tsx";
import { AutoTextarea } from "./AutoTextarea.tsx";
import { useSenders } from "./use-names.ts";

const MAX = 10_000;
const TYPING_EVERY_MS = 2500;

interface Props {
  roomId: number;
  replyTo: ChatMessage | null;
  onCancelReply: () => void;
}

export function Composer({ roomId, replyTo, onCancelReply }: Props) {
  const store = useStore();
  const sender = useSenders(roomId);
  const draftKey = `hookroom.draft.${store.me.id}.${roomId}`;
  const [text, setText] = useState(() => readJsonItem<string>(draftKey, ""));
  const [error, setError] = useState<string | null>(null);
  const lastTyping = useRef(0);
  const input = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    const timer = setTimeout(() => writeJsonItem(draftKey, text || null), 300);
    return () => clearTimeout(timer);
  }, [draftKey, text]);

  useEffect(() => {
    if (replyTo) input.current?.focus();
  }, [replyTo]);

  const change = (value: string) => {
    setText(value);
    setError(null);
    const now = Date.now();
    if (value && now - lastTyping.current > TYPING_EVERY_MS) {
      lastTyping.current = now;
      store.emitTyping(roomId);
    }
  };

  const send = () => {
    const value = text.trim();
    if (!value) return;
    if (value.length > MAX) {
      setError(`A message can be at most ${MAX.toLocaleString()} characters (this one has ${value.length.toLocaleString()}).`);
      return;
    }
    store.send(roomId, value, replyTo && replyTo.id > 0 ? replyTo.id : null);
    setText("");
    writeJsonItem(draftKey, null);
    lastTyping.current = 0;
    onCancelReply();
  };

  return (
    <div className="composer">
      {replyTo && (
        <div className="composer-reply">
          <div>
            <span className="muted small">Replying to {sender(replyTo.fromUserId).name}</span>
            <p className="composer-reply-text">{replyTo.body.text}</p>
          </div>
          <button type="button" className="btn btn-small btn-ghost" onClick={onCancelReply}>
            Cancel reply
          </button>
        </div>
      )}
      {error && <p className="error-note" role="alert">{error}</p>}
      <form
        className="composer-row"
        onSubmit={(e) => {
          e.preventDefault();
          send();
        }}
      >
        <AutoTextarea
          label="Message"
          inputRef={input}
          value={text}
          placeholder="Write a message…"
          onChange={change}
          onKeyDown={(e) => {
            if (e.key === "Enter" && !e.shiftKey && !e.nativeEvent.isComposing) {
              e.preventDefault();
              send();
            } else if (e.key === "Escape" && replyTo) {
              onCancelReply();
            }
          }}
        />
        <button type="submit" className="btn btn-primary send-button" disabled={!text.trim()}>
          Send
        </button>
      </form>
      {text.length > MAX - 500 && (
        <p className={`small ${text.length > MAX ? "field-error" : "muted"}`}>
          {text.length.toLocaleString()} / {MAX.toLocaleString()}
        </p>
      )}
    </div>
  );
}
