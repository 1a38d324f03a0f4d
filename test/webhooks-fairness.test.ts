// Fairness and size in the dispatcher: one room's dead endpoints (connections accepted, never
// answered) do not hold up another room; a webhook with 1,200 open deliveries is disabled with all
// of them killed and its notice posted; more than 999 deliveries held at once keep their leases
// (renewed in one statement) and none is sent twice.
import net from "node:net";
import { afterEach, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText } from "./helpers/factories.ts";
import { createWebhook, listDeliveries, waitUntil } from "./helpers/webhooks.ts";
import { enqueueDeliveries } from "../src/webhooks/outgoing/outbox/enqueue.ts";
import { markerData } from "./helpers/webhook-fixtures.ts";

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Accepts connections and never answers: each attempt to it hangs until the attempt timeout. */
async function blackHole(): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    sockets.add(s);
    s.on("data", () => {});
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}/hole`;
}

async function serverWith(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", ...env });
  cleanup.push(() => server.close());
  return server;
}

async function receiverTracked(): Promise<Receiver> {
  const receiver = await startReceiver();
  cleanup.push(() => receiver.close());
  return receiver;
}

it("keeps another room's deliveries flowing while 50 webhooks of one room hang", async () => {
  // 16 slots, so without a per-room cap the stuck room would take every one of them.
  const server = await serverWith({ WEBHOOK_CONCURRENCY: "16", WEBHOOK_TIMEOUT_MS: "60000" });
  const hole = await blackHole();
  const receiver = await receiverTracked();
  const admin = await buildUser(server.url);
  const stuck = await buildRoom(admin, [], "stuck");
  for (let i = 0; i < 50; i++) await createWebhook(admin, stuck.id, { url: `${hole}/${i}` });
  await sendText(admin, stuck.id, "into the void");
  await sendText(admin, stuck.id, "and again");
  const other = await buildRoom(admin, [], "other");
  await createWebhook(admin, other.id, { url: `${receiver.url}/other` });
  for (let i = 0; i < 3; i++) await sendText(admin, other.id, `still here ${i}`);
  // Without fairness these wait for the 60 s timeouts of the stuck room's attempts.
  await receiver.waitFor(3, 10_000);
  expect(receiver.requests.map((r) => JSON.parse(r.body).data.message.body.text)).toEqual(["still here 0", "still here 1", "still here 2"]);
});

it("disables a webhook with 1,200 open deliveries on a 410, killing all of them, and posts its notice", async () => {
  const server = await serverWith({});
  const receiver = await receiverTracked();
  receiver.respond = () => ({ status: 410 });
  const admin = await buildUser(server.url);
  const room = await buildRoom(admin, [], "big backlog");
  const w = await createWebhook(admin, room.id, { url: `${receiver.url}/gone` });
  await server.app.ctx.sql.transaction(async (q) => {
    for (let i = 0; i < 1200; i++) {
      await enqueueDeliveries(q, [{ id: w.id, events: '["message.created"]', verificationSignature: w.verificationSignature }], { event: "message.created", roomId: room.id, data: markerData({ i }) });
    }
  });
  server.app.ctx.bus.publish("outbox.enqueued", { webhookIds: [w.id] });
  const db = server.app.ctx.db;
  await waitUntil(async () => (await db.webhookDelivery.count({ where: { webhookId: w.id, status: "dead" } })) === 1200, "1,200 dead deliveries");
  expect(receiver.requests).toHaveLength(1);
  expect((await db.webhook.findUnique({ where: { id: w.id } }))?.disabledReason).toMatch(/410 Gone/);
  await waitUntil(async () => {
    const res = await admin.api.get(`/api/rooms/${room.id}/messages`);
    return res.body.messages.some((m: { body: { text: string } }) => /was disabled automatically/.test(m.body.text));
  }, "the notice in the room");
  expect((await listDeliveries(admin, w, "?status=pending")).length).toBe(0);
});

it("holds more than 999 deliveries across leases renewed in one statement, sending none twice", async () => {
  // Short leases: without working renewals they lapse while held and are claimed (and sent) again.
  const server = await serverWith({ WEBHOOK_CONCURRENCY: "64", WEBHOOK_LEASE_MS: "1000", WEBHOOK_POLL_MS: "50", WEBHOOK_TIMEOUT_MS: "120000" });
  const receiver = await receiverTracked();
  // The first request of each webhook is answered after several lease lengths; the rest at once.
  receiver.respond = (_req, index) => (index < 20 ? { status: 200, delayMs: 6000 } : { status: 200 });
  const admin = await buildUser(server.url);
  const webhooks: { room: { id: number }; w: Awaited<ReturnType<typeof createWebhook>> }[] = [];
  for (let r = 0; r < 4; r++) {
    const room = await buildRoom(admin, [], `room ${r}`);
    for (let i = 0; i < 5; i++) webhooks.push({ room, w: await createWebhook(admin, room.id, { url: `${receiver.url}/${r}/${i}` }) });
  }
  await server.app.ctx.sql.transaction(async (q) => {
    for (const { room, w } of webhooks) {
      for (let i = 0; i < 64; i++) {
        await enqueueDeliveries(q, [{ id: w.id, events: '["message.created"]', verificationSignature: w.verificationSignature }], { event: "message.created", roomId: room.id, data: markerData({ i }) });
      }
    }
  });
  server.app.ctx.bus.publish("outbox.enqueued", { webhookIds: webhooks.map((x) => x.w.id) });
  const db = server.app.ctx.db;
  // 20 webhooks x 64: all 1,280 claimed and held (one in flight per webhook, hanging).
  await waitUntil(async () => (await db.webhookDelivery.count({ where: { leaseUntil: { not: null } } })) === 1280, "1,280 held");
  // Several lease lengths pass: the leases are renewed, nothing is claimed twice.
  const firstLease = (await db.webhookDelivery.findFirst({ where: { leaseUntil: { not: null } }, orderBy: { id: "desc" } }))!.leaseUntil!;
  await waitUntil(async () => {
    const newest = await db.webhookDelivery.findFirst({ where: { leaseUntil: { not: null } }, orderBy: { id: "desc" } });
    return newest!.leaseUntil!.getTime() > firstLease.getTime() + 2000;
  }, "renewed leases");
  expect(receiver.requests.length).toBe(20);
  await waitUntil(async () => (await db.webhookDelivery.count({ where: { status: "succeeded" } })) === 1280, "all delivered", 60_000);
  const ids = receiver.requests.map((r) => r.headers["webhook-id"]);
  expect(new Set(ids).size).toBe(ids.length);
}, 90_000);
