// The message list of one room: merging server messages with messages still being sent,
// de-duplicated by id and by the sender's localId, kept oldest first.
import type { MessageDto } from "../api/types.ts";

export type SendState = "sending" | "failed";

/** A message as the client holds it; a message not yet confirmed has a negative id. */
export interface ChatMessage extends MessageDto {
  sendState?: SendState;
  /** Why sending failed, in words. */
  sendError?: string;
}

export interface Timeline {
  messages: ChatMessage[];
  /** Whether older messages may exist on the server. */
  hasMore: boolean;
  loaded: boolean;
}

export const emptyTimeline: Timeline = Object.freeze({ messages: [], hasMore: true, loaded: false }) as Timeline;

let nextLocalNumber = 0;

export function newLocalId(): string {
  const random = globalThis.crypto?.randomUUID?.() ?? Math.random().toString(36).slice(2) + Date.now().toString(36);
  return `web-${random}`;
}

export function createPending(input: {
  roomId: number;
  fromUserId: number;
  text: string;
  localId: string;
  replyId: number | null;
  totalUserCount: number;
  now?: number;
}): ChatMessage {
  const now = input.now ?? Date.now();
  nextLocalNumber += 1;
  return {
    id: -nextLocalNumber,
    fromUserId: input.fromUserId,
    totalUserCount: input.totalUserCount,
    deliveredCount: 0,
    seenCount: 0,
    roomId: input.roomId,
    type: "text",
    body: { text: input.text },
    createdAt: now,
    modifiedAt: now,
    localId: input.localId,
    deleted: false,
    replyId: input.replyId,
    sendState: "sending",
  };
}

export function isPending(message: ChatMessage): boolean {
  return message.id < 0;
}

function merged(existing: ChatMessage, incoming: MessageDto): ChatMessage {
  const newer = incoming.modifiedAt >= existing.modifiedAt || (incoming.deleted && !existing.deleted);
  const base = newer ? incoming : existing;
  return {
    ...base,
    deleted: existing.deleted || incoming.deleted,
    deliveredCount: Math.max(existing.deliveredCount, incoming.deliveredCount),
    seenCount: Math.max(existing.seenCount, incoming.seenCount),
    sendState: undefined,
    sendError: undefined,
  };
}

function compare(a: ChatMessage, b: ChatMessage): number {
  const pa = isPending(a);
  const pb = isPending(b);
  if (pa !== pb) return pa ? 1 : -1;
  if (pa && pb) return a.createdAt - b.createdAt || b.id - a.id;
  return a.id - b.id;
}

/** Adds or updates server messages; a confirmed message replaces its pending copy. */
export function mergeMessages(list: readonly ChatMessage[], incoming: readonly MessageDto[]): ChatMessage[] {
  if (incoming.length === 0) return list as ChatMessage[];
  const byId = new Map<number, ChatMessage>();
  const pendingByLocal = new Map<string, ChatMessage>();
  for (const m of list) {
    if (isPending(m) && m.localId) pendingByLocal.set(`${m.fromUserId}:${m.localId}`, m);
    else byId.set(m.id, m);
  }
  for (const m of incoming) {
    if (m.localId) pendingByLocal.delete(`${m.fromUserId}:${m.localId}`);
    const existing = byId.get(m.id);
    byId.set(m.id, existing ? merged(existing, m) : { ...m });
  }
  return [...byId.values(), ...pendingByLocal.values()].sort(compare);
}

export function addPending(list: readonly ChatMessage[], pending: ChatMessage): ChatMessage[] {
  return [...list.filter((m) => !(isPending(m) && m.localId === pending.localId)), pending].sort(compare);
}

export function setSendState(list: readonly ChatMessage[], localId: string, state: SendState, error?: string): ChatMessage[] {
  return list.map((m) => (isPending(m) && m.localId === localId ? { ...m, sendState: state, sendError: error } : m));
}

export function removePending(list: readonly ChatMessage[], localId: string): ChatMessage[] {
  return list.filter((m) => !(isPending(m) && m.localId === localId));
}

/** Counts only grow: a late, stale event never lowers them. */
export function applyCounts(
  list: readonly ChatMessage[],
  counts: { messageId: number; deliveredCount: number; seenCount: number },
): ChatMessage[] {
  return list.map((m) =>
    m.id === counts.messageId
      ? {
          ...m,
          deliveredCount: Math.max(m.deliveredCount, counts.deliveredCount, counts.seenCount),
          seenCount: Math.max(m.seenCount, counts.seenCount),
        }
      : m,
  );
}

/** The id to pass as `before` to load older history, or null when nothing is loaded. */
export function oldestId(list: readonly ChatMessage[]): number | null {
  for (const m of list) if (!isPending(m)) return m.id;
  return null;
}

export function pendingMessages(list: readonly ChatMessage[]): ChatMessage[] {
  return list.filter(isPending);
}

export type Tick = "sending" | "failed" | "sent" | "delivered" | "seen";

/** Delivery ticks of one's own message; counts exclude the author. */
export function tickOf(message: ChatMessage): Tick {
  if (message.sendState) return message.sendState;
  const others = Math.max(0, message.totalUserCount - 1);
  if (others === 0) return "sent";
  if (message.seenCount >= others) return "seen";
  if (message.deliveredCount >= others) return "delivered";
  return "sent";
}
