// The signed-in user's chat state: rooms, message timelines, members, typing and the live
// connection. Components read it through useChat(); pure merge rules live in lib/.
import { messagesApi, roomsApi, usersApi } from "../api/chat.ts";
import type { ErrorDto, MessageDto, RoomDto, UserDto } from "../api/types.ts";
import { initialConnection, type ConnectionState } from "../lib/connection.ts";
import { errorMessage } from "../lib/errors.ts";
import {
  addPending,
  createPending,
  emptyTimeline,
  mergeMessages,
  newLocalId,
  oldestId,
  removePending,
  setSendState,
  type ChatMessage,
  type Timeline,
} from "../lib/messages.ts";
import { markRead, removeRoom, sortRooms, upsertRoom } from "../lib/rooms.ts";
import type { TypingMap } from "../lib/typing.ts";
import { Receipts } from "./receipts.ts";
import { createSocket, type ChatSocket } from "./socket.ts";

export interface ChatState {
  connection: ConnectionState;
  rooms: RoomDto[];
  roomsStatus: "loading" | "ready" | "error";
  roomsError: string | null;
  timelines: Readonly<Record<number, Timeline>>;
  /** Rooms with their members, as fetched when opened. */
  details: Readonly<Record<number, RoomDto>>;
  /** Users who are not members (webhook bots, former members); null when unknown. */
  users: Readonly<Record<number, UserDto | null>>;
  typing: Readonly<Record<number, TypingMap>>;
  activeRoomId: number | null;
  /** A notice for the whole screen, e.g. "you were removed from a room". */
  notice: string | null;
}

const PAGE = 40;

export class ChatStore {
  state: ChatState = {
    connection: initialConnection,
    rooms: [],
    roomsStatus: "loading",
    roomsError: null,
    timelines: {},
    details: {},
    users: {},
    typing: {},
    activeRoomId: null,
    notice: null,
  };
  readonly socket: ChatSocket;
  readonly receipts: Receipts;
  private listeners = new Set<() => void>();
  private userLookups = new Set<number>();
  private unwire: () => void = () => undefined;

  constructor(
    readonly me: UserDto,
    token: string,
  ) {
    this.socket = createSocket(token);
    this.receipts = new Receipts(me.id);
  }

  /** `wire` turns the socket's events into state changes (chat-socket.ts); it returns its undo. */
  start(wire: (store: ChatStore) => () => void): void {
    this.unwire = wire(this);
    this.socket.connect();
    void this.loadRooms();
  }

  stop(): void {
    this.unwire();
    this.socket.disconnect();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(patch: Partial<ChatState> | ((s: ChatState) => Partial<ChatState>)): void {
    const changes = typeof patch === "function" ? patch(this.state) : patch;
    this.state = { ...this.state, ...changes };
    this.listeners.forEach((l) => l());
  }

  timeline(roomId: number): Timeline {
    return this.state.timelines[roomId] ?? emptyTimeline;
  }

  setTimeline(roomId: number, change: (t: Timeline) => Timeline): void {
    this.update((s) => ({ timelines: { ...s.timelines, [roomId]: change(s.timelines[roomId] ?? emptyTimeline) } }));
  }

  isVisible(roomId: number): boolean {
    return this.state.activeRoomId === roomId && document.visibilityState === "visible";
  }

  async loadRooms(): Promise<void> {
    try {
      const { rooms } = await roomsApi.list();
      this.update((s) => ({
        rooms: sortRooms(rooms.map((r) => (r.id === s.activeRoomId ? { ...r, unreadCount: 0 } : r))),
        roomsStatus: "ready",
        roomsError: null,
      }));
    } catch (error) {
      this.update({ roomsStatus: this.state.rooms.length ? "ready" : "error", roomsError: errorMessage(error) });
    }
  }

  async loadDetails(roomId: number): Promise<RoomDto> {
    const { room } = await roomsApi.get(roomId);
    this.update((s) => ({ details: { ...s.details, [roomId]: room }, rooms: upsertRoom(s.rooms, { ...room, members: undefined }) }));
    return room;
  }

  openRoom(roomId: number | null): void {
    this.update((s) => ({ activeRoomId: roomId, rooms: roomId === null ? s.rooms : markRead(s.rooms, roomId) }));
    if (roomId === null) return;
    void this.loadDetails(roomId).catch(() => undefined);
    if (!this.timeline(roomId).loaded) void this.loadNewest(roomId);
    else this.receipts.receive(this.timeline(roomId).messages, this.isVisible(roomId));
  }

  /** Loads (or reloads after a reconnect) the newest page and merges it in. */
  async loadNewest(roomId: number): Promise<void> {
    const { messages } = await messagesApi.page(roomId, null, PAGE);
    this.setTimeline(roomId, (t) => ({
      messages: mergeMessages(t.messages, messages),
      hasMore: t.loaded ? t.hasMore : messages.length === PAGE,
      loaded: true,
    }));
    this.receipts.receive([...messages].reverse(), this.isVisible(roomId));
  }

  async loadOlder(roomId: number): Promise<void> {
    const before = oldestId(this.timeline(roomId).messages);
    if (before === null) return this.loadNewest(roomId);
    const { messages } = await messagesApi.page(roomId, before, PAGE);
    this.setTimeline(roomId, (t) => ({ ...t, messages: mergeMessages(t.messages, messages), hasMore: messages.length === PAGE }));
  }

  isAdmin(roomId: number): boolean {
    const room = this.state.details[roomId];
    const member = room?.members?.find((m) => m.userId === this.me.id);
    return Boolean(member?.isAdmin ?? room?.isAdmin ?? this.state.rooms.find((r) => r.id === roomId)?.isAdmin);
  }

  send(roomId: number, text: string, replyId: number | null): void {
    const memberCount = this.state.details[roomId]?.members?.length ?? 1;
    const pending = createPending({
      roomId,
      fromUserId: this.me.id,
      text,
      localId: newLocalId(),
      replyId,
      totalUserCount: memberCount,
    });
    this.setTimeline(roomId, (t) => ({ ...t, messages: addPending(t.messages, pending) }));
    this.transmit(pending);
  }

  /** Sends a pending message; while offline it waits and is flushed on reconnect (same localId, so no duplicate). */
  transmit(message: ChatMessage): void {
    if (!this.socket.connected || !message.localId) return;
    const localId = message.localId;
    const payload = { roomId: message.roomId, type: "text", body: { text: message.body.text }, localId };
    // The event map's optional ack does not survive Socket.IO's timeout() typing, hence the narrow cast.
    const emitter = this.socket.timeout(10_000) as unknown as {
      emit: (event: "message:send", p: unknown, ack: (err: Error | null, res?: { message: MessageDto } | ErrorDto) => void) => void;
    };
    emitter.emit("message:send", message.replyId ? { ...payload, replyId: message.replyId } : payload, (err, res) => {
      if (err) return; // no answer in time: stays pending and is sent again on reconnect
      if (res && "error" in res) {
        this.setTimeline(message.roomId, (t) => ({ ...t, messages: setSendState(t.messages, localId, "failed", res.error.message) }));
        return;
      }
      if (res?.message) this.receiveMessages([res.message]);
    });
  }

  retry(message: ChatMessage): void {
    if (!message.localId) return;
    this.setTimeline(message.roomId, (t) => ({ ...t, messages: setSendState(t.messages, message.localId!, "sending") }));
    this.transmit({ ...message, sendState: "sending" });
  }

  discard(message: ChatMessage): void {
    if (message.localId) this.setTimeline(message.roomId, (t) => ({ ...t, messages: removePending(t.messages, message.localId!) }));
  }

  flushPending(): void {
    for (const t of Object.values(this.state.timelines)) {
      for (const m of t.messages) if (m.sendState === "sending") this.transmit(m);
    }
  }

  receiveMessages(messages: readonly MessageDto[]): void {
    const byRoom = new Map<number, MessageDto[]>();
    for (const m of messages) byRoom.set(m.roomId, [...(byRoom.get(m.roomId) ?? []), m]);
    for (const [roomId, list] of byRoom) {
      if (this.state.timelines[roomId]?.loaded) this.setTimeline(roomId, (t) => ({ ...t, messages: mergeMessages(t.messages, list) }));
    }
  }

  async edit(message: ChatMessage, text: string): Promise<void> {
    const { message: updated } = await messagesApi.edit(message.id, text);
    this.receiveMessages([updated]);
  }

  async remove(message: ChatMessage): Promise<void> {
    const { message: deleted } = await messagesApi.remove(message.id);
    this.receiveMessages([deleted]);
  }

  emitTyping(roomId: number): void {
    if (this.socket.connected) this.socket.emit("typing", { roomId });
  }

  leftRoom(roomId: number, notice: string | null): void {
    this.update((s) => {
      const details = { ...s.details };
      delete details[roomId];
      return { rooms: removeRoom(s.rooms, roomId), details, notice: s.activeRoomId === roomId ? notice : s.notice };
    });
  }

  /** Fetches a sender who is not a member (a webhook bot), once. */
  lookupUser(userId: number): void {
    if (this.userLookups.has(userId)) return;
    this.userLookups.add(userId);
    usersApi
      .get(userId)
      .then(({ user }) => this.update((s) => ({ users: { ...s.users, [userId]: user } })))
      .catch(() => this.update((s) => ({ users: { ...s.users, [userId]: null } })));
  }
}
