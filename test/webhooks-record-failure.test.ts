// When attempts cannot be recorded (the database refuses the write), the dispatcher stops the
// webhook's lane and gives its deliveries back; once writes work again every delivery is sent and
// recorded, and a reply-enabled webhook posts exactly one reply per message (a reply is posted only
// after its attempt is committed, so the resend of an unrecorded attempt does not reply twice).
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText } from "./helpers/factories.ts";
import { createWebhook, waitUntil } from "./helpers/webhooks.ts";

let server: TestServer;
let receiver: Receiver;
beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_LEASE_MS: "2000" });
  receiver = await startReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

it("stops a lane whose attempts cannot be recorded, and replies once per message when writes come back", async () => {
  receiver.respond = (req) => ({ status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: `pong ${JSON.parse(req.body).data.message.body.text}` }) });
  const admin = await buildUser(server.url);
  const room = await buildRoom(admin);
  const w = await createWebhook(admin, room.id, { url: receiver.url, replyEnabled: true });
  const db = server.app.ctx.db;
  await db.$executeRawUnsafe(`CREATE TRIGGER "refuse_attempts" BEFORE INSERT ON "WebhookAttempt" BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`);
  for (const text of ["a", "b", "c"]) await sendText(admin, room.id, text);
  await receiver.waitFor(1);
  // The records fail: nothing is recorded, nothing is replied.
  await waitUntil(async () => (await db.webhookDelivery.count({ where: { webhookId: w.id, leaseUntil: null } })) > 0 || undefined, "a lease given back");
  expect(await db.webhookAttempt.count()).toBe(0);
  const replies = async () => (await admin.api.get(`/api/rooms/${room.id}/messages`)).body.messages.filter((m: { body: { text: string } }) => m.body.text.startsWith("pong"));
  expect(await replies()).toHaveLength(0);
  // The lane is paused, not hammering the receiver with the same deliveries meanwhile.
  const sentWhileFailing = receiver.requests.length;
  await new Promise((r) => setTimeout(r, 300));
  expect(receiver.requests.length).toBeLessThanOrEqual(sentWhileFailing + 1);

  await db.$executeRawUnsafe(`DROP TRIGGER "refuse_attempts"`);
  await waitUntil(async () => (await db.webhookDelivery.count({ where: { webhookId: w.id, status: "succeeded" } })) === 3, "three deliveries succeeded");
  await waitUntil(async () => ((await replies()).length >= 3 ? true : undefined), "three replies");
  const texts = (await replies()).map((m: { body: { text: string } }) => m.body.text).sort();
  expect(texts).toEqual(["pong a", "pong b", "pong c"]);
  // Sent again after the failed records (at least once), but recorded once each.
  expect(receiver.requests.length).toBeGreaterThanOrEqual(3);
  expect(await db.webhookAttempt.count()).toBe(3);
});

it("goes on with the other webhooks of a claim when the deliveries of a disabled one cannot be marked dead", async () => {
  receiver.respond = () => ({ status: 200, body: "ok" });
  const admin = await buildUser(server.url);
  const room = await buildRoom(admin);
  const disabled = await createWebhook(admin, room.id, { url: `${receiver.url}?hook=disabled` });
  const live = await createWebhook(admin, room.id, { url: `${receiver.url}?hook=live` });
  const db = server.app.ctx.db;
  // Disabled behind the dispatcher's back (as by another process), with deliveries still open.
  await db.webhook.update({ where: { id: disabled.id }, data: { enabled: false } });
  await db.$executeRawUnsafe(
    `CREATE TRIGGER "refuse_kills" BEFORE UPDATE OF "status" ON "WebhookDelivery" WHEN NEW."status" = 'dead' BEGIN SELECT RAISE(ABORT, 'disk trouble'); END`,
  );
  const open = (webhookId: number, text: string) =>
    db.webhookDelivery.create({ data: { webhookId, eventId: `msg_${text}`, event: "message.created", payload: JSON.stringify({ text }) } });
  const stuck = await open(disabled.id, "never sent");
  await open(live.id, "for the live one");
  // One claim takes both webhooks' deliveries (the sweep finds them): the failed kill stops nothing else.
  await waitUntil(() => receiver.requests.find((r) => r.url.includes("hook=live")), "the live webhook's delivery");
  expect((await db.webhookDelivery.findUniqueOrThrow({ where: { id: stuck.id } })).status).toBe("pending");
  expect(receiver.requests.some((r) => r.url.includes("hook=disabled"))).toBe(false);

  // Once writes work again, a later claim marks the disabled webhook's delivery dead.
  await db.$executeRawUnsafe(`DROP TRIGGER "refuse_kills"`);
  await waitUntil(async () => (await db.webhookDelivery.findUniqueOrThrow({ where: { id: stuck.id } })).status === "dead", "the delivery marked dead");
});
