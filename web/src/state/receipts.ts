// Tells the server which messages this user has received and seen, once each.
import { messagesApi } from "../api/chat.ts";
import type { MessageDto } from "../api/types.ts";
import { readJsonItem, writeJsonItem } from "../lib/session-storage.ts";

const KEY = "hookroom.seenUpTo";

export class Receipts {
  private seenUpTo: Record<string, number>;
  private delivered = new Set<number>();

  constructor(private readonly myUserId: number) {
    this.seenUpTo = readJsonItem<Record<string, number>>(`${KEY}.${myUserId}`, {});
  }

  /** Marks others' messages delivered (room not open) or seen (room open and visible). */
  receive(messages: readonly MessageDto[], seen: boolean): void {
    const others = messages.filter((m) => m.fromUserId !== this.myUserId && m.id > 0 && !m.deleted);
    if (others.length === 0) return;
    if (seen) {
      this.markSeen(others);
      return;
    }
    for (const m of others) {
      if (this.delivered.has(m.id)) continue;
      this.delivered.add(m.id);
      messagesApi.delivered(m.id).catch(() => undefined);
    }
  }

  private markSeen(messages: readonly MessageDto[]): void {
    const roomId = messages[0]!.roomId;
    const upTo = this.seenUpTo[roomId] ?? 0;
    // Messages up to `upTo` were marked in an earlier visit.
    const fresh = messages.filter((m) => m.id > upTo);
    if (fresh.length === 0) return;
    // One call marks the whole room seen, however many messages were unread (not just this page).
    messagesApi.roomSeen(roomId).catch(() => undefined);
    this.seenUpTo = { ...this.seenUpTo, [roomId]: Math.max(upTo, ...fresh.map((m) => m.id)) };
    writeJsonItem(`${KEY}.${this.myUserId}`, this.seenUpTo);
  }
}
