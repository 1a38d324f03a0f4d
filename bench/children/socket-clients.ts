// Socket.IO clients for the fan-out figure, in a process of their own so that their CPU does not
// delay the measuring process: each socket (websocket transport, one user each) notes when every
// `message:new` arrived, and the createdAt the message carries.
import { setTimeout as sleep } from "node:timers/promises";
import { io, type Socket } from "socket.io-client";
import { serve } from "../lib/child.ts";

interface Seen {
  socket: Socket;
  /** message id -> [createdAt, arrival] of its first arrival on this socket */
  got: Map<number, [number, number]>;
  duplicates: number;
  disconnects: number;
}

const sockets: Seen[] = [];

function connectOne(url: string, token: string): Promise<void> {
  const socket = io(url, { auth: { token }, transports: ["websocket"], reconnection: false, forceNew: true, timeout: 60_000 });
  const seen: Seen = { socket, got: new Map(), duplicates: 0, disconnects: 0 };
  socket.on("message:new", (p: { message: { id: number; createdAt: number } }) => {
    const at = Date.now();
    if (seen.got.has(p.message.id)) seen.duplicates++;
    else seen.got.set(p.message.id, [p.message.createdAt, at]);
  });
  socket.on("disconnect", () => seen.disconnects++);
  return new Promise((resolve, reject) => {
    socket.once("connect", () => {
      sockets.push(seen);
      resolve();
    });
    socket.once("connect_error", (err) => {
      socket.close();
      reject(err);
    });
  });
}

serve({
  /** Connects one socket per token, `parallel` at a time; the i-th goes to urls[i % urls.length]. */
  async connect(args: { urls: string[]; tokens: string[]; parallel: number }) {
    const t0 = Date.now();
    let next = 0;
    const errors: string[] = [];
    await Promise.all(
      Array.from({ length: args.parallel }, async () => {
        while (next < args.tokens.length) {
          const i = next++;
          await connectOne(args.urls[i % args.urls.length]!, args.tokens[i]!).catch((e: Error) => errors.push(e.message));
        }
      }),
    );
    return { connected: sockets.length, failed: errors.length, firstError: errors[0], ms: Date.now() - t0 };
  },
  /** Received so far of these message ids, over all sockets. */
  progress(ids: number[]) {
    let received = 0;
    for (const s of sockets) for (const id of ids) if (s.got.has(id)) received++;
    return received;
  },
  /** For these message ids: what each socket missed, and createdAt -> arrival of what it got. */
  report(ids: number[]) {
    const latencies: number[] = [];
    let missing = 0;
    let socketsMissing = 0;
    let duplicates = 0;
    let disconnects = 0;
    for (const s of sockets) {
      let missed = 0;
      for (const id of ids) {
        const g = s.got.get(id);
        if (g) latencies.push(g[1] - g[0]);
        else missed++;
      }
      missing += missed;
      if (missed) socketsMissing++;
      duplicates += s.duplicates;
      disconnects += s.disconnects;
    }
    return { sockets: sockets.length, missing, socketsMissing, duplicates, disconnects, latencies };
  },
  async close() {
    for (const s of sockets) s.socket.close();
    sockets.length = 0;
    await sleep(100);
  },
});
