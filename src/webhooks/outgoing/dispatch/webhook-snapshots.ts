// What the dispatcher knows about the webhooks it sends to: snapshots of the columns it sends with,
// loaded in one query per batch, and the words of automatic disabling.
import type { SqlDb } from "../../../db/sql.ts";
import { loadWebhooks, type WebhookSnapshot } from "./dispatch-sql.ts";

export type { WebhookSnapshot };

export async function loadSnapshots(sql: SqlDb, ids: readonly number[]): Promise<Map<number, WebhookSnapshot>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.read.all(loadWebhooks, { ids });
  return new Map(rows.map((w) => [w.id, w]));
}

export const isActive = (w: WebhookSnapshot | undefined): w is WebhookSnapshot => !!w && w.enabled && w.deletedAt === null;

export const deadStreakReason = (limit: number) => `disabled automatically: ${limit} deliveries in a row failed every attempt`;

export const goneReason = () => "disabled automatically: the endpoint answered 410 Gone";

/** The text posted in the room by the webhook's bot when it is disabled automatically. */
export function disabledNotice(name: string, reason: string): string {
  return `Webhook "${name}" was ${reason}. A room admin can re-enable it in the room settings.`;
}
