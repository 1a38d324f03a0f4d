// The outbox's statements, one definition per dialect: enqueue, claim under a lease, renew and
// release leases, kill, and the sweep that finds webhooks with due work. Batches travel as one JSON
// parameter (json_each / jsonb_array_elements), so no statement binds a list of ids.
// A claim takes one webhook's first due deliveries in id order (event order). On PostgreSQL it
// first locks the webhook's row (SKIP LOCKED), then, in a statement of its own (so its snapshot
// sees every claim committed before the lock was granted), takes nothing while another process
// holds a live lease on one of its deliveries: two processes never send one webhook's deliveries
// at once. On SQLite one process owns the file and its write mutex serializes the claims.
// The lock also reads the webhook's circuit (its latest version): an open one is claimed nothing,
// and one past its cool-down gets a single trial, taken only while no lease on the webhook is live.
import { asDate, asDateOrNull, asInt, asIntOrNull, statement, type RawRow, type Statement } from "../../../db/sql.ts";
import { readCircuit, type Circuit } from "../circuit.ts";

const OPEN = `('pending', 'failed')`;

export interface NewDelivery {
  webhookId: number;
  eventId: string;
  event: string;
  payload: string;
  createdAt: Date;
  messageId: number | null;
}

/** A lease taken as the delivery is written: the dispatcher thread it is handed to (SQLite). */
export interface OutboxLease {
  owner: string;
  leaseUntil: Date;
}

/** Returns the new delivery's id. */
export const insertDelivery = statement<NewDelivery & { lease: OutboxLease | undefined }, number>({
  name: "outbox_insert_delivery",
  sqlite: `INSERT INTO "WebhookDelivery" ("webhookId", "eventId", "event", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "messageId", "leaseUntil", "leaseOwner")
    VALUES (?1, ?2, ?3, ?4, 'pending', 0, ?5, ?5, ?6, ?7, ?8) RETURNING "id"`,
  postgres: `INSERT INTO "WebhookDelivery" ("webhookId", "eventId", "event", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "messageId", "leaseUntil", "leaseOwner")
    VALUES ($1, $2, $3, $4, 'pending', 0, $5, $5, $6, $7, $8) RETURNING "id"`,
  params: (d) => [d.webhookId, d.eventId, d.event, d.payload, d.createdAt, d.messageId, d.lease?.leaseUntil ?? null, d.lease?.owner ?? null],
  row: (r) => asInt(r.id),
});

/** The columns of a delivery that a claim returns: what an attempt needs. */
export interface ClaimedDelivery {
  id: number;
  webhookId: number;
  eventId: string;
  event: string;
  payload: string;
  status: string;
  attempts: number;
  createdAt: Date;
}

const claimedRow = (r: RawRow): ClaimedDelivery => ({
  id: asInt(r.id),
  webhookId: asInt(r.webhookId),
  eventId: String(r.eventId),
  event: String(r.event),
  payload: String(r.payload),
  status: String(r.status),
  attempts: asInt(r.attempts),
  createdAt: asDate(r.createdAt),
});

const RETURNED = `"id", "webhookId", "eventId", "event", "payload", "status", "attempts", "createdAt"`;

export interface ClaimArgs {
  webhookId: number;
  limit: number;
  now: Date;
  leaseUntil: Date;
  owner: string;
  /** The webhook's deliveries this process holds already (queued or in flight): never taken again. */
  held: readonly number[];
}

/**
 * The webhook's circuit when this transaction may claim for it (PostgreSQL: its row is now locked,
 * and FOR UPDATE reads its latest version); nothing when another process is claiming for it.
 */
export const lockForClaim = statement<{ webhookId: number }, Circuit>({
  name: "outbox_lock_for_claim",
  sqlite: `SELECT "circuitState", "circuitFailures", "circuitOpenUntil" FROM "Webhook" WHERE "id" = ?1`,
  postgres: `SELECT "circuitState", "circuitFailures", "circuitOpenUntil" FROM "Webhook" WHERE "id" = $1 FOR UPDATE SKIP LOCKED`,
  params: (p) => [p.webhookId],
  row: (r) => readCircuit({ state: String(r.circuitState), failures: asInt(r.circuitFailures), openUntil: asDateOrNull(r.circuitOpenUntil) }),
});

/**
 * A claim's statement. `blockedBy`: whose live leases on the webhook's open deliveries make it take
 * nothing: another process's (PostgreSQL; one process per SQLite file has no other owner), or
 * anyone's (a trial: never beside a delivery in flight, which would be a second attempt at once).
 */
function claimStatement(name: string, blockedBy: "others" | "anyone"): Statement<ClaimArgs, ClaimedDelivery> {
  const blocking = (p: (n: number) => string) => `NOT EXISTS (
          SELECT 1 FROM "WebhookDelivery" x
          WHERE x."webhookId" = ${p(3)} AND x."status" IN ${OPEN} AND x."leaseUntil" > ${p(4)}${blockedBy === "others" ? ` AND x."leaseOwner" IS DISTINCT FROM ${p(2)}` : ""})`;
  return statement<ClaimArgs, ClaimedDelivery>({
    name,
    // One process per SQLite file: a delivery leased to this process that it does not hold (handed
    // over at insert, then not taken) is its own to claim at once.
    sqlite: `UPDATE "WebhookDelivery" SET "leaseUntil" = ?1, "leaseOwner" = ?2
    WHERE "id" IN (
      SELECT "id" FROM "WebhookDelivery"
      WHERE "webhookId" = ?3 AND "status" IN ${OPEN} AND "nextAttemptAt" <= ?4
        AND ("leaseUntil" IS NULL OR "leaseUntil" <= ?4 OR "leaseOwner" = ?2) AND "id" NOT IN (SELECT value FROM json_each(?6))
        ${blockedBy === "anyone" ? `AND ${blocking((n) => `?${n}`)}` : ""}
      ORDER BY "id" LIMIT ?5)
    RETURNING ${RETURNED}`,
    // Every part of this plan must stay O(limit) with any statistics (see claimPlanner): the ids
    // are picked once (ARRAY(...), an init plan) and their rows updated through the primary key,
    // never joined; `= ANY(ARRAY[$3])` with the order by ("webhookId", "id") leaves the open index
    // as the one way to that order (with `= $3` and the order by "id", the primary key from the
    // table's first row, through every finished delivery, is another).
    postgres: `UPDATE "WebhookDelivery" d SET "leaseUntil" = $1, "leaseOwner" = $2
    WHERE d."id" = ANY(ARRAY(
      SELECT p."id" FROM "WebhookDelivery" p
      WHERE p."webhookId" = ANY(ARRAY[$3::int]) AND p."status" IN ${OPEN} AND p."nextAttemptAt" <= $4 AND (p."leaseUntil" IS NULL OR p."leaseUntil" <= $4)
        AND p."id" NOT IN (SELECT (jsonb_array_elements_text($6::jsonb))::int)
        AND ${blocking((n) => `$${n}`)}
      ORDER BY p."webhookId", p."id" LIMIT $5))
      -- Re-checked on the row's latest version: a lease taken meanwhile by another process wins.
      AND d."status" IN ${OPEN} AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= $4)
    RETURNING ${RETURNED.split(", ").map((c) => `d.${c}`).join(", ")}`,
    params: (a) => [a.leaseUntil, a.owner, a.webhookId, a.now, a.limit, JSON.stringify(a.held)],
    row: claimedRow,
  });
}

/**
 * PostgreSQL plans a claim once per connection (a named statement), maybe while the table's
 * statistics are stale: say, from when it was empty, before a burst built a backlog. Any plan
 * looks cheap then, and one that reads every row (a sequential scan, or a bitmap of every open
 * delivery sorted) makes each claim cost O(table) for the connection's life: a 20,000 backlog then
 * drained at 100/s. Without sequential scans, bitmaps and sorts in the claim's transaction, the
 * one plan left walks the open deliveries' index in order and stops at the limit (and the claim's
 * shape leaves no join to get wrong). (SQLite: a no-op.)
 */
export const claimPlanner = statement<Record<string, never>, unknown>({
  name: "outbox_claim_planner",
  sqlite: `SELECT 1`,
  postgres: `SELECT set_config('enable_seqscan', 'off', true), set_config('enable_bitmapscan', 'off', true), set_config('enable_sort', 'off', true)`,
  params: () => [],
});

export const claimForWebhook = claimStatement("outbox_claim_for_webhook", "others");

/** The trial of an open circuit: the webhook's first due delivery, while none of its leases is live. */
export const claimTrial = claimStatement("outbox_claim_trial", "anyone");

/** The trial claimed: the circuit reads half_open until its attempt is recorded. */
export const startTrial = statement<{ webhookId: number }>({
  name: "outbox_start_trial",
  sqlite: `UPDATE "Webhook" SET "circuitState" = 'half_open', "circuitOpenUntil" = NULL WHERE "id" = ?1`,
  postgres: `UPDATE "Webhook" SET "circuitState" = 'half_open', "circuitOpenUntil" = NULL WHERE "id" = $1`,
  params: (p) => [p.webhookId],
});

/** Not a webhook whose circuit is open and cooling down, nor one whose trial is in flight: a claim would take nothing. */
const circuitWaits = (now: string) => `NOT EXISTS (
      SELECT 1 FROM "Webhook" h WHERE h."id" = w."id" AND (
        (h."circuitState" = 'open' AND h."circuitOpenUntil" > ${now})
        OR (h."circuitState" = 'half_open' AND EXISTS (
          SELECT 1 FROM "WebhookDelivery" x WHERE x."webhookId" = w."id" AND x."status" IN ${OPEN} AND x."leaseUntil" > ${now}))))`;

const dueWebhooksSql = (now: string) => `WITH RECURSIVE w("id") AS (
      SELECT min("webhookId") FROM "WebhookDelivery" WHERE "status" IN ${OPEN}
      UNION ALL
      SELECT (SELECT min(d."webhookId") FROM "WebhookDelivery" d WHERE d."status" IN ${OPEN} AND d."webhookId" > w."id")
      FROM w WHERE w."id" IS NOT NULL)
    SELECT w."id" AS "webhookId" FROM w
    WHERE w."id" IS NOT NULL AND EXISTS (
      SELECT 1 FROM "WebhookDelivery" d WHERE d."webhookId" = w."id" AND d."status" IN ${OPEN}
        AND d."nextAttemptAt" <= ${now} AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= ${now}))
      AND ${circuitWaits(now)}`;

/** Webhooks with at least one due, unleased delivery (and a circuit that lets a claim take it): a loose index scan over the open deliveries. */
export const dueWebhooks = statement<{ now: Date }, number>({
  name: "outbox_due_webhooks",
  sqlite: dueWebhooksSql("?1"),
  postgres: dueWebhooksSql("$1"),
  params: (p) => [p.now],
  row: (r) => asInt(r.webhookId),
});

/** The ids of a JSON array parameter ($n / ?n). */
const idsSqlite = (n: number) => `(SELECT value FROM json_each(?${n}))`;
const idsPg = (n: number) => `(SELECT (jsonb_array_elements_text($${n}::jsonb))::int)`;

export interface LeaseArgs {
  ids: readonly number[];
  owner: string;
}

/** Extends leases still held (a record clears the lease, so a finished delivery is untouched). */
export const renewLeases = statement<LeaseArgs & { leaseUntil: Date }>({
  name: "outbox_renew_leases",
  sqlite: `UPDATE "WebhookDelivery" SET "leaseUntil" = ?1
    WHERE "id" IN ${idsSqlite(2)} AND "status" IN ${OPEN} AND "leaseOwner" = ?3 AND "leaseUntil" IS NOT NULL`,
  postgres: `UPDATE "WebhookDelivery" SET "leaseUntil" = $1
    WHERE "id" IN ${idsPg(2)} AND "status" IN ${OPEN} AND "leaseOwner" = $3 AND "leaseUntil" IS NOT NULL`,
  params: (a) => [a.leaseUntil, JSON.stringify(a.ids), a.owner],
});

/** Gives claims back unsent: due again at once, for this or another process. */
export const releaseLeases = statement<LeaseArgs>({
  name: "outbox_release_leases",
  sqlite: `UPDATE "WebhookDelivery" SET "leaseUntil" = NULL, "leaseOwner" = NULL
    WHERE "id" IN ${idsSqlite(1)} AND "status" IN ${OPEN} AND "leaseOwner" = ?2`,
  postgres: `UPDATE "WebhookDelivery" SET "leaseUntil" = NULL, "leaseOwner" = NULL
    WHERE "id" IN ${idsPg(1)} AND "status" IN ${OPEN} AND "leaseOwner" = $2`,
  params: (a) => [JSON.stringify(a.ids), a.owner],
});

/** Every open delivery leased to this process given back (shutdown): held ones and handed ones not taken. */
export const releaseOwned = statement<{ owner: string }>({
  name: "outbox_release_owned",
  sqlite: `UPDATE "WebhookDelivery" SET "leaseUntil" = NULL, "leaseOwner" = NULL WHERE "status" IN ${OPEN} AND "leaseOwner" = ?1`,
  postgres: `UPDATE "WebhookDelivery" SET "leaseUntil" = NULL, "leaseOwner" = NULL WHERE "status" IN ${OPEN} AND "leaseOwner" = $1`,
  params: (p) => [p.owner],
});

/** A delivery killed without being sent, as the delivery log shows it. */
export interface KilledDelivery {
  id: number;
  webhookId: number;
  eventId: string;
  event: string;
  status: "dead";
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  createdAt: Date;
  completedAt: Date | null;
}

const KILLED = `"id", "webhookId", "eventId", "event", "attempts", "nextAttemptAt", "lastStatusCode", "createdAt", "completedAt"`;
const killedRow = (r: RawRow): KilledDelivery => ({
  id: asInt(r.id),
  webhookId: asInt(r.webhookId),
  eventId: String(r.eventId),
  event: String(r.event),
  status: "dead",
  attempts: asInt(r.attempts),
  nextAttemptAt: asDate(r.nextAttemptAt),
  lastStatusCode: asIntOrNull(r.lastStatusCode),
  createdAt: asDate(r.createdAt),
  completedAt: asDateOrNull(r.completedAt),
});

export const killByIds = statement<{ ids: readonly number[]; now: Date }, KilledDelivery>({
  name: "outbox_kill_by_ids",
  sqlite: `UPDATE "WebhookDelivery" SET "status" = 'dead', "completedAt" = ?1, "leaseUntil" = NULL, "leaseOwner" = NULL
    WHERE "id" IN ${idsSqlite(2)} AND "status" IN ${OPEN} RETURNING ${KILLED}`,
  postgres: `UPDATE "WebhookDelivery" SET "status" = 'dead', "completedAt" = $1, "leaseUntil" = NULL, "leaseOwner" = NULL
    WHERE "id" IN ${idsPg(2)} AND "status" IN ${OPEN} RETURNING ${KILLED}`,
  params: (a) => [a.now, JSON.stringify(a.ids)],
  row: killedRow,
});

export const killByWebhook = statement<{ webhookId: number; now: Date }, KilledDelivery>({
  name: "outbox_kill_by_webhook",
  sqlite: `UPDATE "WebhookDelivery" SET "status" = 'dead', "completedAt" = ?1, "leaseUntil" = NULL, "leaseOwner" = NULL
    WHERE "webhookId" = ?2 AND "status" IN ${OPEN} RETURNING ${KILLED}`,
  postgres: `UPDATE "WebhookDelivery" SET "status" = 'dead', "completedAt" = $1, "leaseUntil" = NULL, "leaseOwner" = NULL
    WHERE "webhookId" = $2 AND "status" IN ${OPEN} RETURNING ${KILLED}`,
  params: (a) => [a.now, a.webhookId],
  row: killedRow,
});

/** Deliveries not yet final: due now or waiting for a retry (the webhook_queue_depth gauge). */
export const countOpen = statement<Record<string, never>, number>({
  name: "outbox_count_open",
  sqlite: `SELECT count(*) AS "n" FROM "WebhookDelivery" WHERE "status" IN ${OPEN}`,
  postgres: `SELECT count(*) AS "n" FROM "WebhookDelivery" WHERE "status" IN ${OPEN}`,
  params: () => [],
  row: (r) => asInt(r.n),
});
