// The domain events of the product, published after commit.
import type { MessageDto, RoomDto, RoomMemberDto, UserDto, InspectorRequestDto } from "../realtime/events.ts";
import { EventBus } from "./bus.ts";
import type { ClaimedDelivery } from "../webhooks/outgoing/outbox/outbox-sql.ts";
import type { DeliveryDto } from "../webhooks/outgoing/deliveries.presenter.ts";
import type { WebhookDto } from "../webhooks/outgoing/webhooks.presenter.ts";
import type { Logger } from "../observability/logger.ts";

export interface DomainEvents {
  "message.created": { message: MessageDto; source: string };
  "message.updated": { message: MessageDto };
  "message.deleted": { message: MessageDto };
  "message.counts": { roomId: number; messageId: number; deliveredCount: number; seenCount: number };
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

export type { UserDto };
