// The delivery log's durationMs (extension): the last attempt's duration in the list, the detail
// and the live webhook.delivery payload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "../src/db/client.ts";
import { listDeliveries } from "../src/webhooks/outgoing/deliveries.service.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { seedDelivery } from "./helpers/webhook-fixtures.ts";
import { createWebhook, waitUntil } from "./helpers/webhooks.ts";

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

/** An attempt row of a seeded delivery (only the fields that matter here vary). */
const attemptRow = (deliveryId: number, number: number, durationMs: number) => ({
  deliveryId,
  number,
  startedAt: new Date(1_700_000_000_000 + number * 1000),
  durationMs,
  requestHeaders: "{}",
  requestBody: "{}",
  responseStatus: 500,
  responseHeaders: "{}",
  responseBody: "",
  error: "HTTP 500",
});

describe("durationMs (extension): how long the last attempt took", () => {
  it("gives each listed delivery the duration of its highest-numbered attempt, null when never tried", async () => {
    const w = await createWebhook(admin, roomId);
    const db = server.app.ctx.db;
    const never = await seedDelivery(server, w.id, { status: "pending" });
    const once = await seedDelivery(server, w.id, { status: "failed", attempts: 1, lastStatusCode: 500 });
    const thrice = await seedDelivery(server, w.id, { status: "dead", attempts: 3, lastStatusCode: 500 });
    await db.webhookAttempt.create({ data: attemptRow(once.id, 1, 17) });
    // Written out of order, with the longest first: the last attempt is the highest number, not the newest row.
    await db.webhookAttempt.create({ data: attemptRow(thrice.id, 3, 5) });
    await db.webhookAttempt.create({ data: attemptRow(thrice.id, 1, 900) });
    await db.webhookAttempt.create({ data: attemptRow(thrice.id, 2, 40) });

    const list = await deliveriesOf(w.id);
    expect(list.map((d) => [d.id, d.durationMs])).toEqual([
      [thrice.id, 5],
      [once.id, 17],
      [never.id, null],
    ]);
    // The status filter and paging keep it.
    const dead = await admin.api.get(`${hooks()}/${w.id}/deliveries?status=dead`);
    expect(dead.body.deliveries).toEqual([expect.objectContaining({ id: thrice.id, durationMs: 5 })]);
    const paged = await admin.api.get(`${hooks()}/${w.id}/deliveries?limit=1&before=${thrice.id}`);
    expect(paged.body.deliveries).toEqual([expect.objectContaining({ id: once.id, durationMs: 17 })]);

    // The single delivery agrees with its attempts.
    const detail = await admin.api.get(`${hooks()}/${w.id}/deliveries/${thrice.id}`);
    expect(detail.body.delivery.durationMs).toBe(5);
    expect(detail.body.attempts.at(-1).durationMs).toBe(5);
    expect((await admin.api.get(`${hooks()}/${w.id}/deliveries/${never.id}`)).body.delivery.durationMs).toBeNull();
  });

  it("looks the page's durations up in one query, not one per delivery", async () => {
    const w = await createWebhook(admin, roomId);
    const db = server.app.ctx.db;
    for (let i = 0; i < 12; i++) {
      const d = await seedDelivery(server, w.id, { status: "failed", attempts: 2, lastStatusCode: 500 });
      await db.webhookAttempt.createMany({ data: [attemptRow(d.id, 1, 100 + i), attemptRow(d.id, 2, i)] });
    }
    // The service on a view of the real client that notes what it touches (the client itself is left alone).
    const used: string[] = [];
    const counting = new Proxy(db, {
      get(target, prop) {
        if (typeof prop === "string") used.push(prop);
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    }) as Db;
    const list = async (webhookId: number) =>
      (await listDeliveries({ db: counting, bus: server.app.ctx.bus }, admin.id, roomId, webhookId, { limit: 50 })).deliveries;

    expect((await list(w.id)).map((d) => d.durationMs)).toEqual([11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
    expect(used.filter((p) => p === "$queryRaw")).toHaveLength(1);
    expect(used.filter((p) => p === "webhookDelivery")).toHaveLength(1);
    expect(used).not.toContain("webhookAttempt");
    expect(used).not.toContain("$queryRawUnsafe");

    // A page of deliveries never tried needs no lookup at all.
    const fresh = await createWebhook(admin, roomId);
    for (let i = 0; i < 3; i++) await seedDelivery(server, fresh.id, { status: "pending" });
    used.length = 0;
    expect((await list(fresh.id)).map((d) => d.durationMs)).toEqual([null, null, null]);
    expect(used).not.toContain("$queryRaw");
  });

  it("is in the webhook.delivery payload: the attempt's own duration, then the same value in the log", async () => {
    // Private networks are refused here, so the one attempt fails at once and the delivery dies.
    const room = (await buildRoom(admin, [], "Duration room")).id;
    const w = await createWebhook(admin, room, { maxAttempts: 1 });
    const published: any[] = [];
    const off = server.app.ctx.bus.on("webhook.delivery", (p) => {
      if (p.webhookId === w.id) published.push(p.delivery);
    });
    try {
      await sendText(admin, room, "how long?");
      const dead = await waitUntil(() => published.find((d) => d.status === "dead"), "the dead delivery on the bus");
      expect(dead).toMatchObject({ attempts: 1, durationMs: expect.any(Number) });
      expect(dead.durationMs).toBeGreaterThanOrEqual(0);
      const [listed] = await deliveriesOf(w.id, room);
      expect(listed).toMatchObject({ id: dead.id, status: "dead", durationMs: dead.durationMs });
      const detail = await admin.api.get(`${hooks(room)}/${w.id}/deliveries/${dead.id}`);
      expect(detail.body.attempts).toHaveLength(1);
      expect(detail.body.attempts[0].durationMs).toBe(dead.durationMs);
    } finally {
      off();
    }
  });

  it("a delivery the dispatcher kills unsent (its webhook disabled) is published with its last attempt's duration", async () => {
    const room = (await buildRoom(admin, [], "Killed room")).id;
    const w = await createWebhook(admin, room);
    const db = server.app.ctx.db;
    const tried = await seedDelivery(server, w.id, { status: "failed", attempts: 2, lastStatusCode: 503 });
    const untried = await seedDelivery(server, w.id, { status: "pending" });
    await db.webhookAttempt.createMany({ data: [attemptRow(tried.id, 1, 70), attemptRow(tried.id, 2, 33)] });
    const published: any[] = [];
    const off = server.app.ctx.bus.on("webhook.delivery", (p) => {
      if (p.webhookId === w.id) published.push(p.delivery);
    });
    try {
      // Disabled behind the API's back, then both fall due: the dispatcher claims them and kills them.
      await db.webhook.update({ where: { id: w.id }, data: { enabled: false } });
      await db.webhookDelivery.updateMany({ where: { webhookId: w.id }, data: { nextAttemptAt: new Date() } });
      await waitUntil(() => published.filter((d) => d.status === "dead").length === 2, "both deliveries killed on the bus");
      const byId = new Map(published.map((d) => [d.id, d]));
      expect(byId.get(tried.id)).toMatchObject({ status: "dead", attempts: 2, durationMs: 33 });
      expect(byId.get(untried.id)).toMatchObject({ status: "dead", attempts: 0, durationMs: null });
    } finally {
      off();
    }
  });
});
