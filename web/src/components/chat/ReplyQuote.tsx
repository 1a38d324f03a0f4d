// The quoted message above a reply; activating it scrolls to the original.
import type { ChatMessage } from "../../lib/messages.ts";
import type { Sender } from "./use-names.ts";

export function ReplyQuote({ replyId, replyTo, sender }: { replyId: number; replyTo: ChatMessage | null; sender: Sender | null }) {
  return (
    <a
      className="reply-quote"
      href={`#message-${replyId}`}
      onClick={(e) => {
        e.preventDefault();
        document.getElementById(`message-${replyId}`)?.scrollIntoView({ behavior: "smooth", block: "center" });
      }}
    >
      <span className="reply-quote-name">{sender?.name ?? "Earlier message"}</span>
      <span className="reply-quote-text">{replyTo ? (replyTo.deleted ? "Message deleted" : replyTo.body.text) : "Scroll up to see it"}</span>
    </a>
  );
}
