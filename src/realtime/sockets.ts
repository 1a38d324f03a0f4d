// The typed Socket.IO server and socket of this app (types only, so any part of realtime/ can name
// them without importing the module that creates the server).
import type { Server, Socket } from "socket.io";
import type { ClientToServerEvents, ServerToClientEvents } from "../contracts/socket-events.ts";

export type SocketData = { userId: number; channels: string[] };
export type Io = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
