// Deliveries that will never be sent (their webhook was disabled or deleted) marked dead, and each
// told to the live delivery log with the duration of its last attempt.
import type { SqlDb } from "../../../db/sql.ts";
import { lastAttemptDurations } from "../outbox/attempt-records-sql.ts";
import { kill } from "../outbox/claims.ts";
import type { Reporter } from "./reporter.ts";

export async function killAndAnnounce(
  sql: SqlDb,
  reporter: Reporter,
  roomId: number,
  where: { ids: readonly number[] } | { webhookId: number },
): Promise<void> {
  const killed = await kill(sql, where);
  const tried = killed.filter((k) => k.attempts > 0).map((k) => k.id);
  const durations = new Map<number, number>();
  if (tried.length) for (const r of await sql.read.all(lastAttemptDurations, { ids: tried })) durations.set(r.deliveryId, r.durationMs);
  for (const k of killed) reporter.delivery(roomId, { ...k, durationMs: durations.get(k.id) ?? null });
  if (killed.length) reporter.dead(killed.length);
}
