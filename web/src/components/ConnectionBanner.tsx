// Says when the live connection is lost and being restored.
import { connectionBanner } from "../lib/connection.ts";
import { useChat } from "../state/chat-context.tsx";

export function ConnectionBanner() {
  const connection = useChat((s) => s.connection);
  const text = connectionBanner(connection);
  return (
    <div className={`connection-banner${text ? " is-visible" : ""}`} role="status" aria-live="polite">
      {text}
    </div>
  );
}
