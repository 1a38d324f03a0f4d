// The webhook settings API (create, list, get, update, delete, rotate, test ping) for a room admin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { connectSocket, collect } from "./helpers/sockets.ts";
import { buildWebhook, seedDelivery, UNREACHABLE_URL, pollUntil } from "./helpers/webhook-fixtures.ts";

const CONTRACT_FIELDS = [
  "id", "roomId", "name", "url", "events", "method", "contentType", "maxAttempts", "enabled",
  "disabledReason", "verificationSignature", "secret", "headers", "replyEnabled", "createdAt",
];

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

const fieldsOf = (res: { body: any }) => (res.body.error?.details ?? []).map((d: { path: string }) => d.path);
const db = () => server.app.ctx.db;

describe("create", () => {
  it("answers 201 with the contract's fields and defaults, fresh credentials and no delivery", async () => {
    const before = Date.now();
    const res = await admin.api.post(base(), { url: "http://127.0.0.1:9/a/b?c=d" });
    expect(res.status).toBe(201);
    const w = res.body.webhook;
    for (const f of CONTRACT_FIELDS) expect(w, f).toHaveProperty(f);
    expect(w).toMatchObject({
      roomId,
      name: "127.0.0.1:9",
      url: "http://127.0.0.1:9/a/b?c=d",
      events: ["message.created"],
      method: "POST",
      contentType: "application/json",
      maxAttempts: 8,
      enabled: true,
      disabledReason: null,
      headers: {},
      replyEnabled: false,
    });
    expect(w.verificationSignature).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(w.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(w.secret.slice(6), "base64")).toHaveLength(32);
    expect(w.createdAt).toBeGreaterThanOrEqual(before - 1000);
    expect(w.createdAt).toBeLessThanOrEqual(Date.now() + 1000);
    expect(w).not.toHaveProperty("previousSecret");
    expect(w).not.toHaveProperty("deletedAt");

    const deliveries = await admin.api.get(`${base()}/${w.id}/deliveries`);
    expect(deliveries.body.deliveries).toEqual([]);
  });

  it("keeps every given field", async () => {
    const input = {
      url: "https://127.0.0.1:9/hook",
      name: "  Ops bot  ",
      events: ["message.created", "member.added", "room.updated"],
      method: "PUT",
      contentType: "application/x-www-form-urlencoded",
      maxAttempts: 3,
      enabled: false,
      secret: "my-own-secret-1234!~",
      headers: { Authorization: "Bearer abc", "X-Team": "ops" },
      replyEnabled: true,
    };
    const res = await admin.api.post(base(), input);
    expect(res.status).toBe(201);
    expect(res.body.webhook).toMatchObject({ ...input, name: "Ops bot", disabledReason: null });
  });

  it("gives each webhook its own bot user named like it, and its own credentials", async () => {
    const a = await buildWebhook(admin, roomId, { name: "Alpha" });
    const b = await buildWebhook(admin, roomId, { name: "Beta" });
    expect(a.botUserId).not.toBe(b.botUserId);
    expect(a.verificationSignature).not.toBe(b.verificationSignature);
    expect(a.secret).not.toBe(b.secret);
    const bot = await admin.api.get(`/api/users/${a.botUserId}`);
    expect(bot.body.user).toMatchObject({ displayName: "Alpha", isBot: true });
    // Bots are not members and do not show up in the user search.
    const room = await admin.api.get(`/api/rooms/${roomId}`);
    expect(room.body.room.members.map((m: { userId: number }) => m.userId)).not.toContain(a.botUserId);
  });

  it.each([
    [{}, "url"],
    [{ url: "ftp://127.0.0.1/x" }, "url"],
    [{ url: "not a url" }, "url"],
    [{ url: "http://" }, "url"],
    [{ url: 42 }, "url"],
    [{ url: UNREACHABLE_URL, events: [] }, "events"],
    [{ url: UNREACHABLE_URL, events: ["message.exploded"] }, "events.0"],
    [{ url: UNREACHABLE_URL, method: "DELETE" }, "method"],
    [{ url: UNREACHABLE_URL, contentType: "text/xml" }, "contentType"],
    [{ url: UNREACHABLE_URL, maxAttempts: 0 }, "maxAttempts"],
    [{ url: UNREACHABLE_URL, maxAttempts: 21 }, "maxAttempts"],
    [{ url: UNREACHABLE_URL, secret: "too-short" }, "secret"],
    [{ url: UNREACHABLE_URL, secret: "contains spaces which are not allowed" }, "secret"],
    [{ url: UNREACHABLE_URL, name: "x".repeat(101) }, "name"],
    [{ url: UNREACHABLE_URL, headers: { "Content-Type": "text/plain" } }, "headers.Content-Type"],
    [{ url: UNREACHABLE_URL, headers: { "Verification-Signature": "forged" } }, "headers.Verification-Signature"],
    [{ url: UNREACHABLE_URL, headers: { "webhook-id": "x" } }, "headers.webhook-id"],
    [{ url: UNREACHABLE_URL, headers: { "x-signature": "x" } }, "headers.x-signature"],
    [{ url: UNREACHABLE_URL, headers: { "X-Webhook-Event": "x" } }, "headers.X-Webhook-Event"],
    [{ url: UNREACHABLE_URL, headers: { "User-Agent": "x" } }, "headers.User-Agent"],
    [{ url: UNREACHABLE_URL, headers: { Host: "x" } }, "headers.Host"],
    [{ url: UNREACHABLE_URL, headers: { "Content-Length": "1" } }, "headers.Content-Length"],
    [{ url: UNREACHABLE_URL, headers: { "X-Bad": "a\nb" } }, "headers.X-Bad"],
    [{ url: UNREACHABLE_URL, headers: { "X-Num": 5 } }, "headers.X-Num"],
  ])("refuses %j with 400 naming %s", async (input, field) => {
    const res = await admin.api.post(base(), input);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(fieldsOf(res)).toContain(field);
  });

  it("ignores unknown fields instead of assigning them", async () => {
    const res = await admin.api.post(base(), { url: UNREACHABLE_URL, id: 99999, roomId: 424242, verificationSignature: "AAAAAAAAAAAAAAAA", botUserId: admin.id });
    expect(res.status).toBe(201);
    expect(res.body.webhook.id).not.toBe(99999);
    expect(res.body.webhook.roomId).toBe(roomId);
    expect(res.body.webhook.verificationSignature).not.toBe("AAAAAAAAAAAAAAAA");
    expect(res.body.webhook.botUserId).not.toBe(admin.id);
  });

  it("answers 400 to malformed JSON and 401 without a token", async () => {
    const bad = await request(server.url, "POST", base(), { token: admin.token, raw: "{not json", headers: { "content-type": "application/json" } });
    expect(bad.status).toBe(400);
    const anon = await request(server.url, "POST", base(), { body: { url: UNREACHABLE_URL } });
    expect(anon.status).toBe(401);
    expect(anon.body.error.code).toBe("unauthorized");
  });

  it("refuses a 51st live webhook in one room with 409, and counts deleted ones out", async () => {
    const room = (await buildRoom(admin, [], "Crowded")).id;
    const made = await Promise.all(Array.from({ length: 50 }, (_, i) => buildWebhook(admin, room, { name: `W${i}` })));
    const extra = await admin.api.post(`/api/rooms/${room}/webhooks`, { url: UNREACHABLE_URL });
    expect(extra.status).toBe(409);
    expect(extra.body.error.code).toBe("conflict");
    await admin.api.delete(`/api/rooms/${room}/webhooks/${made[0]!.id}`);
    expect((await admin.api.post(`/api/rooms/${room}/webhooks`, { url: UNREACHABLE_URL })).status).toBe(201);
  });

  it("answers 404 for a room that does not exist", async () => {
    const res = await admin.api.post(`/api/rooms/987654/webhooks`, { url: UNREACHABLE_URL });
    expect(res.status).toBe(404);
  });
});

describe("list and get", () => {
  it("lists the room's live webhooks, oldest first, and no other room's", async () => {
    const own = (await buildRoom(admin, [], "List room")).id;
    const other = (await buildRoom(admin, [], "Other room")).id;
    const a = await buildWebhook(admin, own, { name: "A" });
    const b = await buildWebhook(admin, own, { name: "B" });
    const c = await buildWebhook(admin, own, { name: "C" });
    await buildWebhook(admin, other, { name: "Elsewhere" });
    await admin.api.delete(`/api/rooms/${own}/webhooks/${b.id}`);
    const res = await admin.api.get(`/api/rooms/${own}/webhooks`);
    expect(res.status).toBe(200);
    expect(res.body.webhooks.map((w: { name: string }) => w.name)).toEqual(["A", "C"]);
    for (const w of res.body.webhooks) for (const f of CONTRACT_FIELDS) expect(w).toHaveProperty(f);
    expect(res.body.webhooks[0]).toEqual((await admin.api.get(`/api/rooms/${own}/webhooks/${a.id}`)).body.webhook);
    expect(c.id).toBeGreaterThan(a.id);
  });

  it("shows the newest delivery of each webhook (extension)", async () => {
    const w = await buildWebhook(admin, roomId);
    expect((await admin.api.get(`${base()}/${w.id}`)).body.webhook.lastDelivery).toBeNull();
    const ping = await admin.api.post(`${base()}/${w.id}/test`);
    const got = await admin.api.get(`${base()}/${w.id}`);
    expect(got.body.webhook.lastDelivery).toMatchObject({ id: ping.body.delivery.id, event: "webhook.ping" });
  });

  it("answers 404 for an unknown id or another room's webhook, 400 for a malformed id", async () => {
    const other = (await buildRoom(admin, [], "Other")).id;
    const foreign = await buildWebhook(admin, other);
    expect((await admin.api.get(`${base()}/999999`)).status).toBe(404);
    const cross = await admin.api.get(`${base()}/${foreign.id}`);
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe("not_found");
    expect((await admin.api.patch(`${base()}/${foreign.id}`, { name: "x" })).status).toBe(404);
    expect((await admin.api.delete(`${base()}/${foreign.id}`)).status).toBe(404);
    expect((await admin.api.get(`/api/rooms/${other}/webhooks/${foreign.id}`)).status).toBe(200);
    const malformed = await admin.api.get(`${base()}/abc`);
    expect(malformed.status).toBe(400);
    expect(fieldsOf(malformed)).toContain("webhookId");
  });
});

describe("update", () => {
  it("changes the given fields only", async () => {
    const w = await buildWebhook(admin, roomId, { name: "Before", headers: { "X-A": "1" } });
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
    const w = await buildWebhook(admin, roomId, { name: "Old name" });
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
    const w = await buildWebhook(admin, roomId);
    const res = await admin.api.patch(`${base()}/${w.id}`, input);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(fieldsOf(res)).toContain(field);
    expect((await admin.api.get(`${base()}/${w.id}`)).body.webhook.url).toBe(UNREACHABLE_URL);
  });

  it("disabling kills the pending and failed deliveries, and leaves finished ones alone", async () => {
    const w = await buildWebhook(admin, roomId);
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
    const w = await buildWebhook(admin, roomId);
    await db().webhook.update({ where: { id: w.id }, data: { enabled: false, disabledReason: "5 deliveries in a row died", deadStreak: 5 } });
    const shown = await admin.api.get(`${base()}/${w.id}`);
    expect(shown.body.webhook).toMatchObject({ enabled: false, disabledReason: "5 deliveries in a row died" });
    const res = await admin.api.patch(`${base()}/${w.id}`, { enabled: true });
    expect(res.status).toBe(200);
    expect(res.body.webhook).toMatchObject({ enabled: true, disabledReason: null });
    expect((await db().webhook.findUniqueOrThrow({ where: { id: w.id } })).deadStreak).toBe(0);
  });

  it("a new secret given by hand keeps the old one signing for 24 hours, as a rotation does", async () => {
    const w = await buildWebhook(admin, roomId);
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
    const w = await buildWebhook(admin, room);
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
    const w = await buildWebhook(admin, roomId);
    const before = Date.now();
    const res = await admin.api.post(`${base()}/${w.id}/rotate`);
    expect(res.status).toBe(200);
    const r = res.body.webhook;
    for (const f of CONTRACT_FIELDS) expect(r).toHaveProperty(f);
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
    const w = await buildWebhook(admin, roomId, { name: "Pinged", events: ["room.updated"] });
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

      await pollUntil(() => events.items.find((e) => (e.delivery as { id: number }).id === d.id), "webhook:delivery", 10_000);
      const pushed = events.items.find((e) => (e.delivery as { id: number }).id === d.id)!;
      expect(pushed).toMatchObject({ roomId, webhookId: w.id });
    } finally {
      socket.close();
    }
  });

  it("gives each ping its own event id", async () => {
    const w = await buildWebhook(admin, roomId);
    const a = await admin.api.post(`${base()}/${w.id}/test`);
    const b = await admin.api.post(`${base()}/${w.id}/test`);
    expect(a.body.delivery.eventId).not.toBe(b.body.delivery.eventId);
  });

  it("answers 409 for a disabled webhook and queues nothing", async () => {
    const w = await buildWebhook(admin, roomId, { enabled: false });
    const res = await admin.api.post(`${base()}/${w.id}/test`);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
    expect(res.body.error.message).toMatch(/disabled/);
    expect(await db().webhookDelivery.count({ where: { webhookId: w.id } })).toBe(0);
  });
});
