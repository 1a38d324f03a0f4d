// The domain events of the product, published after commit.
import type { MessageDto, RoomDto, UserDto, InspectorRequestDto } from "../realtime/events.ts";
import { EventBus } from "./bus.ts";
import type { DeliveryDto } from "../webhooks/outgoing/deliveries.presenter.ts";
import type { Logger } from "../observability/logger.ts";

export interface DomainEvents {
  "message.created": { message: MessageDto; source: string };
  "message.updated": { message: MessageDto };
  "message.deleted": { message: MessageDto };
  "message.counts": { roomId: number; messageId: number; deliveredCount: number; seenCount: number };
  "room.created": { room: RoomDto; memberIds: number[] };
  "room.updated": { room: RoomDto };
  "member.added": { room: RoomDto; userId: number; isAdmin: boolean };
  "member.updated": { room: RoomDto; userId: number; isAdmin: boolean };
  "member.removed": { room: RoomDto; userId: number };
  /** Outbox rows were committed for these webhooks: wakes the webhook dispatcher. */
  "outbox.enqueued": { webhookIds: number[] };
  /** A webhook's settings changed (edited, disabled, deleted, rotated): the dispatcher re-reads it. */
  "webhook.changed": { webhookId: number };
  "webhook.delivery": { roomId: number; webhookId: number; delivery: DeliveryDto };
  "inspector.request": { binId: string; request: InspectorRequestDto };
}

export type Events = EventBus<DomainEvents>;

export const createEventBus = (log: Logger): Events => new EventBus<DomainEvents>(log);

export type { UserDto };
