// Fixtures for the webhook settings and delivery-log tests: delivery rows seeded straight into the
// database (for the log's filters and paging). Webhooks themselves: createWebhook (webhooks.ts).
import type { WebhookEventData } from "../../src/contracts/index.ts";
import type { TestServer } from "./server.ts";

/** A marker standing for a message event's data, for tests of the queue's mechanics (order, claims), not of bodies. */
export const markerData = (marker: Record<string, unknown>) => marker as unknown as WebhookEventData["message.created"];

/** The fields API.md promises on every webhook. */
export const WEBHOOK_CONTRACT_FIELDS = [
  "id", "roomId", "name", "url", "events", "method", "contentType", "maxAttempts", "enabled",
  "disabledReason", "verificationSignature", "secret", "headers", "replyEnabled", "createdAt",
];

/** A loopback URL nothing listens on; with private networks refused (the default) nothing is even tried. */
export const UNREACHABLE_URL = "http://127.0.0.1:9/hook";

/**
 * Writes a delivery row straight into the database. Open rows are due in an hour, so a running
 * dispatcher leaves them alone while the test looks at them.
 */
export async function seedDelivery(
  server: TestServer,
  webhookId: number,
  fields: { status?: string; event?: string; eventId?: string; payload?: string; attempts?: number; lastStatusCode?: number } = {},
) {
  const status = fields.status ?? "pending";
  const final = status === "succeeded" || status === "dead";
  const event = fields.event ?? "message.created";
  return server.app.ctx.db.webhookDelivery.create({
    data: {
      webhookId,
      eventId: fields.eventId ?? `msg_seed${Math.random().toString(36).slice(2, 14)}`,
      event,
      payload: fields.payload ?? JSON.stringify({ type: event, timestamp: Date.now(), data: {} }),
      status,
      attempts: fields.attempts ?? 0,
      lastStatusCode: fields.lastStatusCode ?? null,
      nextAttemptAt: new Date(Date.now() + 3_600_000),
      completedAt: final ? new Date() : null,
    },
  });
}
