// Outgoing webhooks through the real settings API, and bounded waits (the one polling helper).
import type { TestUser } from "./factories.ts";
import { UNREACHABLE_URL } from "./webhook-fixtures.ts";
import type { AttemptDto, DeliveryDto, WebhookDto } from "../../src/contracts/index.ts";

export type { AttemptDto, DeliveryDto, WebhookDto };

/** A webhook made through the API; the URL defaults to one nothing listens on (UNREACHABLE_URL). */
export async function createWebhook(admin: TestUser, roomId: number, body: Record<string, unknown> = {}): Promise<WebhookDto> {
  const res = await admin.api.post(`/api/rooms/${roomId}/webhooks`, { url: UNREACHABLE_URL, ...body });
  if (res.status !== 201) throw new Error(`create webhook failed: ${res.status} ${res.text}`);
  return res.body.webhook;
}

export async function getWebhook(admin: TestUser, w: { roomId: number; id: number }): Promise<WebhookDto> {
  const res = await admin.api.get(`/api/rooms/${w.roomId}/webhooks/${w.id}`);
  if (res.status !== 200) throw new Error(`get webhook failed: ${res.status} ${res.text}`);
  return res.body.webhook;
}

export async function listDeliveries(admin: TestUser, w: { roomId: number; id: number }, query = ""): Promise<DeliveryDto[]> {
  const res = await admin.api.get(`/api/rooms/${w.roomId}/webhooks/${w.id}/deliveries${query}`);
  if (res.status !== 200) throw new Error(`list deliveries failed: ${res.status} ${res.text}`);
  return res.body.deliveries;
}

export async function getDelivery(admin: TestUser, w: { roomId: number; id: number }, deliveryId: number) {
  const res = await admin.api.get(`/api/rooms/${w.roomId}/webhooks/${w.id}/deliveries/${deliveryId}`);
  if (res.status !== 200) throw new Error(`get delivery failed: ${res.status} ${res.text}`);
  return res.body as { delivery: DeliveryDto; attempts: AttemptDto[] };
}

/** Polls `probe` until it returns something truthy (never a fixed sleep); fails after `timeoutMs` with the last value seen. */
export async function waitUntil<T>(
  probe: () => Promise<T | undefined | null | false> | T | undefined | null | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    const value = await probe();
    if (value) return value;
    last = value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The deliveries of a webhook once all of them are final (succeeded or dead) and there are `count`. */
export function waitForFinalDeliveries(admin: TestUser, w: { roomId: number; id: number }, count: number, timeoutMs?: number) {
  return waitUntil(
    async () => {
      const list = await listDeliveries(admin, w, "?limit=100");
      return list.length >= count && list.every((d) => d.status === "succeeded" || d.status === "dead") ? list : undefined;
    },
    `${count} final deliveries`,
    timeoutMs,
  );
}
