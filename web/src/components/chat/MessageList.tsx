// The conversation: day separators, grouped messages, history loaded when scrolling up,
// and staying at the bottom as new messages arrive.
import { useCallback, useLayoutEffect, useRef, useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { dayLabel } from "../../lib/format.ts";
import type { ChatMessage } from "../../lib/messages.ts";
import { emptyTimeline } from "../../lib/messages.ts";
import { useChat, useStore } from "../../state/chat-context.tsx";
import { MessageItem } from "./MessageItem.tsx";
import { useSenders } from "./use-names.ts";

const GROUP_GAP_MS = 5 * 60 * 1000;

export function MessageList({ roomId, onReply }: { roomId: number; onReply: (m: ChatMessage) => void }) {
  const store = useStore();
  const timeline = useChat((s) => s.timelines[roomId] ?? emptyTimeline);
  const sender = useSenders(roomId);
  const box = useRef<HTMLDivElement>(null);
  const atBottom = useRef(true);
  const anchor = useRef<{ height: number; top: number } | null>(null);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { messages } = timeline;
  const last = messages[messages.length - 1];

  const loadOlder = useCallback(async () => {
    const el = box.current;
    if (!el || loadingOlder || !timeline.hasMore || !timeline.loaded) return;
    setLoadingOlder(true);
    anchor.current = { height: el.scrollHeight, top: el.scrollTop };
    try {
      await store.loadOlder(roomId);
      setError(null);
    } catch (e) {
      anchor.current = null;
      setError(errorMessage(e));
    } finally {
      setLoadingOlder(false);
    }
  }, [store, roomId, loadingOlder, timeline.hasMore, timeline.loaded]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    if (anchor.current) {
      // older messages were added above: keep what the reader was looking at in place
      el.scrollTop = anchor.current.top + (el.scrollHeight - anchor.current.height);
      anchor.current = null;
    } else if (atBottom.current || (last && last.fromUserId === store.me.id && last.id < 0)) {
      el.scrollTop = el.scrollHeight;
    }
  }, [messages, last, store]);

  const onScroll = () => {
    const el = box.current;
    if (!el) return;
    atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
    if (el.scrollTop < 120) void loadOlder();
  };

  const byId = new Map(messages.map((m) => [m.id, m]));
  return (
    <div className="message-scroll" ref={box} onScroll={onScroll}>
      <div className="message-list" role="log" aria-label="Conversation" aria-live="polite">
        {timeline.loaded && timeline.hasMore && (
          <button type="button" className="btn btn-small btn-ghost load-older" onClick={() => void loadOlder()} disabled={loadingOlder}>
            {loadingOlder ? "Loading…" : "Load earlier"}
          </button>
        )}
        {error && <p className="error-note" role="alert">{error}</p>}
        {!timeline.loaded && <p className="muted center">Loading…</p>}
        {timeline.loaded && messages.length === 0 && (
          <p className="muted center empty-chat">No messages yet. Say hello!</p>
        )}
        {messages.map((message, index) => {
          const previous = messages[index - 1];
          const newDay = !previous || new Date(previous.createdAt).toDateString() !== new Date(message.createdAt).toDateString();
          const grouped =
            !newDay && previous !== undefined && previous.fromUserId === message.fromUserId && message.createdAt - previous.createdAt < GROUP_GAP_MS;
          return (
            <div key={message.localId && message.fromUserId === store.me.id ? `l-${message.localId}` : `m-${message.id}`}>
              {newDay && (
                <div className="day-separator">
                  <span>{dayLabel(message.createdAt)}</span>
                </div>
              )}
              <MessageItem
                message={message}
                sender={sender(message.fromUserId)}
                grouped={grouped}
                replyTo={message.replyId ? byId.get(message.replyId) ?? null : null}
                replySender={message.replyId && byId.get(message.replyId) ? sender(byId.get(message.replyId)!.fromUserId) : null}
                onReply={onReply}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
}
