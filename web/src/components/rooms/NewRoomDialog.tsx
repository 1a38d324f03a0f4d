// Creates a room: a name and the people to add, picked by searching.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { roomsApi } from "../../api/chat.ts";
import type { UserDto } from "../../api/types.ts";
import { errorMessage, fieldErrors } from "../../lib/errors.ts";
import { navigate } from "../../lib/router.ts";
import { upsertRoom } from "../../lib/rooms.ts";
import { useStore } from "../../state/chat-context.tsx";
import { Field, FormActions } from "../common/Field.tsx";
import { UserPicker } from "../common/UserPicker.tsx";

export function NewRoomDialog({ onClose }: { onClose: () => void }) {
  const store = useStore();
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState("");
  const [members, setMembers] = useState<UserDto[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});

  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setFields({ name: "Give the room a name." });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const { room } = await roomsApi.create({ name: name.trim(), memberIds: members.map((m) => m.id) });
      store.update((s) => ({ rooms: upsertRoom(s.rooms, { ...room, isAdmin: true, members: undefined }) }));
      onClose();
      navigate(`/rooms/${room.id}`);
    } catch (e) {
      setError(errorMessage(e));
      setFields(fieldErrors(e));
      setBusy(false);
    }
  }

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="new-room-title" onClose={onClose} onCancel={onClose}>
      <form className="form" onSubmit={submit} noValidate>
        <h2 id="new-room-title">New room</h2>
        <Field label="Room name" error={fields.name}>
          {(p) => <input {...p} value={name} onChange={(e) => setName(e.target.value)} maxLength={100} autoFocus />}
        </Field>
        <UserPicker
          label="Add members"
          excludeIds={[store.me.id, ...members.map((m) => m.id)]}
          onPick={(user) => setMembers((list) => [...list, user])}
        />
        {members.length > 0 && (
          <ul className="chips" aria-label="People to add">
            {members.map((m) => (
              <li key={m.id} className="chip">
                {m.displayName}
                <button
                  type="button"
                  className="chip-remove"
                  aria-label={`Remove ${m.displayName}`}
                  onClick={() => setMembers((list) => list.filter((u) => u.id !== m.id))}
                >
                  ×
                </button>
              </li>
            ))}
          </ul>
        )}
        <FormActions error={error} onCancel={onClose} busy={busy} submitLabel="Create" />
      </form>
    </dialog>
  );
}
