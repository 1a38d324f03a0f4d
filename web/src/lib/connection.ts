// The live connection's state as the interface shows it, driven by Socket.IO's events.
export type ConnectionStatus = "connecting" | "online" | "reconnecting" | "offline";

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed tries since the connection was last up. */
  attempts: number;
  /** Whether the connection has been up at least once (a later connect is a re-connect). */
  everConnected: boolean;
  lastError: string | null;
}

export type ConnectionEvent =
  | { type: "connect" }
  | { type: "disconnect"; reason: string }
  | { type: "connect_error"; message: string; willRetry: boolean }
  | { type: "browser_offline" }
  | { type: "browser_online" };

export const initialConnection: ConnectionState = {
  status: "connecting",
  attempts: 0,
  everConnected: false,
  lastError: null,
};

export function reduceConnection(state: ConnectionState, event: ConnectionEvent): ConnectionState {
  switch (event.type) {
    case "connect":
      return { status: "online", attempts: 0, everConnected: true, lastError: null };
    case "disconnect":
      // "io client disconnect" is our own logout/close: nothing to show.
      if (event.reason === "io client disconnect") return { ...state, status: "offline", lastError: null };
      return { ...state, status: state.everConnected ? "reconnecting" : "connecting" };
    case "connect_error":
      return {
        ...state,
        status: event.willRetry ? (state.everConnected ? "reconnecting" : "connecting") : "offline",
        attempts: state.attempts + 1,
        lastError: event.message,
      };
    case "browser_offline":
      return { ...state, status: "offline", lastError: "You are offline." };
    case "browser_online":
      return state.status === "online" ? state : { ...state, status: state.everConnected ? "reconnecting" : "connecting" };
  }
}

/** True when a connection came back after being lost: missed messages must be fetched. */
export function isResync(previous: ConnectionState, next: ConnectionState): boolean {
  return next.status === "online" && previous.status !== "online" && previous.everConnected;
}

/** The banner text, or null when everything is fine. */
export function connectionBanner(state: ConnectionState): string | null {
  if (state.status === "online") return null;
  if (state.status === "connecting") return state.attempts > 1 ? "Connecting to the server…" : null;
  if (state.status === "reconnecting") {
    return state.attempts > 0
      ? `Connection lost. Reconnecting (try ${state.attempts + 1})… Your messages will be sent when it is back.`
      : "Connection lost. Reconnecting…";
  }
  return state.lastError ? `Offline: ${state.lastError}` : "Offline.";
}

/** Milliseconds before the next manual retry after a refused connection (capped back-off). */
export function retryDelay(attempts: number): number {
  return Math.min(30_000, 1000 * 2 ** Math.min(attempts, 5));
}
