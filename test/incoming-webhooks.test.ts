// Incoming webhooks: the admin API and posting with each of the three verification types (the body,
// rate limit, loop guard and Socket.IO: incoming-webhooks-posts.test.ts).
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import type { IncomingWebhookDto } from "../src/contracts/index.ts";
import { errorFields, request } from "./helpers/api.ts";
import { expectError } from "./helpers/errors.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";
import { hmacKey } from "../src/webhooks/signatures.ts";

let server: TestServer;
let admin: TestUser, member: TestUser, outsider: TestUser;
let roomId: number;

beforeAll(async () => {
  server = await startTestServer();
  [admin, member, outsider] = await Promise.all([1, 2, 3].map(() => buildUser(server.url)));
  roomId = (await buildRoom(admin, [member])).id;
});
afterAll(() => server.close());

type Hook = IncomingWebhookDto;

async function createHook(body: Record<string, unknown>, room = roomId, by = admin): Promise<Hook> {
  const res = await by.api.post(`/api/rooms/${room}/incoming-webhooks`, body);
  expect(res.status, res.text).toBe(201);
  return res.body.incomingWebhook;
}

const hookPath = (hook: { id: number }, query = "") => `/api/hooks/${hook.id}${query}`;

function post(hook: { id: number }, raw: string | Buffer, headers: Record<string, string> = {}, query = "") {
  return request(server.url, "POST", hookPath(hook, query), {
    raw,
    headers: { "content-type": "application/json", ...headers },
  });
}

const sign = (secret: string, raw: string | Buffer, encoding: "base64" | "hex") =>
  createHmac("sha256", hmacKey(secret)).update(raw).digest(encoding);

/** Every message of a room, oldest first, as `fromUserId: text`. */
async function roomTexts(room = roomId, by = admin): Promise<string[]> {
  const res = await by.api.get(`/api/rooms/${room}/messages?limit=100`);
  expect(res.status).toBe(200);
  return (res.body.messages as { fromUserId: number; body: { text: string } }[])
    .reverse()
    .map((m) => `${m.fromUserId}: ${m.body.text}`);
}

/** A fresh room per test that counts messages, so other tests' posts never mix in. */
async function freshRoom() {
  return (await buildRoom(admin, [member])).id;
}


describe("managing incoming webhooks", () => {
  it("creates an api_key hook by default, with a bot named after it", async () => {
    const res = await admin.api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: "CI bot", botUserId: admin.id, id: 999 });
    expect(res.status).toBe(201);
    const hook = res.body.incomingWebhook;
    expect(hook).toMatchObject({ name: "CI bot", verification: "api_key", roomId, enabled: true });
    expect(hook.id).not.toBe(999);
    expect(hook.url).toBe(`http://localhost:${server.port}/api/hooks/${hook.id}`);
    expect(hook.apiKey).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(hook).not.toHaveProperty("secret");
    expect(hook.createdAt).toEqual(expect.any(Number));
    expect(hook.botUserId).not.toBe(admin.id);
    const bot = await admin.api.get(`/api/users/${hook.botUserId}`);
    expect(bot.body.user).toMatchObject({ displayName: "CI bot", isBot: true });
  });

  it.each(["hmac_sha256_base64", "hmac_sha256_hex"])("creates a %s hook with a fresh whsec_ secret", async (verification) => {
    const a = await createHook({ name: "Signed", verification });
    const b = await createHook({ name: "Signed", verification });
    expect(a.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(a.secret).not.toBe(b.secret);
    expect(a).not.toHaveProperty("apiKey");
    expect(a.verification).toBe(verification);
  });

  it("keeps a given secret (pasted from the calling system)", async () => {
    const hook = await createHook({ name: "Tiki", verification: "hmac_sha256_hex", secret: "tiki-shared-secret-123" });
    expect(hook.secret).toBe("tiki-shared-secret-123");
  });

  it.each([
    [{}, "name"],
    [{ name: "   " }, "name"],
    [{ name: "x".repeat(65) }, "name"],
    [{ name: "x", verification: "md5" }, "verification"],
    [{ name: "x", verification: "hmac_sha256_hex", secret: "short" }, "secret"],
    [{ name: "x", secret: "has spaces in it, sadly" }, "secret"],
    [{ name: "x", secret: "whsec_not*base64*at*all" }, "secret"],
  ])("refuses %j with 400 naming %s", async (input, field) => {
    const res = await admin.api.post(`/api/rooms/${roomId}/incoming-webhooks`, input);
    expectError(res, 400, "validation_failed");
    expect(errorFields(res)).toContain(field);
  });

  it("lists the room's live hooks for admins only: members 403, outsiders 404, no token 401", async () => {
    const room = await freshRoom();
    const kept = await createHook({ name: "kept" }, room);
    const gone = await createHook({ name: "gone" }, room);
    expect((await admin.api.delete(`/api/rooms/${room}/incoming-webhooks/${gone.id}`)).status).toBe(204);
    const list = await admin.api.get(`/api/rooms/${room}/incoming-webhooks`);
    expect(list.status).toBe(200);
    expect(list.body.incomingWebhooks.map((h: Hook) => h.id)).toEqual([kept.id]);
    expect(list.body.incomingWebhooks[0].apiKey).toBe(kept.apiKey);
    expectError(await member.api.get(`/api/rooms/${room}/incoming-webhooks`), 403, "forbidden");
    expectError(await outsider.api.get(`/api/rooms/${room}/incoming-webhooks`), 404, "not_found");
    expectError(await request(server.url, "GET", `/api/rooms/${room}/incoming-webhooks`), 401, "unauthorized");
    expectError(await admin.api.get(`/api/rooms/999999/incoming-webhooks`), 404, "not_found");
    expectError(await admin.api.get(`/api/rooms/abc/incoming-webhooks`), 400, "validation_failed");
  });

  it("refuses creation by members (403), outsiders (404) and without a token (401)", async () => {
    expectError(await member.api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: "x" }), 403, "forbidden");
    expectError(await outsider.api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: "x" }), 404, "not_found");
    expectError(await request(server.url, "POST", `/api/rooms/${roomId}/incoming-webhooks`, { body: { name: "x" } }), 401, "unauthorized");
  });

  it("deletes for admins only; a hook of another room, or deleted, is 404", async () => {
    const hook = await createHook({ name: "doomed" });
    const otherRoom = await freshRoom();
    expectError(await member.api.delete(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`), 403, "forbidden");
    expectError(await outsider.api.delete(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`), 404, "not_found");
    expectError(await admin.api.delete(`/api/rooms/${otherRoom}/incoming-webhooks/${hook.id}`), 404, "not_found");
    expect((await admin.api.delete(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`)).status).toBe(204);
    expectError(await admin.api.delete(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`), 404, "not_found");
    expectError(await admin.api.get(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`), 404, "not_found");
    expectError(await admin.api.delete(`/api/rooms/${roomId}/incoming-webhooks/nope`), 400, "validation_failed");
  });

  it("renames (the bot too) and disables with PATCH (extension)", async () => {
    const hook = await createHook({ name: "old name" });
    const res = await admin.api.patch(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`, { name: "new name", enabled: false });
    expect(res.status).toBe(200);
    expect(res.body.incomingWebhook).toMatchObject({ name: "new name", enabled: false, apiKey: hook.apiKey });
    expect((await admin.api.get(`/api/users/${hook.botUserId}`)).body.user.displayName).toBe("new name");
    expectError(await admin.api.patch(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`, {}), 400, "validation_failed");
    expectError(await member.api.patch(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`, { enabled: true }), 403, "forbidden");
  });
});

describe("posting with each verification type", () => {
  it("api_key: x-api-key or ?token= posts as the bot; 201 with the message", async () => {
    const room = await freshRoom();
    const hook = await createHook({ name: "Key bot" }, room);
    const byHeader = await post(hook, JSON.stringify({ text: "by header", username: "ignored", icon_emoji: ":x:" }), { "x-api-key": hook.apiKey! });
    expect(byHeader.status, byHeader.text).toBe(201);
    expect(byHeader.body.message).toMatchObject({ roomId: room, fromUserId: hook.botUserId, type: "text", body: { text: "by header" } });
    expect(byHeader.body.message.body).toEqual({ text: "by header" });
    const byQuery = await post(hook, JSON.stringify({ text: "by token" }), {}, `?token=${encodeURIComponent(hook.apiKey!)}`);
    expect(byQuery.status, byQuery.text).toBe(201);
    expect(await roomTexts(room)).toEqual([`${hook.botUserId}: by header`, `${hook.botUserId}: by token`]);
  });

  it("api_key: a wrong, missing, repeated or other hook's key is 401 and posts nothing", async () => {
    const room = await freshRoom();
    const hook = await createHook({ name: "Key bot" }, room);
    const other = await createHook({ name: "Other" }, room);
    const raw = JSON.stringify({ text: "should not appear" });
    for (const [headers, query] of [
      [{ "x-api-key": `${hook.apiKey}x` }, ""],
      [{ "x-api-key": other.apiKey! }, ""],
      [{}, ""],
      [{}, "?token="],
      [{}, `?token=${hook.apiKey}&token=${hook.apiKey}`],
      [{ "x-api-key": "" }, ""],
    ] as const) {
      expectError(await post(hook, raw, headers, query), 401, "unauthorized");
    }
    expect(await roomTexts(room)).toEqual([]);
  });

  describe.each([
    ["hmac_sha256_base64", "Webhook-Signature", "base64"],
    ["hmac_sha256_hex", "X-Signature", "hex"],
  ] as const)("%s", (verification, header, encoding) => {
    it(`a ${header} of the raw body posts (bare, v1, and sha256= forms; whsec_ and plain secrets)`, async () => {
      const room = await freshRoom();
      const generated = await createHook({ name: "Signer", verification }, room);
      const pasted = await createHook({ name: "Pasted", verification, secret: "a-plain-utf8-secret-u" }, room);
      // Odd spacing and non-ASCII: the signature is over the exact bytes sent.
      const raws = ['{ "text" : "bare é" }', '{"text":"v1 form"}', '{"text":"sha256 form"}'];
      const forms = [(s: string) => s, (s: string) => `v1,${s}`, (s: string) => `sha256=${s}`];
      for (const [i, raw] of raws.entries()) {
        const res = await post(generated, raw, { [header]: forms[i]!(sign(generated.secret!, raw, encoding)) });
        expect(res.status, res.text).toBe(201);
      }
      const viaPasted = await post(pasted, '{"text":"pasted"}', { [header]: sign(pasted.secret!, '{"text":"pasted"}', encoding) });
      expect(viaPasted.status, viaPasted.text).toBe(201);
      expect(await roomTexts(room)).toEqual([
        `${generated.botUserId}: bare é`,
        `${generated.botUserId}: v1 form`,
        `${generated.botUserId}: sha256 form`,
        `${pasted.botUserId}: pasted`,
      ]);
    });

    it("a signature of a different body, with another secret, missing, or in the other header is 401 and posts nothing", async () => {
      const room = await freshRoom();
      const hook = await createHook({ name: "Signer", verification }, room);
      const raw = '{"text":"tampered"}';
      const otherHeader = header === "X-Signature" ? "Webhook-Signature" : "X-Signature";
      for (const headers of [
        { [header]: sign(hook.secret!, '{"text":"original"}', encoding) },
        { [header]: sign("whsec_c29tZSBvdGhlciBzZWNyZXQ=", raw, encoding) },
        {},
        { [header]: "" },
        { [header]: "not a signature" },
        { [otherHeader]: sign(hook.secret!, raw, encoding === "hex" ? "base64" : "hex") },
        { "x-api-key": hook.secret! },
      ]) {
        expectError(await post(hook, raw, headers), 401, "unauthorized");
      }
      expect(await roomTexts(room)).toEqual([]);
    });

    it("a replay of a good request to a deleted hook is 404 and posts nothing more", async () => {
      const room = await freshRoom();
      const hook = await createHook({ name: "Signer", verification }, room);
      const raw = '{"text":"once"}';
      const headers = { [header]: sign(hook.secret!, raw, encoding) };
      expect((await post(hook, raw, headers)).status).toBe(201);
      expect((await admin.api.delete(`/api/rooms/${room}/incoming-webhooks/${hook.id}`)).status).toBe(204);
      expectError(await post(hook, raw, headers), 404, "not_found");
      expect(await roomTexts(room)).toEqual([`${hook.botUserId}: once`]);
    });
  });

  it("an unknown hook id, or one that is not a number, is 404", async () => {
    expectError(await post({ id: 999999 }, '{"text":"x"}', { "x-api-key": "whatever" }), 404, "not_found");
    expectError(await request(server.url, "POST", "/api/hooks/abc", { raw: '{"text":"x"}', headers: { "content-type": "application/json" } }), 404, "not_found");
    expectError(await request(server.url, "GET", "/api/hooks/1"), 404, "not_found");
  });

  it("a disabled hook checks the key first (401), then answers 403 and posts nothing", async () => {
    const room = await freshRoom();
    const hook = await createHook({ name: "Paused" }, room);
    await admin.api.patch(`/api/rooms/${room}/incoming-webhooks/${hook.id}`, { enabled: false });
    expectError(await post(hook, '{"text":"x"}', { "x-api-key": "wrong-key-wrong-key" }), 401, "unauthorized");
    expectError(await post(hook, '{"text":"x"}', { "x-api-key": hook.apiKey! }), 403, "forbidden");
    await admin.api.patch(`/api/rooms/${room}/incoming-webhooks/${hook.id}`, { enabled: true });
    expect((await post(hook, '{"text":"back"}', { "x-api-key": hook.apiKey! })).status).toBe(201);
    expect(await roomTexts(room)).toEqual([`${hook.botUserId}: back`]);
  });
});
