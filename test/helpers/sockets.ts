// Socket.IO clients for tests, and a way to wait for an event.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../src/contracts/socket-events.ts";

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectSocket(baseUrl: string, token: string | undefined): Promise<TestSocket> {
  const socket: TestSocket = io(baseUrl, { auth: token ? { token } : {}, transports: ["websocket"], reconnection: false, forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once("connect", () => resolve(socket));
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

/** Collects every payload of one event, so a test can wait for the n-th one or check none came. */
export function collect<E extends keyof ServerToClientEvents>(socket: TestSocket, event: E) {
  const items: Parameters<ServerToClientEvents[E]>[0][] = [];
  socket.on(event as any, (p: any) => items.push(p));
  return {
    items,
    async waitFor(count = 1, timeoutMs = 10_000) {
      const start = Date.now();
      while (items.length < count) {
        if (Date.now() - start > timeoutMs) throw new Error(`got ${items.length} of ${count} ${String(event)} events`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return items;
    },
  };
}

export function emitWithAck<T = any>(socket: TestSocket, event: keyof ClientToServerEvents, payload: unknown): Promise<T> {
  return new Promise((resolve) => (socket.emit as any)(event, payload, resolve));
}
