// The conversation column: messages, who is typing, and the composer.
import { useState } from "react";
import type { ChatMessage } from "../../lib/messages.ts";
import { Composer } from "./Composer.tsx";
import { MessageList } from "./MessageList.tsx";
import { TypingIndicator } from "./TypingIndicator.tsx";

export function ChatPane({ roomId }: { roomId: number }) {
  const [replyTo, setReplyTo] = useState<ChatMessage | null>(null);
  return (
    <div className="chat-pane">
      <MessageList roomId={roomId} onReply={setReplyTo} />
      <TypingIndicator roomId={roomId} />
      <Composer roomId={roomId} replyTo={replyTo} onCancelReply={() => setReplyTo(null)} />
    </div>
  );
}
