// One message: sender (bots marked), quoted reply, text, time, ticks, and its actions.
import { memo, useState } from "react";
import { errorMessage } from "../../lib/errors.ts";
import { clockTime, dateTime } from "../../lib/format.ts";
import { type ChatMessage } from "../../lib/messages.ts";
import { useStore } from "../../state/chat-context.tsx";
import { Avatar } from "../common/Avatar.tsx";
import { MessageEditor } from "./MessageEditor.tsx";
import { MessageText } from "./MessageText.tsx";
import { ReplyQuote } from "./ReplyQuote.tsx";
import { Ticks } from "./Ticks.tsx";
import type { Sender } from "./use-names.ts";

interface Props {
  message: ChatMessage;
  sender: Sender;
  grouped: boolean;
  replyTo: ChatMessage | null;
  replySender: Sender | null;
  onReply: (m: ChatMessage) => void;
}

export const MessageItem = memo(function MessageItem({ message, sender, grouped, replyTo, replySender, onReply }: Props) {
  const store = useStore();
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const mine = sender.isMe;
  const pending = message.id < 0;
  const edited = !message.deleted && message.modifiedAt - message.createdAt > 1000;

  const remove = async () => {
    setError(null);
    try {
      await store.remove(message);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <article
      id={message.id > 0 ? `message-${message.id}` : undefined}
      className={`message${mine ? " is-mine" : ""}${grouped ? " is-grouped" : ""}${message.deleted ? " is-deleted" : ""}${sender.isBot ? " is-bot" : ""}`}
      aria-labelledby={`message-${message.id}-meta`}
    >
      {!mine && (grouped ? <span className="avatar-spacer" /> : <Avatar name={sender.name} bot={sender.isBot} />)}
      <div className="message-main">
        <div className="message-meta" id={`message-${message.id}-meta`}>
          <span className={`message-sender${grouped ? " visually-hidden" : ""}`}>
            {sender.name}
            {sender.isBot && <span className="badge badge-bot">bot</span>}
          </span>
          <time className="message-time" dateTime={new Date(message.createdAt).toISOString()} title={dateTime(message.createdAt)}>
            {clockTime(message.createdAt)}
          </time>
        </div>
        <div className="message-row">
          <div className="bubble">
            {message.replyId && !message.deleted && <ReplyQuote replyId={message.replyId} replyTo={replyTo} sender={replySender} />}
            {editing ? (
              <MessageEditor message={message} onDone={() => setEditing(false)} />
            ) : message.deleted ? (
              <p className="message-text deleted-text">This message was deleted</p>
            ) : (
              <MessageText text={typeof message.body.text === "string" ? message.body.text : `[${message.type}]`} />
            )}
            <span className="message-foot">
              {edited && <span className="edited">edited</span>}
              {mine && !message.deleted && <Ticks message={message} />}
            </span>
          </div>
          {!pending && !message.deleted && !editing && (
            <div className="message-actions">
              <button type="button" className="btn-link" onClick={() => onReply(message)}>
                Reply
              </button>
              {mine && (
                <>
                  <button type="button" className="btn-link" onClick={() => setEditing(true)}>
                    Edit
                  </button>
                  <button type="button" className="btn-link danger" onClick={() => void remove()}>
                    Delete
                  </button>
                </>
              )}
            </div>
          )}
        </div>
        {message.sendState === "failed" && (
          <p className="send-failed" role="alert">
            Not sent{message.sendError ? `: ${message.sendError}` : "."}{" "}
            <button type="button" className="btn-link" onClick={() => store.retry(message)}>
              Retry
            </button>{" "}
            <button type="button" className="btn-link" onClick={() => store.discard(message)}>
              Discard
            </button>
          </p>
        )}
        {error && <p className="error-note" role="alert">{error}</p>}
      </div>
    </article>
  );
});
