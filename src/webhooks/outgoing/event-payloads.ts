// One builder per webhook event's `data` (the contract's WebhookEventData): every path that sends
// an event (the message hot path, edits and deletions, membership and room changes, the test
// ping) builds it here, so a receiver gets one shape per event whatever caused it. Key order is
// part of the wire bytes (receivers may hash or compare bodies): keep it as written.
import type { MessageDto } from "../../contracts/messages.ts";
import type { PayloadRoom, PayloadUser, WebhookEventData } from "../../contracts/webhook-payloads.ts";

type NamedRoom = { name: string; avatarFileId: number | null };
type ShownUser = { displayName: string; avatarFileId: number | null };
type Room = NamedRoom & { id: number };
type User = ShownUser & { id: number; username: string };

/** The room of membership and room events. */
const payloadRoom = (r: Room): PayloadRoom => ({ id: r.id, name: r.name, avatarFileId: r.avatarFileId });

/** A user of membership and room events (never more: no bot flag, no hash). */
const payloadUser = (u: User): PayloadUser => ({ id: u.id, username: u.username, displayName: u.displayName, avatarFileId: u.avatarFileId });

/** message.created, message.updated and message.deleted: Spika's `message`, `fromUser` and `room`. */
export function messageEventData(message: MessageDto, fromUser: ShownUser, room: NamedRoom): WebhookEventData["message.created"] {
  return {
    message,
    fromUser: { displayName: fromUser.displayName, avatarFileId: fromUser.avatarFileId },
    room: { name: room.name, avatarFileId: room.avatarFileId },
  };
}

/** member.added and member.removed: the member that changed, and who changed it. */
export function memberEventData(room: Room, user: User, byUser: User): WebhookEventData["member.added"] {
  return { room: payloadRoom(room), user: payloadUser(user), byUser: payloadUser(byUser) };
}

/** room.updated: the room as it is now, and who changed it. */
export function roomEventData(room: Room, byUser: User): WebhookEventData["room.updated"] {
  return { room: payloadRoom(room), byUser: payloadUser(byUser) };
}

/** webhook.ping: which webhook is being tested. */
export function pingEventData(webhook: { id: number; name: string }): WebhookEventData["webhook.ping"] {
  return { webhook: { id: webhook.id, name: webhook.name } };
}
