// Creates the typed Socket.IO connection to the same origin, authenticated by the session token.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../api/types.ts";

export type ChatSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function createSocket(token: string): ChatSocket {
  return io({
    path: "/socket.io",
    auth: { token },
    autoConnect: false,
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
}
