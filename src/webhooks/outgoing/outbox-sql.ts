// The dispatcher's hand-written statements, one version per database. They take a batch as one
// JSON parameter, so a statement costs the same for 1 row or 200 and Prisma compiles nothing.
// SQLite: json_each, UPDATE ... FROM, RETURNING; one process owns the queue.
// PostgreSQL: jsonb_to_recordset, and the claim locks webhook rows FOR UPDATE SKIP LOCKED and takes
// only webhooks with no live lease, so several server processes never send two deliveries of one
// webhook at once or out of order.
import { isPostgres } from "../../config.ts";

export interface ClaimArgs {
  now: Date;
  leaseUntil: Date;
  limit: number;
  perWebhook: number;
  skipWebhookIds: readonly number[];
}

export interface OutboxSql {
  dialect: "sqlite" | "postgres";
  /** A date inside a JSON batch, as the column's text form expects it. */
  jsonDate(d: Date): string;
  claim: { sql: string; args(a: ClaimArgs): unknown[] };
  loadWebhooks: string;
  insertAttempts: string;
  updateDeliveries: string;
  setDeadStreak: string;
  addDeadStreak: string;
}

const RETURNED = `"id", "webhookId", "eventId", "event", "payload", "status", "attempts", "createdAt"`;
const WEBHOOK_COLUMNS = `"id", "roomId", "name", "url", "events", "method", "contentType", "maxAttempts", "enabled", "deletedAt",
  "verificationSignature", "secret", "previousSecret", "previousSecretExpiresAt", "headers", "replyEnabled", "botUserId", "deadStreak"`;
const ATTEMPT_COLUMNS = `"deliveryId", "number", "startedAt", "durationMs", "requestHeaders", "requestBody", "responseStatus", "responseHeaders", "responseBody", "error"`;

const sqlite: OutboxSql = {
  dialect: "sqlite",
  // Exactly as @prisma/adapter-better-sqlite3 writes DateTime (its default "iso8601" format), so
  // these rows compare and read back like rows written through Prisma.
  jsonDate: (d) => d.toISOString().replace("Z", "+00:00"),
  claim: {
    sql: `
      UPDATE "WebhookDelivery" SET "leaseUntil" = ?
      WHERE "id" IN (
        SELECT "id" FROM (
          SELECT d."id" AS "id", ROW_NUMBER() OVER (PARTITION BY d."webhookId" ORDER BY d."id") AS "rn"
          FROM "WebhookDelivery" d
          WHERE d."status" IN ('pending', 'failed')
            AND d."nextAttemptAt" <= ?
            AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= ?)
            AND d."webhookId" NOT IN (SELECT value FROM json_each(?))
        ) WHERE "rn" <= ? ORDER BY "id" LIMIT ?
      )
      RETURNING ${RETURNED}`,
    args: (a) => [a.leaseUntil, a.now, a.now, JSON.stringify(a.skipWebhookIds), a.perWebhook, a.limit],
  },
  loadWebhooks: `SELECT ${WEBHOOK_COLUMNS} FROM "Webhook" WHERE "id" IN (SELECT value FROM json_each(?))`,
  insertAttempts: `
    INSERT INTO "WebhookAttempt" (${ATTEMPT_COLUMNS})
    SELECT v ->> 'deliveryId', v ->> 'number', v ->> 'startedAt', v ->> 'durationMs', v ->> 'requestHeaders', v ->> 'requestBody',
      v ->> 'responseStatus', v ->> 'responseHeaders', v ->> 'responseBody', v ->> 'error'
    FROM (SELECT value AS v FROM json_each(?) ORDER BY key)`,
  // The unary + keeps SQLite off the status index: it must loop over the batch and look each
  // delivery up by id, not scan every open delivery and re-read the JSON for each.
  updateDeliveries: `
    UPDATE "WebhookDelivery" AS d SET
      "status" = j.value ->> 'status',
      "attempts" = j.value ->> 'attempts',
      "leaseUntil" = NULL,
      "lastStatusCode" = j.value ->> 'lastStatusCode',
      "nextAttemptAt" = coalesce(j.value ->> 'nextAttemptAt', d."nextAttemptAt"),
      "completedAt" = coalesce(j.value ->> 'completedAt', d."completedAt")
    FROM json_each(?) AS j
    WHERE d."id" = j.value ->> 'id' AND +d."status" IN ('pending', 'failed')`,
  setDeadStreak: `UPDATE "Webhook" SET "deadStreak" = ? WHERE "id" = ? RETURNING "deadStreak"`,
  addDeadStreak: `UPDATE "Webhook" SET "deadStreak" = "deadStreak" + ? WHERE "id" = ? RETURNING "deadStreak"`,
};

// TIMESTAMP(3) columns hold UTC without a zone (as Prisma writes them): JSON dates are ISO with Z,
// read as timestamptz and turned into UTC wall time whatever the session's time zone.
const utc = (expr: string) => `(${expr} AT TIME ZONE 'UTC')`;

const postgres: OutboxSql = {
  dialect: "postgres",
  jsonDate: (d) => d.toISOString(),
  claim: {
    sql: `
      WITH due AS (
        SELECT DISTINCT d."webhookId" AS "id" FROM "WebhookDelivery" d
        WHERE d."status" IN ('pending', 'failed') AND d."nextAttemptAt" <= $2
          AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= $2)
          AND d."webhookId" NOT IN (SELECT (value)::int FROM jsonb_array_elements_text($3::jsonb))
      ),
      free AS (
        SELECT w."id" FROM "Webhook" w JOIN due ON due."id" = w."id"
        WHERE NOT EXISTS (
          SELECT 1 FROM "WebhookDelivery" x
          WHERE x."webhookId" = w."id" AND x."status" IN ('pending', 'failed') AND x."leaseUntil" > $2
        )
        ORDER BY w."id" LIMIT 100
        FOR UPDATE OF w SKIP LOCKED
      ),
      picked AS (
        SELECT "id" FROM (
          SELECT d."id", ROW_NUMBER() OVER (PARTITION BY d."webhookId" ORDER BY d."id") AS "rn"
          FROM "WebhookDelivery" d JOIN free f ON f."id" = d."webhookId"
          WHERE d."status" IN ('pending', 'failed') AND d."nextAttemptAt" <= $2
            AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= $2)
        ) t WHERE "rn" <= $4 ORDER BY "id" LIMIT $5
      )
      UPDATE "WebhookDelivery" d SET "leaseUntil" = $1
      FROM picked
      -- Re-checked on the row's latest version: a lease taken meanwhile by another process wins.
      WHERE d."id" = picked."id" AND d."status" IN ('pending', 'failed') AND (d."leaseUntil" IS NULL OR d."leaseUntil" <= $2)
      RETURNING ${RETURNED.split(", ").map((c) => `d.${c}`).join(", ")}`,
    args: (a) => [a.leaseUntil, a.now, JSON.stringify(a.skipWebhookIds), a.perWebhook, a.limit],
  },
  loadWebhooks: `SELECT ${WEBHOOK_COLUMNS} FROM "Webhook" WHERE "id" IN (SELECT (value)::int FROM jsonb_array_elements_text($1::jsonb))`,
  insertAttempts: `
    INSERT INTO "WebhookAttempt" (${ATTEMPT_COLUMNS})
    SELECT j."deliveryId", j."number", ${utc(`j."startedAt"`)}, j."durationMs", j."requestHeaders", j."requestBody",
      j."responseStatus", j."responseHeaders", j."responseBody", j."error"
    FROM jsonb_to_recordset($1::jsonb) AS j("deliveryId" int, "number" int, "startedAt" timestamptz, "durationMs" int,
      "requestHeaders" text, "requestBody" text, "responseStatus" int, "responseHeaders" text, "responseBody" text, "error" text)`,
  updateDeliveries: `
    UPDATE "WebhookDelivery" AS d SET
      "status" = j."status",
      "attempts" = j."attempts",
      "leaseUntil" = NULL,
      "lastStatusCode" = j."lastStatusCode",
      "nextAttemptAt" = coalesce(${utc(`j."nextAttemptAt"`)}, d."nextAttemptAt"),
      "completedAt" = coalesce(${utc(`j."completedAt"`)}, d."completedAt")
    FROM jsonb_to_recordset($1::jsonb) AS j("id" int, "status" text, "attempts" int, "lastStatusCode" int,
      "nextAttemptAt" timestamptz, "completedAt" timestamptz)
    WHERE d."id" = j."id" AND d."status" IN ('pending', 'failed')`,
  setDeadStreak: `UPDATE "Webhook" SET "deadStreak" = $1 WHERE "id" = $2 RETURNING "deadStreak"`,
  addDeadStreak: `UPDATE "Webhook" SET "deadStreak" = "deadStreak" + $1 WHERE "id" = $2 RETURNING "deadStreak"`,
};

export const outboxSql = (databaseUrl: string): OutboxSql => (isPostgres(databaseUrl) ? postgres : sqlite);
