// The delivery log API: what the outbox writes, listing with filters and paging, one delivery with
// its attempts, and redelivery (the durations: webhook-delivery-durations.test.ts). Runs without
// sending anything (private networks stay refused).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorFields } from "./helpers/api.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { seedDelivery } from "./helpers/webhook-fixtures.ts";
import { createWebhook } from "./helpers/webhooks.ts";

let server: TestServer;
let admin: TestUser;
let other: TestUser;
let roomId: number;
const hooks = (room = roomId) => `/api/rooms/${room}/webhooks`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await buildUser(server.url, { displayName: "Admin" });
  other = await buildUser(server.url);
  roomId = (await buildRoom(admin, [other])).id;
});
afterAll(() => server.close());

const deliveriesOf = async (webhookId: number, room = roomId) => {
  const res = await admin.api.get(`${hooks(room)}/${webhookId}/deliveries`);
  expect(res.status).toBe(200);
  return res.body.deliveries as any[];
};

describe("what the outbox writes", () => {
  it("a message makes exactly one delivery per enabled webhook subscribed to message.created, with one event id", async () => {
    const room = (await buildRoom(admin, [other], "Outbox room")).id;
    const a = await createWebhook(admin, room, { name: "A" });
    const b = await createWebhook(admin, room, { name: "B", events: ["message.created", "message.deleted", "member.added"] });
    const c = await createWebhook(admin, room, { name: "C", events: ["room.updated"] });
    const d = await createWebhook(admin, room, { name: "D", enabled: false });
    const e = await createWebhook(admin, room, { name: "E" });
    await admin.api.delete(`${hooks(room)}/${e.id}`);
    const elsewhere = await createWebhook(admin, (await buildRoom(admin, [], "Elsewhere")).id);

    const message = await sendText(other, room, "hello hooks");

    const [da, db] = [await deliveriesOf(a.id, room), await deliveriesOf(b.id, room)];
    expect(da).toHaveLength(1);
    expect(db).toHaveLength(1);
    expect(da[0]).toMatchObject({ webhookId: a.id, event: "message.created", attempts: expect.any(Number) });
    // Sending may already have begun (and been refused): the row is open either way.
    expect(["pending", "failed"]).toContain(da[0].status);
    expect(da[0].eventId).toBe(db[0].eventId);
    expect(await deliveriesOf(c.id, room)).toEqual([]);
    expect(await deliveriesOf(d.id, room)).toEqual([]);
    expect(await server.app.ctx.db.webhookDelivery.count({ where: { webhookId: { in: [e.id, elsewhere.id] } } })).toBe(0);

    const detail = await admin.api.get(`${hooks(room)}/${a.id}/deliveries/${da[0].id}`);
    expect(detail.body.delivery.payload).toMatchObject({
      type: "message.created",
      data: { message: { id: message.id, body: { text: "hello hooks" } } },
      headers: { "Content-Type": "application/json", "Verification-Signature": a.verificationSignature },
    });

    // Other events reach only their subscribers.
    await admin.api.patch(`/api/rooms/${room}`, { name: "Renamed" });
    const dc = await deliveriesOf(c.id, room);
    expect(dc.map((x) => x.event)).toEqual(["room.updated"]);
    expect((await deliveriesOf(a.id, room)).map((x) => x.event)).toEqual(["message.created"]);
  });
});

describe("list", () => {
  let webhookId: number;
  const ids: Record<string, number[]> = { pending: [], failed: [], succeeded: [], dead: [] };
  const order = ["succeeded", "dead", "pending", "failed", "succeeded", "succeeded", "dead", "failed"];

  beforeAll(async () => {
    webhookId = (await createWebhook(admin, roomId)).id;
    for (const status of order) ids[status]!.push((await seedDelivery(server, webhookId, { status })).id);
  });

  it("lists newest first with the contract's fields and the last attempt's durationMs", async () => {
    const list = await deliveriesOf(webhookId);
    expect(list).toHaveLength(order.length);
    const listedIds = list.map((d) => d.id);
    expect(listedIds).toEqual([...listedIds].sort((x, y) => y - x));
    for (const d of list) {
      expect(Object.keys(d).sort()).toEqual(
        ["id", "webhookId", "eventId", "event", "status", "attempts", "nextAttemptAt", "lastStatusCode", "createdAt", "completedAt", "durationMs"].sort(),
      );
      expect(typeof d.createdAt).toBe("number");
      // Seeded without attempts.
      expect(d.durationMs).toBeNull();
      expect(d).not.toHaveProperty("payload");
    }
  });

  it("filters by status", async () => {
    for (const status of ["pending", "failed", "succeeded", "dead"]) {
      const res = await admin.api.get(`${hooks()}/${webhookId}/deliveries?status=${status}`);
      expect(res.status).toBe(200);
      expect(res.body.deliveries.map((d: { id: number }) => d.id)).toEqual([...ids[status]!].reverse());
    }
  });

  it("pages with before and limit", async () => {
    const all = (await deliveriesOf(webhookId)).map((d) => d.id);
    const first = await admin.api.get(`${hooks()}/${webhookId}/deliveries?limit=3`);
    expect(first.body.deliveries.map((d: { id: number }) => d.id)).toEqual(all.slice(0, 3));
    const next = await admin.api.get(`${hooks()}/${webhookId}/deliveries?limit=3&before=${all[2]}`);
    expect(next.body.deliveries.map((d: { id: number }) => d.id)).toEqual(all.slice(3, 6));
    const filtered = await admin.api.get(`${hooks()}/${webhookId}/deliveries?status=succeeded&limit=1&before=${ids.succeeded![2]}`);
    expect(filtered.body.deliveries.map((d: { id: number }) => d.id)).toEqual([ids.succeeded![1]]);
    const none = await admin.api.get(`${hooks()}/${webhookId}/deliveries?before=${Math.min(...all)}`);
    expect(none.body.deliveries).toEqual([]);
  });

  it("limits to 50 by default", async () => {
    const w = await createWebhook(admin, roomId);
    for (let i = 0; i < 55; i++) await seedDelivery(server, w.id, { status: "succeeded" });
    expect(await deliveriesOf(w.id)).toHaveLength(50);
    const hundred = await admin.api.get(`${hooks()}/${w.id}/deliveries?limit=100`);
    expect(hundred.body.deliveries).toHaveLength(55);
  });

  it.each([
    ["status=done", "status"],
    ["status=", "status"],
    ["status=pending&status=dead", "status"],
    ["limit=0", "limit"],
    ["limit=101", "limit"],
    ["limit=abc", "limit"],
    ["limit=1&limit=2", "limit"],
    ["before=0", "before"],
    ["before=-4", "before"],
    ["before=xyz", "before"],
  ])("refuses ?%s with 400 naming %s", async (qs, field) => {
    const res = await admin.api.get(`${hooks()}/${webhookId}/deliveries?${qs}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(errorFields(res)).toContain(field);
  });
});

describe("one delivery", () => {
  it("returns the delivery and its attempts oldest first, JSON fields parsed", async () => {
    const w = await createWebhook(admin, roomId);
    const d = await seedDelivery(server, w.id, { status: "succeeded", attempts: 2, lastStatusCode: 200 });
    const db = server.app.ctx.db;
    const attempt = (number: number, status: number | null, error: string | null) => ({
      deliveryId: d.id,
      number,
      startedAt: new Date(1_700_000_000_000 + number * 1000),
      durationMs: 10 * number,
      requestHeaders: JSON.stringify({ "webhook-id": d.eventId, "X-Webhook-Event": "message.created" }),
      requestBody: d.payload,
      responseStatus: status,
      responseHeaders: status === null ? null : JSON.stringify({ "content-type": "text/plain" }),
      responseBody: status === null ? null : "ok",
      error,
    });
    // Written out of order: the API orders them by number.
    await db.webhookAttempt.create({ data: attempt(2, 200, null) });
    await db.webhookAttempt.create({ data: attempt(1, null, "connection refused by 127.0.0.1:9 (ECONNREFUSED)") });

    const res = await admin.api.get(`${hooks()}/${w.id}/deliveries/${d.id}`);
    expect(res.status).toBe(200);
    expect(res.body.delivery).toMatchObject({ id: d.id, webhookId: w.id, eventId: d.eventId, status: "succeeded", attempts: 2, lastStatusCode: 200, durationMs: 20 });
    expect(res.body.attempts).toEqual([
      {
        number: 1, startedAt: 1_700_000_001_000, durationMs: 10,
        requestHeaders: { "webhook-id": d.eventId, "X-Webhook-Event": "message.created" },
        requestBody: d.payload, responseStatus: null, responseHeaders: null, responseBody: null,
        error: "connection refused by 127.0.0.1:9 (ECONNREFUSED)",
      },
      {
        number: 2, startedAt: 1_700_000_002_000, durationMs: 20,
        requestHeaders: { "webhook-id": d.eventId, "X-Webhook-Event": "message.created" },
        requestBody: d.payload, responseStatus: 200, responseHeaders: { "content-type": "text/plain" }, responseBody: "ok",
        error: null,
      },
    ]);
  });

  it("answers 404 for an unknown delivery or one of another webhook, 400 for a malformed id", async () => {
    const w1 = await createWebhook(admin, roomId);
    const w2 = await createWebhook(admin, roomId);
    const d2 = await seedDelivery(server, w2.id, { status: "succeeded" });
    expect((await admin.api.get(`${hooks()}/${w1.id}/deliveries/${d2.id}`)).status).toBe(404);
    expect((await admin.api.get(`${hooks()}/${w1.id}/deliveries/99999999`)).status).toBe(404);
    expect((await admin.api.post(`${hooks()}/${w1.id}/deliveries/${d2.id}/redeliver`)).status).toBe(404);
    const bad = await admin.api.get(`${hooks()}/${w1.id}/deliveries/nope`);
    expect(bad.status).toBe(400);
    expect(errorFields(bad)).toContain("deliveryId");
  });
});

describe("redeliver", () => {
  it("makes a new pending delivery of the same event and payload, answered 202", async () => {
    const w = await createWebhook(admin, roomId);
    const original = await seedDelivery(server, w.id, { status: "dead", attempts: 8, lastStatusCode: 500, event: "member.added" });
    const res = await admin.api.post(`${hooks()}/${w.id}/deliveries/${original.id}/redeliver`);
    expect(res.status).toBe(202);
    const d = res.body.delivery;
    expect(d).toMatchObject({ webhookId: w.id, eventId: original.eventId, event: "member.added", status: "pending", attempts: 0, lastStatusCode: null, completedAt: null, durationMs: null });
    expect(d.id).toBeGreaterThan(original.id);

    const copy = await admin.api.get(`${hooks()}/${w.id}/deliveries/${d.id}`);
    const first = await admin.api.get(`${hooks()}/${w.id}/deliveries/${original.id}`);
    expect(copy.body.delivery.payload).toEqual(first.body.delivery.payload);
    // Its own attempt series: none of the original's attempts are carried over.
    expect(copy.body.attempts.every((x: { number: number }) => x.number === 1)).toBe(true);
    expect(first.body.delivery).toMatchObject({ status: "dead", attempts: 8 });
    expect((await deliveriesOf(w.id)).map((x) => x.id)).toEqual([d.id, original.id]);
  });

  it("answers 409 for a disabled webhook", async () => {
    const w = await createWebhook(admin, roomId);
    const original = await seedDelivery(server, w.id, { status: "succeeded" });
    await admin.api.patch(`${hooks()}/${w.id}`, { enabled: false });
    const res = await admin.api.post(`${hooks()}/${w.id}/deliveries/${original.id}/redeliver`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
    expect((await deliveriesOf(w.id)).length).toBe(1);
  });
});
