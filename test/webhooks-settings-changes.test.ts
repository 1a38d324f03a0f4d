// The webhook settings API for a room admin: update, delete, rotate and the test ping.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorFields } from "./helpers/api.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { connectSocket, collect } from "./helpers/sockets.ts";
import { seedDelivery, UNREACHABLE_URL, WEBHOOK_CONTRACT_FIELDS } from "./helpers/webhook-fixtures.ts";
import { createWebhook, waitUntil } from "./helpers/webhooks.ts";

let server: TestServer;
let admin: TestUser;
let roomId: number;
const base = () => `/api/rooms/${roomId}/webhooks`;

beforeAll(async () => {
  server = await startTestServer();
  admin = await buildUser(server.url, { displayName: "Admin" });
  roomId = (await buildRoom(admin)).id;
});
afterAll(() => server.close());

const db = () => server.app.ctx.db;

describe("update", () => {
  it("changes the given fields only", async () => {
    const w = await createWebhook(admin, roomId, { name: "Before", headers: { "X-A": "1" } });
    const res = await admin.api.patch(`${base()}/${w.id}`, {
      url: "http://127.0.0.1:9/new",
      events: ["member.added", "member.removed"],
      method: "PATCH",
      contentType: "application/x-www-form-urlencoded",
      maxAttempts: 20,
      headers: { "X-B": "2" },
      replyEnabled: true,
    });
    expect(res.status).toBe(200);
    expect(res.body.webhook).toMatchObject({
      id: w.id,
      name: "Before",
      url: "http://127.0.0.1:9/new",
      events: ["member.added", "member.removed"],
      method: "PATCH",
      contentType: "application/x-www-form-urlencoded",
      maxAttempts: 20,
      headers: { "X-B": "2" },
      replyEnabled: true,
      enabled: true,
      verificationSignature: w.verificationSignature,
      secret: w.secret,
    });
    expect((await admin.api.get(`${base()}/${w.id}`)).body.webhook).toEqual(res.body.webhook);
  });

  it("renames the webhook's bot with the webhook", async () => {
    const w = await createWebhook(admin, roomId, { name: "Old name" });
    const res = await admin.api.patch(`${base()}/${w.id}`, { name: "New name" });
    expect(res.body.webhook.name).toBe("New name");
    expect((await admin.api.get(`/api/users/${w.botUserId}`)).body.user.displayName).toBe("New name");
  });

  it.each([
    [{}, ""],
    [{ url: "mailto:someone@example.com" }, "url"],
    [{ events: [] }, "events"],
    [{ method: "GET" }, "method"],
    [{ maxAttempts: 100 }, "maxAttempts"],
    [{ enabled: "false" }, "enabled"],
    [{ headers: { "Webhook-Signature": "v1,forged" } }, "headers.Webhook-Signature"],
    [{ name: "" }, "name"],
  ])("refuses %j with 400 naming %j", async (input, field) => {
    const w = await createWebhook(admin, roomId);
    const res = await admin.api.patch(`${base()}/${w.id}`, input);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(errorFields(res)).toContain(field);
    expect((await admin.api.get(`${base()}/${w.id}`)).body.webhook.url).toBe(UNREACHABLE_URL);
  });

  it("disabling kills the pending and failed deliveries, and leaves finished ones alone", async () => {
    const w = await createWebhook(admin, roomId);
    const pending = await seedDelivery(server, w.id, { status: "pending" });
    const failed = await seedDelivery(server, w.id, { status: "failed", attempts: 1, lastStatusCode: 500 });
    const done = await seedDelivery(server, w.id, { status: "succeeded", attempts: 1, lastStatusCode: 200 });
    const res = await admin.api.patch(`${base()}/${w.id}`, { enabled: false });
    expect(res.status).toBe(200);
    expect(res.body.webhook).toMatchObject({ enabled: false, disabledReason: null });
    const list = await admin.api.get(`${base()}/${w.id}/deliveries`);
    const status = Object.fromEntries(list.body.deliveries.map((d: { id: number; status: string }) => [d.id, d.status]));
    expect(status).toEqual({ [pending.id]: "dead", [failed.id]: "dead", [done.id]: "succeeded" });
    const dead = list.body.deliveries.find((d: { id: number }) => d.id === pending.id);
    expect(dead.completedAt).toEqual(expect.any(Number));
    expect(dead.nextAttemptAt).toBeNull();
    // A disabled webhook gets no new deliveries.
    await sendText(admin, roomId, "while disabled");
    expect(await db().webhookDelivery.count({ where: { webhookId: w.id } })).toBe(3);
  });

  it("re-enabling a webhook the dispatcher disabled clears the reason and the dead streak", async () => {
    const w = await createWebhook(admin, roomId);
    await db().webhook.update({ where: { id: w.id }, data: { enabled: false, disabledReason: "5 deliveries in a row died", deadStreak: 5 } });
    const shown = await admin.api.get(`${base()}/${w.id}`);
    expect(shown.body.webhook).toMatchObject({ enabled: false, disabledReason: "5 deliveries in a row died" });
    const res = await admin.api.patch(`${base()}/${w.id}`, { enabled: true });
    expect(res.status).toBe(200);
    expect(res.body.webhook).toMatchObject({ enabled: true, disabledReason: null });
    expect((await db().webhook.findUniqueOrThrow({ where: { id: w.id } })).deadStreak).toBe(0);
  });

  it("a new secret given by hand keeps the old one signing for 24 hours, as a rotation does", async () => {
    const w = await createWebhook(admin, roomId);
    const res = await admin.api.patch(`${base()}/${w.id}`, { secret: "a-brand-new-secret-0123" });
    expect(res.body.webhook.secret).toBe("a-brand-new-secret-0123");
    expect(res.body.webhook.verificationSignature).toBe(w.verificationSignature);
    expect(JSON.stringify(res.body)).not.toContain(w.secret);
    const row = await db().webhook.findUniqueOrThrow({ where: { id: w.id } });
    expect(row.previousSecret).toBe(w.secret);
  });
});

describe("delete", () => {
  it("soft-deletes: 204, then 404 everywhere; open deliveries die; new messages queue nothing for it", async () => {
    const room = (await buildRoom(admin, [], "Delete room")).id;
    const w = await createWebhook(admin, room);
    const url = `/api/rooms/${room}/webhooks/${w.id}`;
    const pending = await seedDelivery(server, w.id, { status: "pending" });
    const done = await seedDelivery(server, w.id, { status: "succeeded" });

    const res = await admin.api.delete(url);
    expect(res.status).toBe(204);
    expect(res.text).toBe("");
    for (const [method, path] of [["get", url], ["patch", url], ["delete", url], ["post", `${url}/rotate`], ["post", `${url}/test`], ["get", `${url}/deliveries`], ["get", `${url}/deliveries/${pending.id}`], ["post", `${url}/deliveries/${done.id}/redeliver`]] as const) {
      const r = await admin.api[method](path, method === "patch" ? { name: "x" } : undefined);
      expect(r.status, `${method} ${path}`).toBe(404);
    }
    expect((await admin.api.get(`/api/rooms/${room}/webhooks`)).body.webhooks).toEqual([]);

    const row = await db().webhook.findUniqueOrThrow({ where: { id: w.id } });
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(row.enabled).toBe(false);
    const rows = await db().webhookDelivery.findMany({ where: { webhookId: w.id }, orderBy: { id: "asc" } });
    expect(rows.map((d) => d.status)).toEqual(["dead", "succeeded"]);

    await sendText(admin, room, "after delete");
    expect(await db().webhookDelivery.count({ where: { webhookId: w.id } })).toBe(2);
  });
});

describe("rotate", () => {
  it("makes a new Verification-Signature and secret and keeps the previous secret for 24 hours", async () => {
    const w = await createWebhook(admin, roomId);
    const before = Date.now();
    const res = await admin.api.post(`${base()}/${w.id}/rotate`);
    expect(res.status).toBe(200);
    const r = res.body.webhook;
    for (const f of WEBHOOK_CONTRACT_FIELDS) expect(r).toHaveProperty(f);
    expect(r.verificationSignature).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(r.verificationSignature).not.toBe(w.verificationSignature);
    expect(r.secret).toMatch(/^whsec_/);
    expect(r.secret).not.toBe(w.secret);
    // The previous secret is kept for the sender, never shown.
    expect(JSON.stringify(res.body)).not.toContain(w.secret);
    const row = await db().webhook.findUniqueOrThrow({ where: { id: w.id } });
    expect(row.previousSecret).toBe(w.secret);
    const day = 24 * 3600 * 1000;
    expect(row.previousSecretExpiresAt!.getTime()).toBeGreaterThanOrEqual(before + day - 1000);
    expect(row.previousSecretExpiresAt!.getTime()).toBeLessThanOrEqual(Date.now() + day + 1000);
    expect(r.previousSecretExpiresAt).toBe(row.previousSecretExpiresAt!.getTime());
    expect((await admin.api.get(`${base()}/${w.id}`)).body.webhook.verificationSignature).toBe(r.verificationSignature);
  });
});

describe("test ping", () => {
  it("queues a webhook.ping whatever the events, answers 202 {delivery} and tells the admins' sockets", async () => {
    const w = await createWebhook(admin, roomId, { name: "Pinged", events: ["room.updated"] });
    const socket = await connectSocket(server.url, admin.token);
    try {
      const events = collect(socket, "webhook:delivery");
      const before = Date.now();
      const res = await admin.api.post(`${base()}/${w.id}/test`);
      expect(res.status).toBe(202);
      const d = res.body.delivery;
      expect(Object.keys(d).sort()).toEqual(
        // The contract's fields and the durationMs extension (of the last attempt: none yet).
        ["id", "webhookId", "eventId", "event", "status", "attempts", "nextAttemptAt", "lastStatusCode", "createdAt", "completedAt", "durationMs"].sort(),
      );
      expect(d).toMatchObject({ webhookId: w.id, event: "webhook.ping", status: "pending", attempts: 0, lastStatusCode: null, completedAt: null, durationMs: null });
      expect(d.eventId).toEqual(expect.any(String));
      expect(d.createdAt).toBeGreaterThanOrEqual(before - 1000);

      const detail = await admin.api.get(`${base()}/${w.id}/deliveries/${d.id}`);
      expect(detail.body.delivery.payload).toEqual({
        type: "webhook.ping",
        timestamp: expect.any(Number),
        data: { webhook: { id: w.id, name: "Pinged" } },
        headers: { "Content-Type": "application/json", "Verification-Signature": w.verificationSignature },
      });

      await waitUntil(() => events.items.find((e) => (e.delivery as { id: number }).id === d.id), "webhook:delivery", 10_000);
      const pushed = events.items.find((e) => (e.delivery as { id: number }).id === d.id)!;
      expect(pushed).toMatchObject({ roomId, webhookId: w.id });
    } finally {
      socket.close();
    }
  });

  it("gives each ping its own event id", async () => {
    const w = await createWebhook(admin, roomId);
    const a = await admin.api.post(`${base()}/${w.id}/test`);
    const b = await admin.api.post(`${base()}/${w.id}/test`);
    expect(a.body.delivery.eventId).not.toBe(b.body.delivery.eventId);
  });

  it("answers 409 for a disabled webhook and queues nothing", async () => {
    const w = await createWebhook(admin, roomId, { enabled: false });
    const res = await admin.api.post(`${base()}/${w.id}/test`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
    expect(res.body.error.message).toMatch(/disabled/);
    expect(await db().webhookDelivery.count({ where: { webhookId: w.id } })).toBe(0);
  });
});
