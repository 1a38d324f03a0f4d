// The room's name and member count, a way back to the list on phones, and the sidebar tabs.
import { Icon } from "../common/Icon.tsx";
import type { RoomDto } from "../../api/types.ts";
import { Avatar } from "../common/Avatar.tsx";
import { Link } from "../common/Link.tsx";
import type { SidebarTab } from "../sidebar/RoomSidebar.tsx";

interface Props {
  roomId: number;
  room: RoomDto | undefined;
  tab: SidebarTab | null;
  isAdmin: boolean;
  onTab: (tab: SidebarTab) => void;
}

export function RoomHeader({ roomId, room, tab, isAdmin, onTab }: Props) {
  const count = room?.members?.length;
  const tabButton = (value: SidebarTab, label: string) => (
    <button
      type="button"
      role="tab"
      id={`room-tab-${value}`}
      aria-selected={tab === value}
      aria-controls={tab === value ? `room-panel-${roomId}` : undefined}
      className={`room-tab${tab === value ? " is-active" : ""}`}
      onClick={() => onTab(value)}
    >
      {label}
    </button>
  );
  return (
    <header className="room-header">
      <Link to="/" className="back-link">
        <Icon name="back" size={22} />
        <span className="visually-hidden">Back to rooms</span>
      </Link>
      <Avatar name={room?.name ?? "?"} size={36} />
      <div className="room-title">
        <h2>{room?.name ?? "Loading…"}</h2>
        <p className="muted">{count !== undefined ? `${count} ${count === 1 ? "member" : "members"}` : "\u00a0"}</p>
      </div>
      <div className="room-tabs" role="tablist" aria-label="Room panels">
        {tabButton("members", "Members")}
        {isAdmin && tabButton("settings", "Settings")}
      </div>
    </header>
  );
}
