// "Ann is typing…" under the conversation.
import { activeTypists, typingText } from "../../lib/typing.ts";
import { useChat } from "../../state/chat-context.tsx";
import { useSenders } from "./use-names.ts";

export function TypingIndicator({ roomId }: { roomId: number }) {
  const typing = useChat((s) => s.typing[roomId]);
  const sender = useSenders(roomId);
  const text = typing ? typingText(activeTypists(typing, Date.now()).map((id) => sender(id).name)) : null;
  return (
    <div className="typing-indicator" aria-live="polite">
      {text && (
        <>
          <span className="typing-dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {text}
        </>
      )}
    </div>
  );
}
