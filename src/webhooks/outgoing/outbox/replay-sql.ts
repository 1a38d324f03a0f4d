// Replay ("recover", as Svix calls it), one definition per dialect: one redelivery for each event of
// a webhook whose newest delivery since a time has one of the given statuses, in event order, as
// one INSERT ... SELECT (never a list of ids). The newest delivery per event is the one that counts:
// a replayed event's newest delivery is then the pending redelivery, so replaying twice does not
// double. An event's deliveries after the first are redeliveries, made later, so all of them are
// inside the window of any one of them; the event's first delivery in the window gives its order.
import { asInt, statement } from "../../../db/sql.ts";

export interface ReplayArgs {
  webhookId: number;
  since: Date;
  statuses: readonly string[];
  now: Date;
  limit: number;
}

/** Parameters 1 to 3 are the webhook, the time and the statuses; `limit` names the limit's. */
const picked = (dialect: "sqlite" | "postgres", limit: number) => {
  const p = dialect === "sqlite" ? (n: number) => `?${n}` : (n: number) => `$${n}`;
  const statuses = dialect === "sqlite" ? `(SELECT value FROM json_each(?3))` : `(SELECT jsonb_array_elements_text($3::jsonb))`;
  return `FROM (
      SELECT max("id") AS "newest", min("id") AS "first" FROM "WebhookDelivery"
      WHERE "webhookId" = ${p(1)} AND "createdAt" >= ${p(2)}
      GROUP BY "eventId") e
    JOIN "WebhookDelivery" d ON d."id" = e."newest"
    WHERE d."status" IN ${statuses}
      AND EXISTS (SELECT 1 FROM "Webhook" w WHERE w."id" = ${p(1)} AND w."enabled" = true AND w."deletedAt" IS NULL)
    ORDER BY e."first"
    LIMIT ${p(limit)}`;
};

const COLUMNS = `"webhookId", "eventId", "event", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "messageId"`;

/** Queues the redeliveries; the number of rows written is the count. A disabled webhook gets none. */
export const replayDeliveries = statement<ReplayArgs>({
  name: "outbox_replay",
  sqlite: `INSERT INTO "WebhookDelivery" (${COLUMNS})
    SELECT d."webhookId", d."eventId", d."event", d."payload", 'pending', 0, ?4, ?4, d."messageId"
    ${picked("sqlite", 5)}`,
  // A parameter in a SELECT list has no column to take its type from: cast it.
  postgres: `INSERT INTO "WebhookDelivery" (${COLUMNS})
    SELECT d."webhookId", d."eventId", d."event", d."payload", 'pending', 0, $4::timestamp(3), $4::timestamp(3), d."messageId"
    ${picked("postgres", 5)}`,
  params: (a) => [a.webhookId, a.since, JSON.stringify(a.statuses), a.now, a.limit],
});

/** How many a replay would queue now (the confirmation before it). */
export const countReplayable = statement<Omit<ReplayArgs, "now">, number>({
  name: "outbox_replay_count",
  sqlite: `SELECT count(*) AS "n" FROM (SELECT 1 ${picked("sqlite", 4)}) t`,
  postgres: `SELECT count(*) AS "n" FROM (SELECT 1 ${picked("postgres", 4)}) t`,
  params: (a) => [a.webhookId, a.since, JSON.stringify(a.statuses), a.limit],
  row: (r) => asInt(r.n),
});
