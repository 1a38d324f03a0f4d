// The room's side panel: members for everyone, webhooks for room admins.
import { Icon } from "../common/Icon.tsx";
import { SettingsPanel } from "../settings/SettingsPanel.tsx";
import { MembersPanel } from "./MembersPanel.tsx";

export type SidebarTab = "members" | "settings";

export function RoomSidebar({ roomId, tab, isAdmin, onClose }: { roomId: number; tab: SidebarTab; isAdmin: boolean; onClose: () => void }) {
  return (
    <aside className="room-sidebar" id={`room-panel-${roomId}`} role="tabpanel" aria-labelledby={`room-tab-${tab}`}>
      <div className="sidebar-head">
        <h2>{tab === "members" ? "Members" : "Webhooks"}</h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={onClose}>
          <Icon name="close" size={14} />
          Close panel
        </button>
      </div>
      <div className="sidebar-body">
        {tab === "members" ? <MembersPanel roomId={roomId} isAdmin={isAdmin} /> : <SettingsPanel roomId={roomId} />}
      </div>
    </aside>
  );
}
