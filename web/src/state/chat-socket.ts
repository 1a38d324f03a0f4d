// Turns Socket.IO events into chat-state changes, and handles losing and regaining the connection.
import { authApi } from "../api/chat.ts";
import { ApiError } from "../api/http.ts";
import { isResync, reduceConnection, retryDelay, type ConnectionEvent } from "../lib/connection.ts";
import { applyCounts } from "../lib/messages.ts";
import { applyChangedMessage, applyMemberChange, applyNewMessage, applyRoomFields, upsertRoom } from "../lib/rooms.ts";
import { noteTyping, stopTyping, TYPING_TTL_MS } from "../lib/typing.ts";
import type { ChatStore } from "./chat-store.ts";

export function wireSocket(store: ChatStore): () => void {
  const { socket } = store;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  const timers = new Set<ReturnType<typeof setTimeout>>();

  const connection = (event: ConnectionEvent) => {
    const previous = store.state.connection;
    const next = reduceConnection(previous, event);
    store.update({ connection: next });
    if (isResync(previous, next)) resync();
  };

  const resync = () => {
    void store.loadRooms();
    const roomId = store.state.activeRoomId;
    if (roomId !== null) {
      void store.loadNewest(roomId).catch(() => undefined);
      void store.loadDetails(roomId).catch(() => undefined);
    }
  };

  socket.on("connect", () => {
    connection({ type: "connect" });
    store.flushPending();
  });
  socket.on("disconnect", (reason) => connection({ type: "disconnect", reason }));
  socket.on("connect_error", (error) => {
    connection({ type: "connect_error", message: error.message, willRetry: socket.active });
    // Refused by the server (not a network error): Socket.IO stops retrying by itself.
    if (!socket.active) {
      authApi
        .me()
        .then(() => {
          clearTimeout(retryTimer);
          retryTimer = setTimeout(() => socket.connect(), retryDelay(store.state.connection.attempts));
        })
        .catch((e) => {
          // a 401 ends the session through onUnauthorized; anything else: try again later
          if (!(e instanceof ApiError && e.status === 401)) retryTimer = setTimeout(() => socket.connect(), 5000);
        });
    }
  });

  socket.on("message:new", ({ message }) => {
    const known = store.timeline(message.roomId).messages.some((m) => m.id === message.id);
    if (!store.state.rooms.some((r) => r.id === message.roomId)) void store.loadRooms();
    store.update((s) => ({
      rooms: applyNewMessage(s.rooms, message, { activeRoomId: s.activeRoomId, myUserId: store.me.id, isNew: !known }),
      typing: { ...s.typing, [message.roomId]: stopTyping(s.typing[message.roomId] ?? {}, message.fromUserId) },
    }));
    store.receiveMessages([message]);
    if (!known) store.receipts.receive([message], store.isVisible(message.roomId));
  });
  const changed = ({ message }: { message: Parameters<typeof applyChangedMessage>[1] }) => {
    store.update((s) => ({ rooms: applyChangedMessage(s.rooms, message) }));
    store.receiveMessages([message]);
  };
  socket.on("message:updated", changed);
  socket.on("message:deleted", changed);
  socket.on("message:counts", (counts) => {
    const roomId = counts.roomId ?? findRoomOf(store, counts.messageId);
    if (roomId !== undefined) store.setTimeline(roomId, (t) => ({ ...t, messages: applyCounts(t.messages, counts) }));
  });

  socket.on("room:updated", ({ room }) => {
    store.update((s) => {
      const details = s.details[room.id];
      return {
        rooms: upsertRoom(s.rooms, { ...room, members: undefined }),
        details: details ? { ...s.details, [room.id]: applyRoomFields(details, room) } : s.details,
      };
    });
  });
  // Membership events name the one member that changed: the open room's list is patched in place.
  const memberChange = (roomId: number, change: Parameters<typeof applyMemberChange>[1]) => {
    store.update((s) => {
      const details = s.details[roomId];
      return details ? { details: { ...s.details, [roomId]: applyMemberChange(details, change) } } : {};
    });
  };
  socket.on("member:added", ({ roomId, member }) => memberChange(roomId, { type: "added", member }));
  socket.on("member:updated", ({ roomId, member }) => {
    memberChange(roomId, { type: "updated", member });
    // My own role: the room list carries it too (promoted when the last admin left, or by an admin).
    if (member.userId === store.me.id) store.update((s) => ({ rooms: s.rooms.map((r) => (r.id === roomId ? { ...r, isAdmin: member.isAdmin } : r)) }));
  });
  socket.on("member:removed", ({ roomId, userId }) => memberChange(roomId, { type: "removed", userId }));
  socket.on("room:joined", ({ room }) => {
    store.update((s) => ({ rooms: upsertRoom(s.rooms, { ...room, members: undefined }) }));
    void store.loadRooms(); // for the fields only the list carries (isAdmin, unreadCount)
  });
  socket.on("room:left", ({ roomId }) => store.leftRoom(roomId, "You are no longer a member of that room."));

  socket.on("typing", ({ roomId, userId }) => {
    if (userId === store.me.id) return;
    store.update((s) => ({ typing: { ...s.typing, [roomId]: noteTyping(s.typing[roomId] ?? {}, userId, Date.now()) } }));
    // re-render once the entry has expired so the indicator disappears
    const timer = setTimeout(() => {
      timers.delete(timer);
      store.update((s) => ({ typing: { ...s.typing } }));
    }, TYPING_TTL_MS + 50);
    timers.add(timer);
  });

  const onVisible = () => {
    const roomId = store.state.activeRoomId;
    if (document.visibilityState === "visible" && roomId !== null) {
      store.receipts.receive(store.timeline(roomId).messages, true);
    }
  };
  const onOffline = () => connection({ type: "browser_offline" });
  const onOnline = () => {
    connection({ type: "browser_online" });
    if (!socket.connected) socket.connect();
  };
  document.addEventListener("visibilitychange", onVisible);
  window.addEventListener("offline", onOffline);
  window.addEventListener("online", onOnline);

  return () => {
    clearTimeout(retryTimer);
    timers.forEach(clearTimeout);
    socket.removeAllListeners();
    document.removeEventListener("visibilitychange", onVisible);
    window.removeEventListener("offline", onOffline);
    window.removeEventListener("online", onOnline);
  };
}

function findRoomOf(store: ChatStore, messageId: number): number | undefined {
  for (const [roomId, t] of Object.entries(store.state.timelines)) {
    if (t.messages.some((m) => m.id === messageId)) return Number(roomId);
  }
  return undefined;
}
