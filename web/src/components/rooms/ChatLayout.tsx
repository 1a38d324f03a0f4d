// Rooms on the left, the open room on the right; on a phone one of the two at a time.
import { Icon } from "../common/Icon.tsx";
import { useEffect } from "react";
import { useChat, useStore } from "../../state/chat-context.tsx";
import { RoomList } from "./RoomList.tsx";
import { RoomView } from "../chat/RoomView.tsx";

export function ChatLayout({ roomId }: { roomId: number | null }) {
  const store = useStore();
  const notice = useChat((s) => s.notice);
  useEffect(() => {
    store.openRoom(roomId);
    return () => store.openRoom(null);
  }, [store, roomId]);
  return (
    <div className={`chat-layout ${roomId !== null ? "has-room" : "no-room"}`}>
      <RoomList activeRoomId={roomId} />
      {roomId !== null ? (
        <RoomView key={roomId} roomId={roomId} />
      ) : (
        <section className="empty-state" aria-label="No room open">
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <div className="empty-illustration">
            <Icon name="chat" size={40} />
          </div>
          <h2>Pick a room to start chatting</h2>
          <p>Or create one with the New room button and invite people.</p>
        </section>
      )}
    </div>
  );
}
