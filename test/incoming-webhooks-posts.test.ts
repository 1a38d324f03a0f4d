// Posting to an incoming hook: the body checked after the key, the rate limit per hook, the loop
// guard, and delivery to Socket.IO clients.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import type { IncomingWebhookDto } from "../src/contracts/index.ts";
import { errorFields, request } from "./helpers/api.ts";
import { expectError } from "./helpers/errors.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { collect, connectSocket } from "./helpers/sockets.ts";

let server: TestServer;
let admin: TestUser, member: TestUser;
let roomId: number;

beforeAll(async () => {
  server = await startTestServer();
  [admin, member] = await Promise.all([1, 2].map(() => buildUser(server.url)));
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
    expect(errorFields(res)).toContain(field);
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
