// What the dispatcher knows and changes about a webhook: a snapshot of the columns it sends with,
// automatic disabling (410 Gone, too many dead deliveries in a row) with a notice in the room,
// and the deliveries that die with it.
import type { Db } from "../../db/client.ts";
import type { WebhookForSend } from "./delivery-request.ts";
import type { OutboxSql } from "./outbox-sql.ts";

export interface WebhookSnapshot extends WebhookForSend {
  name: string;
  events: string;
  maxAttempts: number;
  enabled: boolean;
  deletedAt: Date | null;
  replyEnabled: boolean;
  botUserId: number;
  deadStreak: number;
  /** When this copy was read (ms). */
  loadedAt: number;
}

/** The webhooks of the given ids, in one raw query (it runs for every claim: no query compilation). */
export async function loadWebhooks(db: Db, sql: OutboxSql, ids: readonly number[]): Promise<Map<number, WebhookSnapshot>> {
  if (ids.length === 0) return new Map();
  const loadedAt = Date.now();
  const rows = await db.$queryRawUnsafe<Record<string, unknown>[]>(sql.loadWebhooks, JSON.stringify(ids));
  return new Map(rows.map((r) => [Number(r.id), toSnapshot(r, loadedAt)]));
}

// Raw rows: integers may be bigint, booleans 0/1, DATETIME columns Date objects.
const asDate = (v: unknown) => (v === null || v === undefined ? null : v instanceof Date ? v : new Date(v as string));
const asBool = (v: unknown) => v === true || v === 1 || v === 1n || v === "1";

function toSnapshot(r: Record<string, unknown>, loadedAt: number): WebhookSnapshot {
  return {
    id: Number(r.id),
    roomId: Number(r.roomId),
    name: String(r.name),
    url: String(r.url),
    events: String(r.events),
    method: String(r.method),
    contentType: String(r.contentType),
    maxAttempts: Number(r.maxAttempts),
    enabled: asBool(r.enabled),
    deletedAt: asDate(r.deletedAt),
    verificationSignature: String(r.verificationSignature),
    secret: String(r.secret),
    previousSecret: r.previousSecret === null ? null : String(r.previousSecret),
    previousSecretExpiresAt: asDate(r.previousSecretExpiresAt),
    headers: String(r.headers),
    replyEnabled: asBool(r.replyEnabled),
    botUserId: Number(r.botUserId),
    deadStreak: Number(r.deadStreak),
    loadedAt,
  };
}

export const isActive = (w: WebhookSnapshot | undefined): w is WebhookSnapshot => !!w && w.enabled && w.deletedAt === null;

/** Disables an enabled webhook; true when this call did it (so exactly one caller posts the notice). */
export async function disableWebhook(db: Db, webhookId: number, reason: string): Promise<boolean> {
  const [{ count }] = await db.$transaction([
    db.webhook.updateMany({
      where: { id: webhookId, enabled: true, deletedAt: null },
      data: { enabled: false, disabledReason: reason },
    }),
  ]);
  return count === 1;
}

export const deadStreakReason = (limit: number) =>
  `disabled automatically: ${limit} deliveries in a row failed every attempt`;

export const goneReason = () => "disabled automatically: the endpoint answered 410 Gone";

/** The text posted in the room by the webhook's bot when it is disabled automatically. */
export function disabledNotice(name: string, reason: string): string {
  return `Webhook "${name}" was ${reason}. A room admin can re-enable it in the room settings.`;
}

export interface KilledDelivery {
  id: number;
  webhookId: number;
  eventId: string;
  event: string;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** Marks open deliveries dead without sending them: the given ids, or every open one of a webhook. */
export async function killDeliveries(
  db: Db,
  where: { ids: readonly number[] } | { webhookId: number },
): Promise<KilledDelivery[]> {
  if ("ids" in where && where.ids.length === 0) return [];
  const filter = "ids" in where ? { id: { in: [...where.ids] } } : { webhookId: where.webhookId };
  const completedAt = new Date();
  return db.$transaction(async (tx) => {
    const open = await tx.webhookDelivery.findMany({
      where: { ...filter, status: { in: ["pending", "failed"] } },
      select: { id: true, webhookId: true, eventId: true, event: true, attempts: true, nextAttemptAt: true, lastStatusCode: true, createdAt: true },
    });
    if (open.length === 0) return [];
    await tx.webhookDelivery.updateMany({
      where: { id: { in: open.map((d) => d.id) }, status: { in: ["pending", "failed"] } },
      data: { status: "dead", completedAt, leaseUntil: null },
    });
    return open.map((d) => ({ ...d, status: "dead", completedAt }));
  });
}
