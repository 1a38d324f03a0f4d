// Makes a bin the webhook of one of the rooms the user administers, in one click.
import { useEffect, useState } from "react";
import { webhooksApi } from "../../api/webhooks.ts";
import { errorMessage } from "../../lib/errors.ts";
import { useChat } from "../../state/chat-context.tsx";
import { Link } from "../common/Link.tsx";

export function UseAsWebhook({ url, onSecret }: { url: string; onSecret: (secret: string) => void }) {
  const rooms = useChat((s) => s.rooms);
  const adminRooms = rooms.filter((r) => r.isAdmin !== false);
  const [roomId, setRoomId] = useState<number | null>(adminRooms[0]?.id ?? null);
  const [result, setResult] = useState<{ ok: boolean; text: string; roomId?: number } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (roomId === null && adminRooms[0]) setRoomId(adminRooms[0].id);
  }, [roomId, adminRooms]);

  if (adminRooms.length === 0) {
    return <p className="muted small">Create a room to use this bin as its webhook.</p>;
  }
  const room = adminRooms.find((r) => r.id === roomId) ?? adminRooms[0]!;

  const use = async () => {
    setBusy(true);
    setResult(null);
    try {
      const { webhook } = await webhooksApi.create(room.id, { url, name: "Inspector bin" });
      onSecret(webhook.secret);
      setResult({ ok: true, text: `Now the webhook of “${room.name}”. Its secret is filled in below to check signatures.`, roomId: room.id });
    } catch (e) {
      setResult({ ok: false, text: errorMessage(e) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="use-as-webhook">
      <label htmlFor="use-room">Room</label>
      <select id="use-room" value={room.id} onChange={(e) => setRoomId(Number(e.target.value))}>
        {adminRooms.map((r) => (
          <option key={r.id} value={r.id}>
            {r.name}
          </option>
        ))}
      </select>
      <button type="button" className="btn btn-small btn-primary" onClick={() => void use()} disabled={busy}>
        Use as webhook of {room.name}
      </button>
      {result && (
        <p className={`small ${result.ok ? "ok-text" : "field-error"}`} role="status">
          {result.text}
          {result.roomId && (
            <>
              {" "}
              <Link to={`/rooms/${result.roomId}`}>Open the room</Link>
            </>
          )}
        </p>
      )}
    </div>
  );
}
