// One room in the list: avatar, name, last message, time and unread badge.
import type { RoomDto } from "../../api/types.ts";
import { shortTime } from "../../lib/format.ts";
import { previewText } from "../../lib/rooms.ts";
import { Avatar } from "../common/Avatar.tsx";
import { Link } from "../common/Link.tsx";

export function RoomListItem({ room, active }: { room: RoomDto; active: boolean }) {
  const unread = room.unreadCount ?? 0;
  const time = room.lastMessage?.createdAt;
  return (
    <li>
      <Link to={`/rooms/${room.id}`} className={`room-item${active ? " is-active" : ""}`} aria-current={active ? "page" : undefined}>
        <Avatar name={room.name} size={40} />
        <span className="room-item-text">
          <span className="room-item-top">
            <span className="room-item-name">{room.name}</span>
            {time !== undefined && <time className="room-item-time">{shortTime(time)}</time>}
          </span>
          <span className="room-item-bottom">
            <span className="room-item-preview">{previewText(room.lastMessage)}</span>
            {unread > 0 && !active && (
              <span className="badge badge-unread">
                {unread > 99 ? "99+" : unread}
                <span className="visually-hidden"> unread</span>
              </span>
            )}
          </span>
        </span>
      </Link>
    </li>
  );
}
