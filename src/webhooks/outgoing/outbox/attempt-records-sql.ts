// The record of attempts, one definition per dialect: a batch of attempts inserted, the batch's
// deliveries moved to their new state, the webhooks' dead streaks and circuits. Each takes its batch
// as one JSON parameter, so a write costs a few statements whether it holds 1 attempt or 200.
import { asDateOrNull, asInt, statement } from "../../../db/sql.ts";
import { readCircuit, type Circuit } from "../circuit.ts";

/** One attempt as the batch carries it (dates as ISO text in the column's own format). */
/** An attempt's columns as stored (also what the delivery log reads back). */
export interface AttemptRow {
  number: number;
  startedAt: Date;
  durationMs: number;
  requestHeaders: string;
  /** Null when it is the delivery's payload byte for byte (stored once, with the delivery). */
  requestBody: string | null;
  responseStatus: number | null;
  responseHeaders: string | null;
  responseBody: string | null;
  error: string | null;
}

export type AttemptJson = Omit<AttemptRow, "startedAt"> & { deliveryId: number; startedAt: string };

export interface DeliveryUpdateJson {
  id: number;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  nextAttemptAt: string | null;
  completedAt: string | null;
}

const ATTEMPT_COLUMNS = `"deliveryId", "number", "startedAt", "durationMs", "requestHeaders", "requestBody", "responseStatus", "responseHeaders", "responseBody", "error"`;

export const insertAttempts = statement<AttemptJson[]>({
  name: "records_insert_attempts",
  sqlite: `INSERT INTO "WebhookAttempt" (${ATTEMPT_COLUMNS})
    SELECT v ->> 'deliveryId', v ->> 'number', v ->> 'startedAt', v ->> 'durationMs', v ->> 'requestHeaders', v ->> 'requestBody',
      v ->> 'responseStatus', v ->> 'responseHeaders', v ->> 'responseBody', v ->> 'error'
    FROM (SELECT value AS v FROM json_each(?1) ORDER BY key)`,
  // TIMESTAMP(3) holds UTC wall time: the ISO text (with Z) is read as timestamptz and turned into it.
  postgres: `INSERT INTO "WebhookAttempt" (${ATTEMPT_COLUMNS})
    SELECT j."deliveryId", j."number", (j."startedAt" AT TIME ZONE 'UTC'), j."durationMs", j."requestHeaders", j."requestBody",
      j."responseStatus", j."responseHeaders", j."responseBody", j."error"
    FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS ("deliveryId" int, "number" int, "startedAt" timestamptz, "durationMs" int,
      "requestHeaders" text, "requestBody" text, "responseStatus" int, "responseHeaders" text, "responseBody" text, "error" text))
      WITH ORDINALITY AS j("deliveryId", "number", "startedAt", "durationMs", "requestHeaders", "requestBody",
        "responseStatus", "responseHeaders", "responseBody", "error", "n")
    ORDER BY j."n"`,
  params: (batch) => [JSON.stringify(batch)],
});

// Guarded by status: a delivery killed meanwhile (webhook disabled or deleted) stays dead.
// SQLite: the unary + keeps it off the status index, so it looks each delivery of the batch up by id.
export const updateDeliveries = statement<DeliveryUpdateJson[]>({
  name: "records_update_deliveries",
  sqlite: `UPDATE "WebhookDelivery" AS d SET
      "status" = j.value ->> 'status',
      "attempts" = j.value ->> 'attempts',
      "leaseUntil" = NULL,
      "leaseOwner" = NULL,
      "lastStatusCode" = j.value ->> 'lastStatusCode',
      "nextAttemptAt" = coalesce(j.value ->> 'nextAttemptAt', d."nextAttemptAt"),
      "completedAt" = coalesce(j.value ->> 'completedAt', d."completedAt")
    FROM json_each(?1) AS j
    WHERE d."id" = j.value ->> 'id' AND +d."status" IN ('pending', 'failed')`,
  postgres: `UPDATE "WebhookDelivery" AS d SET
      "status" = j."status",
      "attempts" = j."attempts",
      "leaseUntil" = NULL,
      "leaseOwner" = NULL,
      "lastStatusCode" = j."lastStatusCode",
      "nextAttemptAt" = coalesce((j."nextAttemptAt" AT TIME ZONE 'UTC'), d."nextAttemptAt"),
      "completedAt" = coalesce((j."completedAt" AT TIME ZONE 'UTC'), d."completedAt")
    FROM jsonb_to_recordset($1::jsonb) AS j("id" int, "status" text, "attempts" int, "lastStatusCode" int,
      "nextAttemptAt" timestamptz, "completedAt" timestamptz)
    WHERE d."id" = j."id" AND d."status" IN ('pending', 'failed')`,
  params: (batch) => [JSON.stringify(batch)],
});

export const setDeadStreak = statement<{ webhookId: number; value: number }, number>({
  name: "records_set_dead_streak",
  sqlite: `UPDATE "Webhook" SET "deadStreak" = ?2 WHERE "id" = ?1 RETURNING "deadStreak"`,
  postgres: `UPDATE "Webhook" SET "deadStreak" = $2 WHERE "id" = $1 RETURNING "deadStreak"`,
  params: (a) => [a.webhookId, a.value],
  row: (r) => asInt(r.deadStreak),
});

export const addDeadStreak = statement<{ webhookId: number; value: number }, number>({
  name: "records_add_dead_streak",
  sqlite: `UPDATE "Webhook" SET "deadStreak" = "deadStreak" + ?2 WHERE "id" = ?1 RETURNING "deadStreak"`,
  postgres: `UPDATE "Webhook" SET "deadStreak" = "deadStreak" + $2 WHERE "id" = $1 RETURNING "deadStreak"`,
  params: (a) => [a.webhookId, a.value],
  row: (r) => asInt(r.deadStreak),
});

/**
 * The circuits of the batch's webhooks, to be moved on by its attempts. PostgreSQL: their rows stay
 * locked until the batch commits (in id order, so two batches never wait for each other in a
 * circle), so a circuit closed by hand meanwhile is not overwritten with an older state.
 */
export const loadCircuits = statement<{ ids: readonly number[] }, Circuit & { webhookId: number }>({
  name: "records_load_circuits",
  sqlite: `SELECT "id", "circuitState", "circuitFailures", "circuitOpenUntil" FROM "Webhook"
    WHERE "id" IN (SELECT value FROM json_each(?1)) ORDER BY "id"`,
  postgres: `SELECT "id", "circuitState", "circuitFailures", "circuitOpenUntil" FROM "Webhook"
    WHERE "id" IN (SELECT (jsonb_array_elements_text($1::jsonb))::int) ORDER BY "id" FOR UPDATE`,
  params: (a) => [JSON.stringify(a.ids)],
  row: (r) => ({
    webhookId: asInt(r.id),
    ...readCircuit({ state: String(r.circuitState), failures: asInt(r.circuitFailures), openUntil: asDateOrNull(r.circuitOpenUntil) }),
  }),
});

export interface CircuitJson {
  webhookId: number;
  state: string;
  failures: number;
  openUntil: string | null;
}

export const writeCircuits = statement<CircuitJson[]>({
  name: "records_write_circuits",
  sqlite: `UPDATE "Webhook" AS w SET
      "circuitState" = j.value ->> 'state',
      "circuitFailures" = j.value ->> 'failures',
      "circuitOpenUntil" = j.value ->> 'openUntil'
    FROM json_each(?1) AS j
    WHERE w."id" = j.value ->> 'webhookId'`,
  postgres: `UPDATE "Webhook" AS w SET
      "circuitState" = j."state",
      "circuitFailures" = j."failures",
      "circuitOpenUntil" = (j."openUntil" AT TIME ZONE 'UTC')
    FROM jsonb_to_recordset($1::jsonb) AS j("webhookId" int, "state" text, "failures" int, "openUntil" timestamptz)
    WHERE w."id" = j."webhookId"`,
  params: (batch) => [JSON.stringify(batch)],
});

/** The duration of each delivery's last attempt (the delivery log shows it beside the status). */
export const lastAttemptDurations = statement<{ ids: readonly number[] }, { deliveryId: number; durationMs: number }>({
  name: "records_last_durations",
  sqlite: `SELECT "deliveryId", "durationMs" FROM (
      SELECT a."deliveryId", a."durationMs", ROW_NUMBER() OVER (PARTITION BY a."deliveryId" ORDER BY a."number" DESC, a."id" DESC) AS "rn"
      FROM "WebhookAttempt" a WHERE a."deliveryId" IN (SELECT value FROM json_each(?1))) t WHERE "rn" = 1`,
  postgres: `SELECT "deliveryId", "durationMs" FROM (
      SELECT a."deliveryId", a."durationMs", ROW_NUMBER() OVER (PARTITION BY a."deliveryId" ORDER BY a."number" DESC, a."id" DESC) AS "rn"
      FROM "WebhookAttempt" a WHERE a."deliveryId" IN (SELECT (jsonb_array_elements_text($1::jsonb))::int)) t WHERE "rn" = 1`,
  params: (a) => [JSON.stringify(a.ids)],
  row: (r) => ({ deliveryId: asInt(r.deliveryId), durationMs: asInt(r.durationMs) }),
});
