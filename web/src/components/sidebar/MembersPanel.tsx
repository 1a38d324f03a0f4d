// Members of the room (admins marked); admins add, remove and promote; anyone can leave.
import { useState } from "react";
import { roomsApi } from "../../api/chat.ts";
import type { RoomMemberDto } from "../../api/types.ts";
import { errorMessage } from "../../lib/errors.ts";
import { navigate } from "../../lib/router.ts";
import { useChat, useStore } from "../../state/chat-context.tsx";
import { Avatar } from "../common/Avatar.tsx";
import { ErrorNote } from "../common/Field.tsx";
import { UserPicker } from "../common/UserPicker.tsx";

export function MembersPanel({ roomId, isAdmin }: { roomId: number; isAdmin: boolean }) {
  const store = useStore();
  const members = useChat((s) => s.details[roomId]?.members);
  const [error, setError] = useState<string | null>(null);
  const [confirmLeave, setConfirmLeave] = useState(false);

  const act = async (action: () => Promise<unknown>) => {
    setError(null);
    try {
      await action();
      await store.loadDetails(roomId);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const leave = async () => {
    try {
      await roomsApi.removeMember(roomId, store.me.id);
      store.leftRoom(roomId, null);
      navigate("/");
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  if (!members) return <p className="muted">Loading members…</p>;
  const sorted = [...members].sort((a, b) => Number(b.isAdmin) - Number(a.isAdmin) || a.displayName.localeCompare(b.displayName));
  return (
    <div className="members-panel">
      {isAdmin && (
        <UserPicker
          label="Find people to add"
          excludeIds={members.map((m) => m.userId)}
          onPick={(user) => void act(() => roomsApi.addMember(roomId, user.id))}
        />
      )}
      <ErrorNote message={error} />
      <ul className="member-list">
        {sorted.map((member) => (
          <MemberRow
            key={member.userId}
            member={member}
            isMe={member.userId === store.me.id}
            canManage={isAdmin && member.userId !== store.me.id}
            onToggleAdmin={() => void act(() => roomsApi.setAdmin(roomId, member.userId, !member.isAdmin))}
            onRemove={() => void act(() => roomsApi.removeMember(roomId, member.userId))}
          />
        ))}
      </ul>
      <div className="leave-room">
        {confirmLeave ? (
          <div className="confirm" role="group" aria-label="Leave this room?">
            <p>Leave this room? You will stop getting its messages.</p>
            <button type="button" className="btn btn-danger btn-small" onClick={() => void leave()}>
              Leave now
            </button>
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setConfirmLeave(false)}>
              Stay
            </button>
          </div>
        ) : (
          <button type="button" className="btn btn-ghost btn-small danger" onClick={() => setConfirmLeave(true)}>
            Leave room
          </button>
        )}
      </div>
    </div>
  );
}

interface RowProps {
  member: RoomMemberDto;
  isMe: boolean;
  canManage: boolean;
  onToggleAdmin: () => void;
  onRemove: () => void;
}

function MemberRow({ member, isMe, canManage, onToggleAdmin, onRemove }: RowProps) {
  return (
    <li className="member">
      <Avatar name={member.displayName} size={32} />
      <span className="member-text">
        <span className="member-name">
          {member.displayName}
          {isMe && <span className="muted"> (you)</span>}
        </span>
        {member.username && <span className="muted small">@{member.username}</span>}
      </span>
      {member.isAdmin && <span className="badge badge-admin">admin</span>}
      {canManage && (
        <span className="member-actions">
          <button type="button" className="btn-link" onClick={onToggleAdmin}>
            {member.isAdmin ? "Remove admin" : "Make admin"}
            <span className="visually-hidden"> ({member.displayName})</span>
          </button>
          <button type="button" className="btn-link danger" onClick={onRemove}>
            Remove<span className="visually-hidden"> {member.displayName}</span>
          </button>
        </span>
      )}
    </li>
  );
}
