// The only code that touches Socket.IO: authentication on connect, room joins that follow
// membership, client events, and the domain events turned into socket messages.
import type { Server as HttpServer } from "node:http";
import { Server } from "socket.io";
import type { AppContext } from "../app-context.ts";
import { adminChannel, roomChannel, userChannel } from "./channels.ts";
import { createClientRateLimits, registerClientHandlers } from "./client-handlers.ts";
import { subscribeDomainEvents } from "./domain-to-socket.ts";
import type { RedisAdapter } from "./redis-adapter.ts";
import { AppError, unauthorized } from "../http/errors.ts";
import type { AppSocket, Io } from "./sockets.ts";

/** `redis`: the Redis streams adapter, when several processes share the fan-out (REDIS_URL). */
export function createRealtime(ctx: AppContext, httpServer: HttpServer, redis?: RedisAdapter): { io: Io; close(): Promise<void> } {
  const io: Io = new Server(httpServer, {
    path: "/socket.io",
    serveClient: false,
    maxHttpBufferSize: 1 << 20,
    ...(redis ? { adapter: redis.adapter } : {}),
  });

  // Socket.IO ignores a middleware's promise: every failure is caught here and refuses the socket
  // (the client tries again later) instead of becoming an unhandled rejection.
  io.use((socket, next) => {
    admitSocket(ctx, socket).then(
      () => next(),
      (err: unknown) => {
        if (err instanceof AppError) return next(new Error(err.code));
        ctx.log.error({ err }, "socket handshake failed");
        next(Object.assign(new Error("unavailable"), { data: { code: "internal", message: "The server could not accept the connection; try again later" } }));
      },
    );
  });

  // The upgrade request (its headers, its socket) would be held for the life of each connection;
  // nothing here reads it after the handshake (auth comes in the handshake's payload).
  io.engine.on("connection", (raw: { request: unknown }) => {
    raw.request = null;
  });

  const limits = createClientRateLimits(ctx);
  io.on("connection", (socket: AppSocket) => {
    ctx.metrics.connectedSockets.inc();
    socket.on("disconnect", () => ctx.metrics.connectedSockets.dec());
    socket.join(socket.data.channels);
    registerClientHandlers(ctx, limits, socket);
  });

  subscribeDomainEvents(ctx, io);
  return {
    io,
    // io.close() also closes the HTTP server: it stops accepting and waits for in-flight requests.
    close: async () => {
      await new Promise<void>((resolve) => io.close(() => resolve()));
      await redis?.close();
    },
  };
}

/** Authenticates the handshake and loads the joins before "connect" reaches the client, so nothing sent after it is missed. */
async function admitSocket(ctx: AppContext, socket: AppSocket): Promise<void> {
  const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
  const userId = typeof token === "string" ? await ctx.authenticate(token) : undefined;
  if (userId === undefined) throw unauthorized();
  const memberships = await ctx.db.roomMember.findMany({ where: { userId }, select: { roomId: true, isAdmin: true } });
  socket.data.userId = userId;
  socket.data.channels = [
    userChannel(userId),
    ...memberships.map((m) => roomChannel(m.roomId)),
    ...memberships.filter((m) => m.isAdmin).map((m) => adminChannel(m.roomId)),
  ];
}
