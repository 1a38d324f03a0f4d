// Makes the ChatStore of the signed-in user available to components, and selects from it.
import { createContext, useContext, useEffect, useState, useSyncExternalStore, type ReactNode } from "react";
import type { UserDto } from "../api/types.ts";
import { wireSocket } from "./chat-socket.ts";
import { ChatStore, type ChatState } from "./chat-store.ts";

const StoreContext = createContext<ChatStore | null>(null);

export function ChatProvider({ user, token, children }: { user: UserDto; token: string; children: ReactNode }) {
  const [store] = useState(() => new ChatStore(user, token));
  useEffect(() => {
    store.start(wireSocket);
    return () => store.stop();
  }, [store]);
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

export function useStore(): ChatStore {
  const store = useContext(StoreContext);
  if (!store) throw new Error("useStore outside ChatProvider");
  return store;
}

/** Re-renders when the selected part changes; the selector must return stored values, not new objects. */
export function useChat<T>(select: (state: ChatState) => T): T {
  const store = useStore();
  return useSyncExternalStore(store.subscribe, () => select(store.state));
}
