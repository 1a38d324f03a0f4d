// Replay (README "Replay", docs/api.md): POST .../replay {since, statuses? = ["dead"]} -> 202 {count},
// one redelivery for each of the webhook's deliveries created at or after `since` whose status is
// listed, the newest delivery per event counting (replaying twice does not double), queued in event
// order; a disabled webhook answers 409. And the delivery log's filters: status, event, paging.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorFields, request } from "./helpers/api.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { startGatedReceiver, messageText, type GatedReceiver } from "./helpers/gated-receiver.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { createWebhook, listDeliveries, waitUntil, type WebhookDto } from "./helpers/webhooks.ts";

let server: TestServer;
let receiver: GatedReceiver;
let admin: TestUser;
let member: TestUser;
let outsider: TestUser;
let roomId: number;

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_DELAYS_MS: "50", WEBHOOK_CIRCUIT_FAILURES: "1000" });
  receiver = await startGatedReceiver("fail");
  admin = await buildUser(server.url);
  member = await buildUser(server.url);
  outsider = await buildUser(server.url);
  roomId = (await buildRoom(admin, [member])).id;
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const replayPath = (w: { id: number }, room = roomId) => `/api/rooms/${room}/webhooks/${w.id}/replay`;
const delivered = (path: string) => receiver.requests.filter((r) => r.url === path && r.status === 200);
const allFinal = (w: WebhookDto, count: number) =>
  waitUntil(async () => {
    const list = await listDeliveries(admin, w, "?limit=100");
    return list.length === count && list.every((d) => d.status === "succeeded" || d.status === "dead") ? list : undefined;
  }, `${count} final deliveries`);

describe("replay", () => {
  it("redelivers the dead deliveries since a time, in event order, with the same webhook-id, once per event", async () => {
    receiver.mode = "fail";
    const w = await createWebhook(admin, roomId, { url: `${receiver.url}/replay`, maxAttempts: 1 });
    for (let i = 0; i < 4; i++) {
      await sendText(admin, roomId, `r${i}`);
      // Distinct creation times, so `since` can fall between two of them.
      await new Promise((r) => setTimeout(r, 3));
    }
    const dead = (await allFinal(w, 4)).reverse();
    expect(dead.map((d) => d.status)).toEqual(["dead", "dead", "dead", "dead"]);
    receiver.mode = "ok";

    // From r2 on first: what the confirmation would say, then the replay itself.
    const since = dead[2]!.createdAt;
    const preview = await admin.api.post(`${replayPath(w)}/preview`, { since });
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({ count: 2 });
    const first = await admin.api.post(replayPath(w), { since });
    expect(first.status).toBe(202);
    expect(first.body).toEqual({ count: 2 });
    // Then everything: r2 and r3 are not queued again (their newest delivery is the replay's).
    const second = await admin.api.post(replayPath(w), { since: 0, statuses: ["dead"] });
    expect(second.body).toEqual({ count: 2 });
    await waitUntil(async () => delivered("/replay").length >= 4, "four redeliveries");
    expect(delivered("/replay").map((r) => messageText(r.body))).toEqual(["r2", "r3", "r0", "r1"]);
    expect(delivered("/replay").map((r) => r.headers["webhook-id"])).toEqual([2, 3, 0, 1].map((i) => dead[i]!.eventId));
    const log = await allFinal(w, 8);
    const byEvent = new Map(dead.map((d) => [d.eventId, d]));
    expect(log.filter((d) => d.status === "succeeded").every((d) => byEvent.has(d.eventId))).toBe(true);
    // Nothing left to replay, and nothing new is sent.
    expect((await admin.api.post(replayPath(w), { since: 0 })).body).toEqual({ count: 0 });
    // Succeeded ones, when asked for: the newest delivery of each of the four events.
    expect((await admin.api.post(`${replayPath(w)}/preview`, { since: 0, statuses: ["succeeded", "failed"] })).body).toEqual({ count: 4 });
  });

  it("picks failed deliveries (waiting for a retry) when asked, and leaves pending ones", async () => {
    const w = await createWebhook(admin, roomId, { url: `${receiver.url}/failed`, enabled: false });
    const db = server.app.ctx.db;
    const later = new Date(Date.now() + 3_600_000);
    const seed = (eventId: string, status: string) =>
      db.webhookDelivery.create({ data: { webhookId: w.id, eventId, event: "webhook.ping", payload: "{}", status, attempts: status === "pending" ? 0 : 1, nextAttemptAt: later } });
    await seed("evt_failed", "failed");
    await seed("evt_pending", "pending");
    await seed("evt_dead", "dead");
    // Disabled: 409, and nothing queued.
    const refused = await admin.api.post(replayPath(w), { since: 0, statuses: ["failed"] });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("conflict");
    expect((await admin.api.post(`${replayPath(w)}/preview`, { since: 0 })).status).toBe(409);
    expect(await db.webhookDelivery.count({ where: { webhookId: w.id } })).toBe(3);
    // Enabled (without killing the seeded rows, which an API enable would not touch either).
    await db.webhook.update({ where: { id: w.id }, data: { enabled: true } });
    expect((await admin.api.post(`${replayPath(w)}/preview`, { since: 0, statuses: ["failed"] })).body).toEqual({ count: 1 });
    expect((await admin.api.post(`${replayPath(w)}/preview`, { since: 0, statuses: ["failed", "dead"] })).body).toEqual({ count: 2 });
  });

  it.each([
    [{}, "since"],
    [{ since: "1767000000000" }, "since"],
    [{ since: -5 }, "since"],
    [{ since: 1.5 }, "since"],
    [{ since: 0, statuses: [] }, "statuses"],
    [{ since: 0, statuses: ["pending"] }, "statuses.0"],
    [{ since: 0, statuses: "dead" }, "statuses"],
  ])("refuses %j with 400 naming %s", async (bad, field) => {
    const w = await createWebhook(admin, roomId, { url: `${receiver.url}/bad` });
    for (const path of [replayPath(w), `${replayPath(w)}/preview`]) {
      const res = await admin.api.post(path, bad);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
      expect(errorFields(res)).toContain(field);
    }
  });

  it("is for the room's admins: members 403, others 404, no token 401, a missing webhook 404", async () => {
    const w = await createWebhook(admin, roomId, { url: `${receiver.url}/who` });
    expect((await member.api.post(replayPath(w), { since: 0 })).status).toBe(403);
    expect((await outsider.api.post(replayPath(w), { since: 0 })).status).toBe(404);
    expect((await request(server.url, "POST", replayPath(w), { body: { since: 0 } })).status).toBe(401);
    expect((await admin.api.post(replayPath({ id: 999_999 }), { since: 0 })).status).toBe(404);
    const otherRoom = await buildRoom(admin);
    expect((await admin.api.post(replayPath(w, otherRoom.id), { since: 0 })).status).toBe(404);
    expect((await member.api.post(`${replayPath(w)}/preview`, { since: 0 })).status).toBe(403);
  });
});

describe("the delivery log's filters", () => {
  it("filters by event (and status), pages through `before`, and refuses unknown or repeated events", async () => {
    receiver.mode = "ok";
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/log`, events: ["message.created", "member.added", "member.removed"] });
    const extra = await buildUser(server.url);
    for (let i = 0; i < 3; i++) {
      await sendText(admin, room.id, `l${i}`);
      expect((await admin.api.post(`/api/rooms/${room.id}/members`, { userId: extra.id })).status).toBe(201);
      expect((await admin.api.delete(`/api/rooms/${room.id}/members/${extra.id}`)).status).toBe(204);
    }
    await allFinal(w, 9);
    const added = await listDeliveries(admin, w, "?event=member.added");
    expect(added.map((d) => d.event)).toEqual(["member.added", "member.added", "member.added"]);
    expect(added.map((d) => d.id)).toEqual([...added.map((d) => d.id)].sort((a, b) => b - a));
    // Paging within the filter.
    const page1 = await listDeliveries(admin, w, "?event=message.created&limit=2");
    const page2 = await listDeliveries(admin, w, `?event=message.created&limit=2&before=${page1.at(-1)!.id}`);
    expect([...page1, ...page2].map((d) => d.event)).toEqual(Array(3).fill("message.created"));
    expect(page2).toHaveLength(1);
    expect(await listDeliveries(admin, w, "?event=member.removed&status=succeeded")).toHaveLength(3);
    expect(await listDeliveries(admin, w, "?event=member.removed&status=dead")).toEqual([]);
    expect(await listDeliveries(admin, w, "?event=room.updated")).toEqual([]);
    for (const query of ["?event=message.sent", "?event=", "?event=member.added&event=member.removed"]) {
      const res = await admin.api.get(`/api/rooms/${room.id}/webhooks/${w.id}/deliveries${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.details[0].path).toBe("event");
    }
  });
});
