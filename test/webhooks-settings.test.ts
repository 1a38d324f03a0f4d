// The webhook settings API for a room admin: create, list and get (changes and the test ping: webhooks-settings-changes.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { errorFields, request } from "./helpers/api.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";
import { UNREACHABLE_URL, WEBHOOK_CONTRACT_FIELDS } from "./helpers/webhook-fixtures.ts";
import { createWebhook } from "./helpers/webhooks.ts";

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


describe("create", () => {
  it("answers 201 with the contract's fields and defaults, fresh credentials and no delivery", async () => {
    const before = Date.now();
    const res = await admin.api.post(base(), { url: "http://127.0.0.1:9/a/b?c=d" });
    expect(res.status).toBe(201);
    const w = res.body.webhook;
    for (const f of WEBHOOK_CONTRACT_FIELDS) expect(w, f).toHaveProperty(f);
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
    const a = await createWebhook(admin, roomId, { name: "Alpha" });
    const b = await createWebhook(admin, roomId, { name: "Beta" });
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
    expect(errorFields(res)).toContain(field);
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
    const made = await Promise.all(Array.from({ length: 50 }, (_, i) => createWebhook(admin, room, { name: `W${i}` })));
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
    const a = await createWebhook(admin, own, { name: "A" });
    const b = await createWebhook(admin, own, { name: "B" });
    const c = await createWebhook(admin, own, { name: "C" });
    await createWebhook(admin, other, { name: "Elsewhere" });
    await admin.api.delete(`/api/rooms/${own}/webhooks/${b.id}`);
    const res = await admin.api.get(`/api/rooms/${own}/webhooks`);
    expect(res.status).toBe(200);
    expect(res.body.webhooks.map((w: { name: string }) => w.name)).toEqual(["A", "C"]);
    for (const w of res.body.webhooks) for (const f of WEBHOOK_CONTRACT_FIELDS) expect(w).toHaveProperty(f);
    expect(res.body.webhooks[0]).toEqual((await admin.api.get(`/api/rooms/${own}/webhooks/${a.id}`)).body.webhook);
    expect(c.id).toBeGreaterThan(a.id);
  });

  it("shows the newest delivery of each webhook (extension)", async () => {
    const w = await createWebhook(admin, roomId);
    expect((await admin.api.get(`${base()}/${w.id}`)).body.webhook.lastDelivery).toBeNull();
    const ping = await admin.api.post(`${base()}/${w.id}/test`);
    const got = await admin.api.get(`${base()}/${w.id}`);
    expect(got.body.webhook.lastDelivery).toMatchObject({ id: ping.body.delivery.id, event: "webhook.ping" });
  });

  it("answers 404 for an unknown id or another room's webhook, 400 for a malformed id", async () => {
    const other = (await buildRoom(admin, [], "Other")).id;
    const foreign = await createWebhook(admin, other);
    expect((await admin.api.get(`${base()}/999999`)).status).toBe(404);
    const cross = await admin.api.get(`${base()}/${foreign.id}`);
    expect(cross.status).toBe(404);
    expect(cross.body.error.code).toBe("not_found");
    expect((await admin.api.patch(`${base()}/${foreign.id}`, { name: "x" })).status).toBe(404);
    expect((await admin.api.delete(`${base()}/${foreign.id}`)).status).toBe(404);
    expect((await admin.api.get(`/api/rooms/${other}/webhooks/${foreign.id}`)).status).toBe(200);
    const malformed = await admin.api.get(`${base()}/abc`);
    expect(malformed.status).toBe(400);
    expect(errorFields(malformed)).toContain("webhookId");
  });
});
