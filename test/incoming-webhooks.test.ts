// Incoming webhooks: the admin API, the three verification types, the order of the checks
// (key/signature, rate limit, body), the loop guard, and delivery to Socket.IO clients.
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { collect, connectSocket } from "./helpers/sockets.ts";
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

type Hook = { id: number; url: string; apiKey?: string; secret?: string; verification: string; botUserId: number };

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

function expectError(res: { status: number; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(typeof res.body.error.message).toBe("string");
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
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
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

describe("the body, checked after the key", () => {
  let room: number;
  let hook: Hook;
  beforeAll(async () => {
    room = await freshRoom();
    hook = await createHook({ name: "Body bot" }, room);
  });
  const withKey = (headers: Record<string, string> = {}) => ({ "x-api-key": hook.apiKey!, ...headers });

  it("refuses a malformed body with the key checked first: a bad key is 401 even for garbage", async () => {
    expectError(await post(hook, "{not json", { "x-api-key": "nope-nope-nope-nope" }), 401, "unauthorized");
    expectError(await post(hook, "{not json", withKey()), 400, "validation_failed");
  });

  it.each([
    ["empty text", '{"text":""}', "text"],
    ["blank text", '{"text":"   "}', "text"],
    ["no text", "{}", "text"],
    ["a number as text", '{"text":42}', "text"],
    ["a JSON string", '"just a string"', ""],
    ["null", "null", ""],
    ["10,001 characters", JSON.stringify({ text: "x".repeat(10_001) }), "text"],
  ])("refuses %s with 400", async (_label, raw, field) => {
    const res = await post(hook, raw, withKey());
    expectError(res, 400, "validation_failed");
    expect(res.body.error.details.map((d: { path: string }) => d.path)).toContain(field);
  });

  it("accepts exactly 10,000 characters and a JSON media type with a charset", async () => {
    const res = await post(hook, JSON.stringify({ text: "y".repeat(10_000) }), withKey({ "content-type": "application/json; charset=utf-8" }));
    expect(res.status).toBe(201);
  });

  it.each(["text/plain", "multipart/form-data; boundary=x"])("refuses Content-Type %s with 415", async (type) => {
    expectError(await post(hook, '{"text":"x"}', withKey({ "content-type": type })), 415, "unsupported_media_type");
  });

  it("refuses a form body without a payload field with 400 (a form with payload= is taken: incoming-bodies.test.ts)", async () => {
    expectError(await post(hook, '{"text":"x"}', withKey({ "content-type": "application/x-www-form-urlencoded" })), 400, "validation_failed");
  });

  it("refuses a missing Content-Type with 415", async () => {
    const res = await request(server.url, "POST", hookPath(hook), { raw: Buffer.from('{"text":"x"}'), headers: withKey() });
    expectError(res, 415, "unsupported_media_type");
  });

  it("refuses a body over 1 MiB with 413, and takes one of exactly 1 MiB to the next check", async () => {
    const big = Buffer.alloc(1024 * 1024 + 1, 0x20);
    expectError(await post(hook, big, withKey()), 413, "payload_too_large");
    // Exactly 1 MiB is read (and then refused as too long a text, not as too large).
    const text = "z".repeat(1024 * 1024 - 11);
    const exact = Buffer.from(JSON.stringify({ text }));
    expect(exact.length).toBe(1024 * 1024);
    expectError(await post(hook, exact, withKey()), 400, "validation_failed");
  });

  it("posted none of the refused bodies", async () => {
    const texts = await roomTexts(room);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toBe(`${hook.botUserId}: ${"y".repeat(10_000)}`);
  });
});

describe("Socket.IO", () => {
  it("pushes an incoming message to the room's sockets as message:new", async () => {
    const room = await freshRoom();
    const hook = await createHook({ name: "Live" }, room);
    const socket = await connectSocket(server.url, member.token);
    try {
      const events = collect(socket, "message:new");
      const res = await post(hook, '{"text":"live!"}', { "x-api-key": hook.apiKey! });
      expect(res.status).toBe(201);
      const [event] = await events.waitFor(1);
      expect(event!.message).toEqual(res.body.message);
    } finally {
      socket.close();
    }
  });
});

describe("rate limit per hook", () => {
  let limited: TestServer;
  let owner: TestUser;
  beforeAll(async () => {
    // A burst of 2 refilling at 1/s: a dozen requests at once must run past it.
    limited = await startTestServer({ INCOMING_BURST: "2", INCOMING_RATE_PER_S: "1" });
    owner = await buildUser(limited.url);
  });
  afterAll(() => limited.close());

  const hookPost = (hook: Hook, headers: Record<string, string>) =>
    request(limited.url, "POST", `/api/hooks/${hook.id}`, { raw: '{"text":"tick"}', headers: { "content-type": "application/json", ...headers } });

  it("answers 429 rate_limited with Retry-After beyond the burst, posting nothing for those", async () => {
    const room = (await buildRoom(owner)).id;
    const res = await owner.api.post(`/api/rooms/${room}/incoming-webhooks`, { name: "Chatty" });
    const hook: Hook = res.body.incomingWebhook;
    const results = await Promise.all(Array.from({ length: 12 }, () => hookPost(hook, { "x-api-key": hook.apiKey! })));
    const created = results.filter((r) => r.status === 201);
    const limitedRes = results.filter((r) => r.status === 429);
    expect(created.length + limitedRes.length).toBe(12);
    expect(created.length).toBeGreaterThanOrEqual(2);
    expect(limitedRes.length).toBeGreaterThanOrEqual(1);
    expect(limitedRes[0]!.body.error.code).toBe("rate_limited");
    expect(Number(limitedRes[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const messages = await owner.api.get(`/api/rooms/${room}/messages?limit=100`);
    expect(messages.body.messages).toHaveLength(created.length);
  });

  it("spends no tokens on requests with a bad key, and keeps one bucket per hook", async () => {
    const room = (await buildRoom(owner)).id;
    const a: Hook = (await owner.api.post(`/api/rooms/${room}/incoming-webhooks`, { name: "A" })).body.incomingWebhook;
    const b: Hook = (await owner.api.post(`/api/rooms/${room}/incoming-webhooks`, { name: "B" })).body.incomingWebhook;
    for (let i = 0; i < 5; i++) expect((await hookPost(a, { "x-api-key": "bad-bad-bad-bad-bad" })).status).toBe(401);
    // A's bucket is still full (the burst is 2), and B has its own.
    expect((await hookPost(a, { "x-api-key": a.apiKey! })).status).toBe(201);
    expect((await hookPost(b, { "x-api-key": b.apiKey! })).status).toBe(201);
  });
});

describe("loop guard", () => {
  // A room whose outgoing webhook is aimed at its own incoming hook: a message that came in through
  // the hook must create no delivery, or each one would come back in, again and again.
  let loopServer: TestServer;
  let owner: TestUser;
  beforeAll(async () => {
    loopServer = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
    owner = await buildUser(loopServer.url);
  });
  afterAll(() => loopServer.close());

  async function deliveriesOf(room: number, webhookId: number) {
    const res = await owner.api.get(`/api/rooms/${room}/webhooks/${webhookId}/deliveries?limit=100`);
    expect(res.status, res.text).toBe(200);
    return res.body.deliveries as { status: string; event: string; lastStatusCode: number | null }[];
  }

  async function waitUntilSettled(room: number, webhookId: number, count: number) {
    for (let i = 0; i < 400; i++) {
      const list = await deliveriesOf(room, webhookId);
      if (list.length >= count && list.every((d) => d.status === "succeeded" || d.status === "dead")) return list;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error("deliveries did not settle");
  }

  async function messagesOf(room: number) {
    const res = await owner.api.get(`/api/rooms/${room}/messages?limit=100`);
    return (res.body.messages as { fromUserId: number; body: { text: string } }[]).reverse().map((m) => `${m.fromUserId}: ${m.body.text}`);
  }

  it("gets exactly one message per outside post, not a storm", async () => {
    const room = (await buildRoom(owner)).id;
    const hook: Hook = (await owner.api.post(`/api/rooms/${room}/incoming-webhooks`, { name: "Echo" })).body.incomingWebhook;
    const target = `${loopServer.url}/api/hooks/${hook.id}?token=${encodeURIComponent(hook.apiKey!)}`;
    const created = await owner.api.post(`/api/rooms/${room}/webhooks`, { url: target, maxAttempts: 1 });
    expect(created.status, created.text).toBe(201);
    const webhookId: number = created.body.webhook.id;

    for (const text of ["outside 1", "outside 2", "outside 3"]) {
      const res = await request(loopServer.url, "POST", `/api/hooks/${hook.id}`, {
        raw: JSON.stringify({ text }),
        headers: { "content-type": "application/json", "x-api-key": hook.apiKey! },
      });
      expect(res.status, res.text).toBe(201);
    }
    // The outbox is written in the message's own transaction: no row now means none will ever be sent.
    expect(await deliveriesOf(room, webhookId)).toEqual([]);

    // A person's message does go out once, to the hook; the hook refuses the envelope (it has no
    // top-level "text"), so it posts nothing back and nothing more is sent.
    await sendText(owner, room, "a person");
    const settled = await waitUntilSettled(room, webhookId, 1);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({ event: "message.created", status: "dead", lastStatusCode: 400 });
    expect(await messagesOf(room)).toEqual([
      `${hook.botUserId}: outside 1`,
      `${hook.botUserId}: outside 2`,
      `${hook.botUserId}: outside 3`,
      `${owner.id}: a person`,
    ]);
    expect(await deliveriesOf(room, webhookId)).toHaveLength(1);
  });
});
