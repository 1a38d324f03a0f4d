// The messages between the API thread and the dispatcher's thread. The API thread tells it what
// changed (new outbox rows, a webhook's settings); the dispatcher reports what happened (deliveries
// for the live log, metrics, replies and notices to post, which the API thread owns).
import type { Config } from "../../../config.ts";
import type { SharedDatabase } from "../../../db/client.ts";
import type { ClaimedDelivery } from "../outbox/outbox-sql.ts";
import type { DeliveryDto } from "../deliveries.presenter.ts";

export interface DispatcherThreadData {
  config: Config;
  database: SharedDatabase;
  /** Identifies this thread as the holder of the SQLite write mutex. */
  mutexHolderId: number;
  /** This server's base URL (its own inspector bins are always delivered). */
  publicUrl: string;
  /** The thread's name on the leases it holds (the API thread writes it on handed deliveries). */
  owner: string;
}

export type ToDispatcher =
  /** Outbox rows were committed for these webhooks. */
  | { type: "wake"; webhookIds: number[] }
  /** Deliveries committed already leased to this thread (SQLite's message path): no claim needed. */
  | { type: "handoff"; deliveries: ClaimedDelivery[] }
  /** A webhook's settings changed (disabled, deleted, rotated, edited): re-read it before the next send. */
  | { type: "webhook-changed"; webhookId: number }
  | { type: "stop" };

export interface DispatchCounts {
  attempts: { success: number; failure: number; timeout: number };
  deliveries: { succeeded: number; dead: number };
  /** Seconds, one per attempt. */
  attemptDurations: number[];
  /** Seconds from event to success, one per succeeded delivery. */
  deliveryLatencies: number[];
  queueDepth?: number;
  /** Live webhooks whose circuit is not closed. */
  circuitsOpen?: number;
}

export interface DeliveryNotice {
  roomId: number;
  webhookId: number;
  delivery: DeliveryDto;
}

export type FromDispatcher =
  | { type: "ready" }
  | { type: "deliveries"; items: DeliveryNotice[] }
  /** These webhooks changed (their circuit opened or closed, or they were disabled): tell their admins. */
  | { type: "webhooks"; items: { roomId: number; webhookId: number }[] }
  | { type: "counts"; counts: DispatchCounts }
  /** A 2xx `{"text"}` answer to post in the room as the webhook's bot (reply-back). */
  | { type: "reply"; roomId: number; webhookId: number; botUserId: number; text: string }
  /** The webhook was disabled automatically: post the notice in the room. */
  | { type: "disabled"; roomId: number; webhookId: number; botUserId: number; text: string }
  | { type: "stopped" };

export const emptyCounts = (): DispatchCounts => ({
  attempts: { success: 0, failure: 0, timeout: 0 },
  deliveries: { succeeded: 0, dead: 0 },
  attemptDurations: [],
  deliveryLatencies: [],
});
