// The only code that touches Socket.IO: authentication on connect, room joins that follow
// membership, client events, and the domain events turned into socket messages.
import type { Server as HttpServer } from "node:http";
import { Server, type Socket } from "socket.io";
import type { AppContext } from "../app-context.ts";
import type { ClientToServerEvents, ServerToClientEvents } from "./events.ts";
import { registerClientHandlers } from "./client-handlers.ts";
import { subscribeDomainEvents } from "./domain-to-socket.ts";

export type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { userId: number }>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, { userId: number }>;

export const roomChannel = (roomId: number) => `room:${roomId}`;
export const userChannel = (userId: number) => `user:${userId}`;

export function createRealtime(ctx: AppContext, httpServer: HttpServer): Io {
  const io: Io = new Server(httpServer, { path: "/socket.io", serveClient: false, maxHttpBufferSize: 1 << 20 });

  io.use(async (socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
    const userId = typeof token === "string" ? await ctx.authenticate(token).catch(() => undefined) : undefined;
    if (userId === undefined) return next(new Error("unauthorized"));
    socket.data.userId = userId;
    next();
  });

  io.on("connection", async (socket: AppSocket) => {
    ctx.metrics.connectedSockets.inc();
    socket.on("disconnect", () => ctx.metrics.connectedSockets.dec());
    const userId = socket.data.userId;
    // Handlers first, so events sent right after connect are not lost while the joins load.
    registerClientHandlers(ctx, io, socket);
    const memberships = await ctx.db.roomMember.findMany({ where: { userId }, select: { roomId: true } });
    socket.join([userChannel(userId), ...memberships.map((m) => roomChannel(m.roomId))]);
  });

  subscribeDomainEvents(ctx, io);
  return io;
}
