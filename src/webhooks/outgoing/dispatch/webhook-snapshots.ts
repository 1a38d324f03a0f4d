// What the dispatcher knows about the webhooks it sends to: snapshots of the columns it sends with
// (and its circuit), loaded in one query per batch, and the words of automatic disabling.
import type { SqlDb } from "../../../db/sql.ts";
import { loadWebhooks, type WebhookSnapshot } from "./dispatch-sql.ts";

export type { WebhookSnapshot };

export async function loadSnapshots(sql: SqlDb, ids: readonly number[]): Promise<Map<number, WebhookSnapshot>> {
  if (ids.length === 0) return new Map();
  const rows = await sql.read.all(loadWebhooks, { ids });
  return new Map(rows.map((w) => [w.id, w]));
}

/** The snapshots the dispatcher holds, re-read when older than `maxAgeMs` (or at once when asked). */
export class SnapshotCache {
  private readonly snapshots = new Map<number, WebhookSnapshot>();

  constructor(
    private readonly sql: SqlDb,
    private readonly maxAgeMs: number,
  ) {}

  get(id: number): WebhookSnapshot | undefined {
    return this.snapshots.get(id);
  }

  async refresh(ids: readonly number[], opts: { onlyStale: boolean }): Promise<void> {
    const now = Date.now();
    const stale = opts.onlyStale ? ids.filter((id) => now - (this.snapshots.get(id)?.loadedAt ?? 0) > this.maxAgeMs) : ids;
    for (const [id, fresh] of await loadSnapshots(this.sql, stale)) {
      // Keep the same object: an attempt in flight holds it (its dead streak, enabled flag, circuit).
      const current = this.snapshots.get(id);
      if (current) Object.assign(current, fresh);
      else this.snapshots.set(id, fresh);
    }
  }

  /** The webhook changed: read it again before its next send. */
  expire(id: number): void {
    const snapshot = this.snapshots.get(id);
    if (snapshot) snapshot.loadedAt = 0;
  }
}

export const isActive = (w: WebhookSnapshot | undefined): w is WebhookSnapshot => !!w && w.enabled && w.deletedAt === null;

export const deadStreakReason = (limit: number) => `disabled automatically: ${limit} deliveries in a row failed every attempt`;

export const goneReason = () => "disabled automatically: the endpoint answered 410 Gone";

/** The text posted in the room by the webhook's bot when it is disabled automatically. */
export function disabledNotice(name: string, reason: string): string {
  return `Webhook "${name}" was ${reason}. A room admin can re-enable it in the room settings.`;
}
