// The user's rooms with last message and unread count, and the New room button.
import { Icon } from "../common/Icon.tsx";
import { useState } from "react";
import { useChat, useStore } from "../../state/chat-context.tsx";
import { NewRoomDialog } from "./NewRoomDialog.tsx";
import { RoomListItem } from "./RoomListItem.tsx";

export function RoomList({ activeRoomId }: { activeRoomId: number | null }) {
  const store = useStore();
  const rooms = useChat((s) => s.rooms);
  const status = useChat((s) => s.roomsStatus);
  const error = useChat((s) => s.roomsError);
  const [creating, setCreating] = useState(false);
  return (
    <aside className="room-list" aria-label="Rooms">
      <div className="room-list-head">
        <h2>Rooms</h2>
        <button type="button" className="btn btn-primary btn-small" onClick={() => setCreating(true)}>
          <Icon name="plus" size={14} />
          New room
        </button>
      </div>
      {status === "loading" && <p className="muted pad">Loading rooms…</p>}
      {status === "error" && (
        <div className="pad">
          <p className="error-note" role="alert">
            {error}
          </p>
          <button type="button" className="btn btn-small" onClick={() => void store.loadRooms()}>
            Try again
          </button>
        </div>
      )}
      {status === "ready" && rooms.length === 0 && (
        <p className="muted pad">No rooms yet. Create one and add people to talk with.</p>
      )}
      <ul className="room-items">
        {rooms.map((room) => (
          <RoomListItem key={room.id} room={room} active={room.id === activeRoomId} />
        ))}
      </ul>
      {creating && <NewRoomDialog onClose={() => setCreating(false)} />}
    </aside>
  );
}
