// Subscribes a component to one Socket.IO event for as long as it is mounted.
import { useEffect, useRef } from "react";
import type { ServerToClientEvents } from "../api/types.ts";
import { useStore } from "./chat-context.tsx";

export function useSocketEvent<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): void {
  const { socket } = useStore();
  const latest = useRef(handler);
  latest.current = handler;
  useEffect(() => {
    const listener = ((...args: Parameters<ServerToClientEvents[E]>) =>
      (latest.current as (...a: unknown[]) => void)(...args)) as unknown as ServerToClientEvents[E];
    // Socket.IO's typed `on` cannot follow a generic event name, hence the casts.
    (socket.on as (e: string, l: unknown) => void)(event, listener);
    return () => {
      (socket.off as (e: string, l: unknown) => void)(event, listener);
    };
  }, [socket, event]);
}

/** Runs `callback` each time the socket (re)connects, e.g. to watch an inspector bin again. */
export function useOnConnect(callback: () => void): void {
  const { socket } = useStore();
  const latest = useRef(callback);
  latest.current = callback;
  useEffect(() => {
    const listener = () => latest.current();
    socket.on("connect", listener);
    if (socket.connected) listener();
    return () => {
      socket.off("connect", listener);
    };
  }, [socket]);
}
