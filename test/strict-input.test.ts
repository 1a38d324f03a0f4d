// Input the contract refuses with 400 validation_failed and nothing written: lone UTF-16
// surrogates in any text, and ids, flags or numbers of the wrong JSON type (nothing is coerced).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { client, request, type ApiResponse } from "./helpers/api.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { connectSocket, emitWithAck, type TestSocket } from "./helpers/sockets.ts";
import { createWebhook } from "./helpers/webhooks.ts";

let server: TestServer;
let alice: TestUser, bob: TestUser, carol: TestUser;
let roomId: number;
let socket: TestSocket;

beforeAll(async () => {
  // Dozens of message:send calls in a row: above the default per-user rate limit.
  server = await startTestServer({ SOCKET_MESSAGE_BURST: "1000" });
  [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => buildUser(server.url)));
  roomId = (await buildRoom(alice, [bob])).id;
  socket = await connectSocket(server.url, alice.token);
});
afterAll(async () => {
  socket.close();
  await server.close();
});

const LONE_HIGH = "ok \ud800 ok";
const LONE_LOW = "\udfff";

function expect400(res: ApiResponse, what: string) {
  expect(res.status, `${what}: ${res.text}`).toBe(400);
  expect(res.body.error.code, what).toBe("validation_failed");
}

async function messageCount(room = roomId): Promise<number> {
  return (await alice.api.get(`/api/rooms/${room}/messages?limit=100`)).body.messages.length;
}

describe("lone UTF-16 surrogates", () => {
  it("are refused on register and login, and no user is made", async () => {
    const anon = client(server.url);
    const name = `surr${Date.now() % 100000}`;
    expect400(await anon.post("/api/auth/register", { username: name, password: "password123", displayName: LONE_HIGH }), "displayName");
    expect400(await anon.post("/api/auth/register", { username: name, password: `pass${LONE_LOW}word`, displayName: "Ok" }), "password");
    expect((await alice.api.get(`/api/users?search=${name}`)).body.users).toEqual([]);
    expect400(await anon.post("/api/auth/login", { username: `a${LONE_HIGH}`, password: "password123" }), "login username");
    expect400(await anon.post("/api/auth/login", { username: alice.username, password: LONE_LOW }), "login password");
  });

  it("are refused when creating and renaming a room", async () => {
    const before = (await alice.api.get("/api/rooms")).body.rooms.length;
    expect400(await alice.api.post("/api/rooms", { name: LONE_HIGH }), "create");
    expect((await alice.api.get("/api/rooms")).body.rooms.length).toBe(before);
    expect400(await alice.api.patch(`/api/rooms/${roomId}`, { name: LONE_LOW }), "rename");
    expect((await alice.api.get(`/api/rooms/${roomId}`)).body.room.name).toBe("Room");
  });

  it("are refused in a message's text and localId, over REST and over message:send", async () => {
    const before = await messageCount();
    expect400(await alice.api.post(`/api/rooms/${roomId}/messages`, { body: { text: LONE_HIGH } }), "text");
    expect400(await alice.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "fine" }, localId: `l${LONE_LOW}` }), "localId");
    const sent = await sendText(alice, roomId, "to edit");
    expect400(await alice.api.patch(`/api/messages/${sent.id}`, { body: { text: LONE_LOW } }), "edit");
    for (const payload of [
      { roomId, body: { text: LONE_HIGH } },
      { roomId, body: { text: "fine" }, localId: `s${LONE_HIGH}` },
    ]) {
      const ack = await emitWithAck(socket, "message:send", payload);
      expect(ack.error?.code, JSON.stringify(payload)).toBe("validation_failed");
    }
    expect(await messageCount()).toBe(before + 1);
    expect((await alice.api.get(`/api/rooms/${roomId}/messages?limit=1`)).body.messages[0].body.text).toBe("to edit");
  });

  it("are refused when creating and renaming a webhook, and creating an incoming hook", async () => {
    const url = "http://127.0.0.1:9/hook";
    expect400(await alice.api.post(`/api/rooms/${roomId}/webhooks`, { url, name: LONE_HIGH }), "webhook create");
    expect((await alice.api.get(`/api/rooms/${roomId}/webhooks`)).body.webhooks).toEqual([]);
    const webhook = await createWebhook(alice, roomId, { url, name: "Named" });
    expect400(await alice.api.patch(`/api/rooms/${roomId}/webhooks/${webhook.id}`, { name: LONE_LOW }), "webhook rename");
    expect((await alice.api.get(`/api/rooms/${roomId}/webhooks/${webhook.id}`)).body.webhook.name).toBe("Named");
    expect400(await alice.api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: LONE_HIGH }), "incoming create");
    expect((await alice.api.get(`/api/rooms/${roomId}/incoming-webhooks`)).body.incomingWebhooks).toEqual([]);
    // The same rule on the rest of the incoming hooks: renaming one, and the text posted to one.
    const hook = (await alice.api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: "Hook" })).body.incomingWebhook;
    expect400(await alice.api.patch(`/api/rooms/${roomId}/incoming-webhooks/${hook.id}`, { name: LONE_LOW }), "incoming rename");
    const before = await messageCount();
    const posted = await request(server.url, "POST", `/api/hooks/${hook.id}`, {
      raw: JSON.stringify({ text: LONE_HIGH }),
      headers: { "content-type": "application/json", "x-api-key": hook.apiKey },
    });
    expect400(posted, "incoming post");
    expect(await messageCount()).toBe(before);
    expect(await alice.api.delete(`/api/rooms/${roomId}/webhooks/${webhook.id}`).then((r) => r.status)).toBe(204);
  });

  it("keeps accepting well-formed text: surrogate pairs (emoji) and unknown fields holding anything", async () => {
    const res = await alice.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "😀 \u{1F600}" }, ignored: LONE_HIGH });
    expect(res.status).toBe(201);
    expect(res.body.message.body.text).toBe("😀 😀");
  });
});

// Wrong types where a JSON integer id belongs; `null` is refused too except where the field is nullable.
const BAD_IDS: unknown[] = ["5", true, false, [5], "0x7fffffff", "1e9", 1.5, 0, -1, 2 ** 31, { id: 5 }, ""];

describe("ids in JSON bodies and socket payloads are JSON integers, nothing coerced", () => {
  it("refuses the reported coercions: avatarFileId true, \"0x7fffffff\" and \"1e9\" leave the room unchanged", async () => {
    for (const avatarFileId of [true, "0x7fffffff", "1e9"]) {
      expect400(await alice.api.patch(`/api/rooms/${roomId}`, { avatarFileId }), `avatarFileId ${JSON.stringify(avatarFileId)}`);
    }
    expect((await alice.api.get(`/api/rooms/${roomId}`)).body.room.avatarFileId).toBeNull();
  });

  it("refuses message:send with roomId [8] and posts nothing", async () => {
    const before = await messageCount();
    const ack = await emitWithAck(socket, "message:send", { roomId: [roomId], body: { text: "array room" } });
    expect(ack.error?.code).toBe("validation_failed");
    expect(ack.error.details).toEqual([expect.objectContaining({ path: "roomId" })]);
    expect(await messageCount()).toBe(before);
  });

  // Every JSON-body (or payload) id field of the API: how to send a value there, and a valid one for control.
  const fields: { name: string; send: (value: unknown) => Promise<{ status: number; code?: string }>; valid: () => unknown }[] = [
    {
      name: "POST /api/rooms memberIds[]",
      send: async (v) => toResult(await alice.api.post("/api/rooms", { name: "ids", memberIds: [v] })),
      valid: () => bob.id,
    },
    {
      name: "PATCH /api/rooms/:id avatarFileId",
      send: async (v) => toResult(await alice.api.patch(`/api/rooms/${roomId}`, { avatarFileId: v })),
      valid: () => 88,
    },
    {
      name: "POST /api/rooms/:id/members userId",
      send: async (v) => {
        const room = await buildRoom(alice, [], "members");
        return toResult(await alice.api.post(`/api/rooms/${room.id}/members`, { userId: v }));
      },
      valid: () => carol.id,
    },
    {
      name: "POST /api/rooms/:id/messages replyId",
      send: async (v) => toResult(await alice.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "reply" }, replyId: v })),
      valid: () => firstMessageId,
    },
    {
      name: "message:send roomId",
      send: async (v) => ackResult(await emitWithAck(socket, "message:send", { roomId: v, body: { text: "socket" } })),
      valid: () => roomId,
    },
    {
      name: "message:send replyId",
      send: async (v) => ackResult(await emitWithAck(socket, "message:send", { roomId, body: { text: "socket reply" }, replyId: v })),
      valid: () => firstMessageId,
    },
  ];
  let firstMessageId: number;

  for (const field of fields) {
    it(`${field.name}: refuses ${BAD_IDS.length} wrong types and accepts an integer`, async () => {
      firstMessageId ??= (await sendText(alice, roomId, "reply target")).id;
      for (const value of BAD_IDS) {
        const result = await field.send(value);
        expect(result, `${field.name} = ${JSON.stringify(value)}`).toEqual({ status: 400, code: "validation_failed" });
      }
      const ok = await field.send(field.valid());
      expect(ok.status, field.name).toBeLessThan(300);
    });
  }

  it("refuses null where an id is required, and takes null where the field is nullable", async () => {
    expect400(await alice.api.post(`/api/rooms/${roomId}/members`, { userId: null }), "userId null");
    expect((await alice.api.patch(`/api/rooms/${roomId}`, { avatarFileId: null })).status).toBe(200);
  });

  it("refuses flags that are not JSON booleans", async () => {
    const room = await buildRoom(alice, [], "flags");
    for (const isAdmin of ["true", 1, 0, "false", null, [true]]) {
      expect400(await alice.api.post(`/api/rooms/${room.id}/members`, { userId: carol.id, isAdmin }), `isAdmin ${JSON.stringify(isAdmin)}`);
    }
    expect((await alice.api.get(`/api/rooms/${room.id}`)).body.room.members).toHaveLength(1);
    expect400(await alice.api.post(`/api/rooms/${roomId}/webhooks`, { url: "http://127.0.0.1:9/x", enabled: "true" }), "enabled");
  });
});

describe("path segments and query strings are decimal digits only", () => {
  it("refuses hex, exponents, signs, spaces and fractions in path ids", async () => {
    for (const segment of ["0x10", "1e3", "%205", "+5", "-5", "5.0", "0", "2147483648", "99999999999999999999"]) {
      expect400(await alice.api.get(`/api/rooms/${segment}`), `/api/rooms/${segment}`);
    }
    expect((await alice.api.get(`/api/rooms/${roomId}`)).status).toBe(200);
    expect((await alice.api.get(`/api/rooms/00${roomId}`)).status).toBe(200);
  });

  it("refuses non-digit limit and before in the message history and the delivery log", async () => {
    const webhook = await createWebhook(alice, roomId, { url: "http://127.0.0.1:9/q" });
    for (const path of [`/api/rooms/${roomId}/messages`, `/api/rooms/${roomId}/webhooks/${webhook.id}/deliveries`]) {
      for (const q of ["limit=1e1", "limit=0x10", "limit=%2010", "limit=5.5", "before=0x10", "before=1e3", "limit=101", "limit=0"]) {
        expect400(await alice.api.get(`${path}?${q}`), `${path}?${q}`);
      }
      expect((await alice.api.get(`${path}?limit=10&before=${2 ** 31 - 1}`)).status).toBe(200);
    }
  });
});

describe("a webhook's custom headers", () => {
  it("refuses a __proto__ object (which would otherwise vanish) and stores nothing", async () => {
    const raw = `{"url":"http://127.0.0.1:9/proto","headers":{"__proto__":{"X-Injected":"1"}}}`;
    const res = await request(server.url, "POST", `/api/rooms/${roomId}/webhooks`, {
      token: alice.token,
      raw,
      headers: { "content-type": "application/json" },
    });
    expect400(res, "__proto__ headers");
    expect(res.body.error.details).toEqual([expect.objectContaining({ path: "headers.__proto__" })]);
    const listed = (await alice.api.get(`/api/rooms/${roomId}/webhooks`)).body.webhooks as { url: string }[];
    expect(listed.map((w) => w.url)).not.toContain("http://127.0.0.1:9/proto");
  });
});

function toResult(res: ApiResponse): { status: number; code?: string } {
  return res.status >= 300 ? { status: res.status, code: res.body?.error?.code } : { status: res.status };
}

function ackResult(ack: { error?: { code: string } }): { status: number; code?: string } {
  return ack.error ? { status: ack.error.code === "validation_failed" ? 400 : 500, code: ack.error.code } : { status: 200 };
}
