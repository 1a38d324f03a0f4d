// The domain events of the product, published after commit. Their payloads are the contract's
// DTOs (src/contracts), so neither features nor events know anything of Socket.IO.
import type { DeliveryDto, InspectorRequestDto, MessageCountsDto, MessageDto, RoomDto, RoomMemberDto, WebhookDto } from "../contracts/index.ts";
import { EventBus } from "./bus.ts";
import type { ClaimedDelivery } from "../webhooks/outgoing/outbox/outbox-sql.ts";
import type { Logger } from "../observability/logger.ts";

export interface DomainEvents {
  "message.created": { message: MessageDto; source: string };
  "message.updated": { message: MessageDto };
  "message.deleted": { message: MessageDto };
  "message.counts": MessageCountsDto;
  // Rooms travel without their member list; membership events name the one member that changed.
  "room.created": { room: RoomDto; members: { userId: number; isAdmin: boolean }[] };
  "room.updated": { room: RoomDto };
  "member.added": { room: RoomDto; member: RoomMemberDto };
  "member.updated": { roomId: number; member: RoomMemberDto };
  "member.removed": { roomId: number; userId: number };
  /** Outbox rows were committed for these webhooks: wakes the webhook dispatcher; `handed`: rows written leased to it. */
  "outbox.enqueued": { webhookIds: number[]; handed?: ClaimedDelivery[] };
  /** A webhook's settings changed (edited, disabled, deleted, rotated): the dispatcher re-reads it. */
  "webhook.changed": { webhookId: number };
  "webhook.delivery": { roomId: number; webhookId: number; delivery: DeliveryDto };
  /** A webhook as its room's admins see it, after a change: settings, its circuit, automatic disabling. */
  "webhook.updated": { roomId: number; webhook: WebhookDto };
  "inspector.request": { binId: string; request: InspectorRequestDto };
}

export type Events = EventBus<DomainEvents>;

export const createEventBus = (log: Logger): Events => new EventBus<DomainEvents>(log);
