// Replay: after an outage or a bad deploy of the receiver, one redelivery for each event whose
// newest delivery since a time failed or died (or succeeded, when asked), queued in event order.
// The preview counts what a replay would queue, for the confirmation before it.
import type { Db } from "../../db/client.ts";
import type { SqlDb } from "../../db/sql.ts";
import type { Events } from "../../events/domain-events.ts";
import { disabledConflict } from "./deliveries.service.ts";
import { countReplayable, replayDeliveries } from "./outbox/replay-sql.ts";
import { requireRoomWebhook } from "./webhooks.policy.ts";
import { MAX_REPLAY, type ReplayInput } from "./webhooks.schema.ts";

export interface ReplayDeps {
  db: Db;
  sql: SqlDb;
  bus: Events;
}

async function replayable(deps: ReplayDeps, userId: number, roomId: number, webhookId: number, input: ReplayInput) {
  const webhook = await requireRoomWebhook(deps.db, userId, roomId, webhookId);
  if (!webhook.enabled) throw disabledConflict(webhook);
  return { webhookId, since: new Date(input.since), statuses: input.statuses, limit: MAX_REPLAY };
}

export async function previewReplay(deps: ReplayDeps, userId: number, roomId: number, webhookId: number, input: ReplayInput) {
  const args = await replayable(deps, userId, roomId, webhookId, input);
  return { count: (await deps.sql.read.get(countReplayable, args)) ?? 0 };
}

export async function replay(deps: ReplayDeps, userId: number, roomId: number, webhookId: number, input: ReplayInput) {
  const args = await replayable(deps, userId, roomId, webhookId, input);
  // The statement checks the webhook is still enabled: one disabled meanwhile gets nothing.
  const count = await deps.sql.transaction((q) => q.run(replayDeliveries, { ...args, now: new Date() }));
  if (count > 0) deps.bus.publish("outbox.enqueued", { webhookIds: [webhookId] });
  return { count };
}
