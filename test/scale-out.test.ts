// PostgreSQL + Redis: the same code on PostgreSQL, and two server instances sharing one database
// and fanning Socket.IO events out through Redis.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText } from "./helpers/factories.ts";
import { client, request } from "./helpers/api.ts";
import { collect, connectSocket, emitWithAck } from "./helpers/sockets.ts";
import { clonePostgresDb, createPostgresTemplate, REDIS_URL, servicesAvailable } from "./helpers/services.ts";

const available = await servicesAvailable("postgres", "redis");
const cleanups: (() => Promise<void>)[] = [];
let template: Awaited<ReturnType<typeof createPostgresTemplate>> | undefined;
let a: TestServer, b: TestServer;

beforeAll(async () => {
  if (!available) return;
  template = await createPostgresTemplate();
  const db = await clonePostgresDb(template.name);
  cleanups.push(db.drop);
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL,
    REDIS_PREFIX: `test-${randomBytes(4).toString("hex")}`,
    JWT_SECRET: "a-shared-secret-for-both-instances",
    // A burst of 3 that refills once in 1,000 s: what the two instances let through is exact.
    INCOMING_BURST: "3",
    INCOMING_RATE_PER_S: "0.001",
    INSPECTOR_BURST: "3",
    INSPECTOR_RATE_PER_S: "0.001",
  };
  a = await startTestServer(env);
  b = await startTestServer(env);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  for (const c of cleanups) await c();
  await template?.drop();
});

describe.runIf(available)("on PostgreSQL with two instances and Redis", () => {
  it("registers, refuses a racing duplicate username, and searches case-insensitively", async () => {
    const body = { username: "pg.racer", password: "password123", displayName: "Mixed Case" };
    const results = await Promise.all([client(a.url).post("/api/auth/register", body), client(b.url).post("/api/auth/register", body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
    const token = results.find((r) => r.status === 201)!.body.token;
    const found = await client(b.url, token).get("/api/users?search=mixed");
    expect(found.body.users.map((u: { username: string }) => u.username)).toContain("pg.racer");
  });

  it("sends, de-duplicates by localId across instances, pages history and counts receipts", async () => {
    const alice = await buildUser(a.url);
    const bob = await buildUser(b.url);
    const room = await buildRoom(alice, [bob]);
    const sends = await Promise.all(
      [a, b, a, b].map((s) => client(s.url, alice.token).post(`/api/rooms/${room.id}/messages`, { body: { text: "once" }, localId: "pg-1" })),
    );
    expect(new Set(sends.map((r) => r.body.message.id)).size).toBe(1);
    for (let i = 0; i < 3; i++) await sendText(bob, room.id, `m${i}`);
    const page = await client(a.url, alice.token).get(`/api/rooms/${room.id}/messages?limit=2`);
    expect(page.body.messages.map((m: { body: { text: string } }) => m.body.text)).toEqual(["m2", "m1"]);
    const seen = await client(b.url, bob.token).post(`/api/messages/${sends[0].body.message.id}/seen`);
    expect(seen.body).toMatchObject({ deliveredCount: 1, seenCount: 1 });
    let rooms = await client(a.url, alice.token).get("/api/rooms");
    expect(rooms.body.rooms[0]).toMatchObject({ id: room.id, unreadCount: 3 });
    expect((await client(b.url, alice.token).post(`/api/rooms/${room.id}/seen`)).body.seen).toBe(3);
    rooms = await client(a.url, alice.token).get("/api/rooms");
    expect(rooms.body.rooms[0]).toMatchObject({ id: room.id, unreadCount: 0 });
  });

  it("delivers a message sent through one instance to a socket on the other, and follows membership across instances", async () => {
    const alice = await buildUser(a.url);
    const bob = await buildUser(a.url);
    const room = await buildRoom(alice);
    const bobSocket = await connectSocket(a.url, bob.token);
    try {
      const joined = collect(bobSocket, "room:joined");
      const got = collect(bobSocket, "message:new");
      // Bob is added through instance B; his socket lives on instance A.
      expect((await client(b.url, alice.token).post(`/api/rooms/${room.id}/members`, { userId: bob.id })).status).toBe(201);
      await joined.waitFor(1);
      const aliceSocket = await connectSocket(b.url, alice.token);
      const ack = await emitWithAck(aliceSocket, "message:send", { roomId: room.id, body: { text: "across" } });
      expect(ack.message.body.text).toBe("across");
      await got.waitFor(1);
      expect(got.items[0].message.body.text).toBe("across");
      aliceSocket.close();
    } finally {
      bobSocket.close();
    }
  });

  it("counts an incoming hook's rate limit once across both instances", async () => {
    const alice = await buildUser(a.url);
    const room = await buildRoom(alice);
    const hook = (await client(a.url, alice.token).post(`/api/rooms/${room.id}/incoming-webhooks`, { name: "CI" })).body.incomingWebhook;
    const statuses: number[] = [];
    for (const server of [a, b, a, b, a, b]) {
      const res = await request(server.url, "POST", `/api/hooks/${hook.id}`, {
        body: { text: "ping" },
        headers: { "x-api-key": hook.apiKey },
      });
      statuses.push(res.status);
      if (res.status === 429) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    }
    expect(statuses).toEqual([201, 201, 201, 429, 429, 429]);
    const messages = await client(b.url, alice.token).get(`/api/rooms/${room.id}/messages`);
    expect(messages.body.messages).toHaveLength(3);
  });

  it("counts an inspector bin's capture limit once across both instances", async () => {
    const alice = await buildUser(a.url);
    const bin = (await client(a.url, alice.token).post("/api/inspector/bins")).body.bin;
    const statuses: number[] = [];
    for (const server of [a, b, a, b, a]) statuses.push((await request(server.url, "POST", `/inspect/${bin.id}`, { raw: "x" })).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect((await client(b.url, alice.token).get(`/api/inspector/bins/${bin.id}/requests`)).body.requests).toHaveLength(3);
  });

  it("keeps inspector bodies byte-exact on PostgreSQL, 64 KiB in the list, the whole by id", async () => {
    const alice = await buildUser(a.url);
    const api = client(b.url, alice.token);
    const bin = (await api.post("/api/inspector/bins")).body.bin;
    const bytes = Buffer.alloc(100 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 13 + 0x80) & 0xff;
    expect((await request(a.url, "POST", `/inspect/${bin.id}`, { raw: bytes })).status).toBe(200);
    const [listed] = (await api.get(`/api/inspector/bins/${bin.id}/requests`)).body.requests;
    expect(listed).toMatchObject({ bodyTruncated: true, bodySize: bytes.length });
    expect(Buffer.from(listed.bodyBase64, "base64").equals(bytes.subarray(0, 64 * 1024))).toBe(true);
    const whole = (await api.get(`/api/inspector/bins/${bin.id}/requests/${listed.id}`)).body.request;
    expect(Buffer.from(whole.bodyBase64, "base64").equals(bytes)).toBe(true);
  });
});
