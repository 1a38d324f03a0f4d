// An open room: header with the sidebar tabs, the conversation, and the sidebar.
import { useState } from "react";
import { useChat, useStore } from "../../state/chat-context.tsx";
import { RoomSidebar, type SidebarTab } from "../sidebar/RoomSidebar.tsx";
import { ChatPane } from "./ChatPane.tsx";
import { RoomHeader } from "./RoomHeader.tsx";

const WIDE = "(min-width: 1200px)";

export function RoomView({ roomId }: { roomId: number }) {
  const store = useStore();
  const room = useChat((s) => s.details[roomId] ?? s.rooms.find((r) => r.id === roomId));
  useChat((s) => s.details[roomId]); // re-render when members (and so admin rights) change
  const [tab, setTab] = useState<SidebarTab | null>(() => (window.matchMedia?.(WIDE).matches ? "members" : null));
  const isAdmin = store.isAdmin(roomId);
  const current = tab === "settings" && !isAdmin ? "members" : tab;

  return (
    <section className={`room-view${current ? " has-sidebar" : ""}`}>
      <RoomHeader roomId={roomId} room={room} tab={current} isAdmin={isAdmin} onTab={setTab} />
      <div className="room-body">
        <ChatPane roomId={roomId} />
        {current && <RoomSidebar roomId={roomId} tab={current} isAdmin={isAdmin} onClose={() => setTab(null)} />}
      </div>
    </section>
  );
}
