// The Socket.IO event maps, shared by the server (src/realtime) and the web client.
import type { DeliveryDto } from "./deliveries.ts";
import type { InspectorRequestDto } from "./inspector.ts";
import type { MessageBody, MessageCountsDto, MessageDto } from "./messages.ts";
import type { Ack } from "./primitives.ts";
import type { RoomDto, RoomMemberDto } from "./rooms.ts";
import type { WebhookDto } from "./webhook-settings.ts";

export interface ServerToClientEvents {
  "message:new": (p: { message: MessageDto }) => void;
  "message:updated": (p: { message: MessageDto }) => void;
  "message:deleted": (p: { message: MessageDto }) => void;
  "message:counts": (p: MessageCountsDto) => void;
  /** The room's own fields changed (PATCH /api/rooms/:id); carries no member list. */
  "room:updated": (p: { room: RoomDto }) => void;
  /** Membership changes (extension): only the member that changed, to the room's members. */
  "member:added": (p: { roomId: number; member: RoomMemberDto }) => void;
  "member:updated": (p: { roomId: number; member: RoomMemberDto }) => void;
  "member:removed": (p: { roomId: number; userId: number }) => void;
  /** Sent to a user's sockets when they are added to a room (extension). */
  "room:joined": (p: { room: RoomDto }) => void;
  /** Sent to a user's sockets when they leave or are removed from a room (extension). */
  "room:left": (p: { roomId: number }) => void;
  typing: (p: { roomId: number; userId: number }) => void;
  "inspector:request": (p: { binId: string; request: InspectorRequestDto }) => void;
  /** A delivery of a webhook changed (extension, for the settings sidebar; room admins only). */
  "webhook:delivery": (p: { roomId: number; webhookId: number; delivery: DeliveryDto }) => void;
  /**
   * A webhook changed (extension, for the settings sidebar; room admins only): the whole webhook as
   * GET returns it, after an edit, a rotation, a change of its circuit or automatic disabling.
   */
  "webhook:updated": (p: { roomId: number; webhookId: number; webhook: WebhookDto }) => void;
}

export interface ClientToServerEvents {
  "message:send": (
    p: { roomId: number; type?: string; body: MessageBody; localId?: string; replyId?: number },
    ack?: Ack<{ message: MessageDto }>,
  ) => void;
  typing: (p: { roomId: number }) => void;
  "inspector:watch": (p: { binId: string }, ack?: Ack<{ ok: true }>) => void;
  "inspector:unwatch": (p: { binId: string }, ack?: Ack<{ ok: true }>) => void;
}
