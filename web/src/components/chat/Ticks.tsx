// Delivery state of one's own message: sending, sent, delivered, seen, or not sent.
import { Icon } from "../common/Icon.tsx";
import { tickOf, type ChatMessage } from "../../lib/messages.ts";

const LABELS = {
  sending: "Sending",
  failed: "Not sent",
  sent: "Sent",
  delivered: "Delivered",
  seen: "Seen",
} as const;

export function Ticks({ message }: { message: ChatMessage }) {
  const tick = tickOf(message);
  const others = Math.max(0, message.totalUserCount - 1);
  const title =
    tick === "sent" || tick === "delivered"
      ? `${LABELS[tick]} · seen by ${message.seenCount} of ${others}`
      : LABELS[tick];
  const glyph =
    tick === "sending" ? <Icon name="clock" size={12} /> : tick === "failed" ? "!" : tick === "sent" ? "✓" : "✓✓";
  return (
    <span className={`ticks tick-${tick}`} title={title}>
      <span aria-hidden="true">{glyph}</span>
      <span className="visually-hidden">{LABELS[tick]}</span>
    </span>
  );
}
