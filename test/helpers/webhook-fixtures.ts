// Fixtures for the webhook settings and delivery-log tests: a webhook made through the API, delivery
// rows seeded straight into the database (for the log's filters and paging), a bounded poll.
import type { TestServer } from "./server.ts";
import type { TestUser } from "./factories.ts";

/** A loopback URL nothing listens on; with private networks refused (the default) nothing is even tried. */
export const UNREACHABLE_URL = "http://127.0.0.1:9/hook";

export interface BuiltWebhook {
  id: number;
  name: string;
  verificationSignature: string;
  secret: string;
  botUserId: number;
  [field: string]: unknown;
}

export async function buildWebhook(admin: TestUser, roomId: number, overrides: Record<string, unknown> = {}): Promise<BuiltWebhook> {
  const res = await admin.api.post(`/api/rooms/${roomId}/webhooks`, { url: UNREACHABLE_URL, ...overrides });
  if (res.status !== 201) throw new Error(`create webhook failed: ${res.status} ${res.text}`);
  return res.body.webhook;
}

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

/** Polls until `check` gives a truthy value, or fails after `timeoutMs` (never a fixed sleep). */
export async function pollUntil<T>(
  check: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
