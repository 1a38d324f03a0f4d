// The dispatcher's statements about webhooks, one definition per dialect: the columns it sends
// with (re-read often: a rotation or a disable is seen at once), automatic disabling, and the
// count of open circuits (a gauge).
import { asBool, asDateOrNull, asInt, asStringOrNull, statement, type RawRow } from "../../../db/sql.ts";
import { readCircuit, type Circuit } from "../circuit.ts";
import type { WebhookForSend } from "../wire/delivery-request.ts";

export interface WebhookSnapshot extends WebhookForSend {
  name: string;
  maxAttempts: number;
  enabled: boolean;
  deletedAt: Date | null;
  replyEnabled: boolean;
  botUserId: number;
  deadStreak: number;
  circuit: Circuit;
  /** When this copy was read (ms). */
  loadedAt: number;
}

const COLUMNS = `"id", "roomId", "name", "url", "method", "contentType", "maxAttempts", "enabled", "deletedAt",
  "verificationSignature", "secret", "previousSecret", "previousSecretExpiresAt", "headers", "replyEnabled", "botUserId", "deadStreak",
  "circuitState", "circuitFailures", "circuitOpenUntil"`;

const snapshotRow = (r: RawRow): WebhookSnapshot => ({
  id: asInt(r.id),
  roomId: asInt(r.roomId),
  name: String(r.name),
  url: String(r.url),
  method: String(r.method),
  contentType: String(r.contentType),
  maxAttempts: asInt(r.maxAttempts),
  enabled: asBool(r.enabled),
  deletedAt: asDateOrNull(r.deletedAt),
  verificationSignature: String(r.verificationSignature),
  secret: String(r.secret),
  previousSecret: asStringOrNull(r.previousSecret),
  previousSecretExpiresAt: asDateOrNull(r.previousSecretExpiresAt),
  headers: String(r.headers),
  replyEnabled: asBool(r.replyEnabled),
  botUserId: asInt(r.botUserId),
  deadStreak: asInt(r.deadStreak),
  circuit: readCircuit({ state: String(r.circuitState), failures: asInt(r.circuitFailures), openUntil: asDateOrNull(r.circuitOpenUntil) }),
  loadedAt: Date.now(),
});

export const loadWebhooks = statement<{ ids: readonly number[] }, WebhookSnapshot>({
  name: "dispatch_load_webhooks",
  sqlite: `SELECT ${COLUMNS} FROM "Webhook" WHERE "id" IN (SELECT value FROM json_each(?1))`,
  postgres: `SELECT ${COLUMNS} FROM "Webhook" WHERE "id" IN (SELECT (jsonb_array_elements_text($1::jsonb))::int)`,
  params: (p) => [JSON.stringify(p.ids)],
  row: snapshotRow,
});

/** Disables an enabled webhook; a row comes back only for the call that did it (so one notice is posted). */
export const disableWebhook = statement<{ webhookId: number; reason: string }, number>({
  name: "dispatch_disable_webhook",
  sqlite: `UPDATE "Webhook" SET "enabled" = false, "disabledReason" = ?2, "updatedAt" = ?3
    WHERE "id" = ?1 AND "enabled" = true AND "deletedAt" IS NULL RETURNING "id"`,
  postgres: `UPDATE "Webhook" SET "enabled" = false, "disabledReason" = $2, "updatedAt" = $3
    WHERE "id" = $1 AND "enabled" = true AND "deletedAt" IS NULL RETURNING "id"`,
  params: (p) => [p.webhookId, p.reason, new Date()],
  row: (r) => asInt(r.id),
});

/** Live webhooks whose circuit is not closed (the webhook_circuit_open gauge). */
export const countOpenCircuits = statement<Record<string, never>, number>({
  name: "dispatch_count_open_circuits",
  sqlite: `SELECT count(*) AS "n" FROM "Webhook" WHERE "circuitState" IN ('open', 'half_open') AND "enabled" = true AND "deletedAt" IS NULL`,
  postgres: `SELECT count(*) AS "n" FROM "Webhook" WHERE "circuitState" IN ('open', 'half_open') AND "enabled" = true AND "deletedAt" IS NULL`,
  params: () => [],
  row: (r) => asInt(r.n),
});
