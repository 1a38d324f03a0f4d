// The dispatcher as a worker of the app: a graceful stop hands unsent claims back and a restart
// on the same database delivers them; deliveries of a webhook disabled behind its back die unsent.
import { afterEach, expect, it } from "vitest";
import { client } from "./helpers/api.ts";
import { startTestServer } from "./helpers/server.ts";
import { startReceiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText } from "./helpers/factories.ts";
import { createWebhook, waitForFinalDeliveries, waitUntil } from "./helpers/webhooks.ts";

const env = { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_DELAYS_MS: "50" };
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function track<T extends { close(): Promise<void> }>(x: T): Promise<T> {
  cleanup.push(() => x.close());
  return x;
}

it("a graceful stop waits for the attempt in flight, gives the unsent claims back, and a restart sends them", async () => {
  const receiver = await track(await startReceiver());
  receiver.respond = () => ({ status: 200, delayMs: 300 });
  const first = await startTestServer(env);
  const admin = await buildUser(first.url);
  const room = await buildRoom(admin);
  const webhook = await createWebhook(admin, room.id, { url: receiver.url });
  for (let i = 0; i < 5; i++) await sendText(admin, room.id, `m${i}`);
  await receiver.waitFor(1);
  // Stop while the first attempt is in flight: it finishes and is recorded; the others are released.
  await first.close();
  const restarted = await track(await startTestServer(env, { dir: first.dir }));
  const admin2 = { ...admin, api: client(restarted.url, admin.token) };
  const deliveries = await waitForFinalDeliveries(admin2, webhook, 5);
  expect(deliveries.every((d) => d.status === "succeeded")).toBe(true);
  const texts = receiver.requests.map((r) => JSON.parse(r.body).data.message.body.text);
  expect(new Set(texts)).toEqual(new Set(["m0", "m1", "m2", "m3", "m4"]));
  // Released claims are due at once (with a held lease the restart would wait WEBHOOK_LEASE_MS,
  // 30 s, beyond this test's waits), and nothing was sent twice.
  expect(texts).toEqual(["m0", "m1", "m2", "m3", "m4"]);
});

it("deliveries of a webhook that got disabled or deleted die unsent", async () => {
  const server = await track(await startTestServer(env));
  const receiver = await track(await startReceiver());
  receiver.respond = () => ({ status: 503, headers: { "Retry-After": "3600" } });
  const admin = await buildUser(server.url);
  const room = await buildRoom(admin);
  const disabled = await createWebhook(admin, room.id, { url: receiver.url });
  const deleted = await createWebhook(admin, room.id, { url: receiver.url });
  await sendText(admin, room.id, "hello");
  // Both deliveries fail once and wait an hour for their retry...
  const db = server.app.ctx.db;
  const open = (webhookId: number) => db.webhookDelivery.findMany({ where: { webhookId } });
  await waitUntil(async () => {
    const all = [...(await open(disabled.id)), ...(await open(deleted.id))];
    return all.length === 2 && all.every((d) => d.status === "failed");
  }, "two failed deliveries");
  // ...while the webhooks are changed directly in the database (no API call kills their
  // deliveries); then the retries fall due.
  await db.webhook.update({ where: { id: disabled.id }, data: { enabled: false } });
  await db.webhook.update({ where: { id: deleted.id }, data: { deletedAt: new Date() } });
  await db.webhookDelivery.updateMany({ where: { webhookId: { in: [disabled.id, deleted.id] } }, data: { nextAttemptAt: new Date() } });
  for (const w of [disabled, deleted]) {
    const [d] = await waitUntil(async () => {
      const rows = await open(w.id);
      return rows[0]?.status === "dead" ? rows : undefined;
    }, "a dead delivery");
    expect(d).toMatchObject({ status: "dead", attempts: 1 });
    expect(await db.webhookAttempt.count({ where: { deliveryId: d!.id } })).toBe(1);
  }
  expect(receiver.requests).toHaveLength(2);
});
