// Every webhook route as a stranger (404), a plain member (403), a room admin (2xx) and nobody (401);
// and a non-admin never sees a webhook's secret or Verification-Signature anywhere.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { connectSocket } from "./helpers/sockets.ts";
import { seedDelivery } from "./helpers/webhook-fixtures.ts";
import { createWebhook, waitUntil } from "./helpers/webhooks.ts";

let server: TestServer;
let admin: TestUser;
let member: TestUser;
let stranger: TestUser;
let roomId: number;

beforeAll(async () => {
  server = await startTestServer();
  admin = await buildUser(server.url);
  member = await buildUser(server.url);
  stranger = await buildUser(server.url);
  roomId = (await buildRoom(admin, [member])).id;
  // The stranger administers a room of their own: being an admin elsewhere gives nothing here.
  await buildRoom(stranger, [], "Stranger's room");
});
afterAll(() => server.close());

type Method = "get" | "post" | "patch" | "delete";
interface Route {
  method: Method;
  path: string;
  body?: unknown;
  ok: number;
}

/** Every route, with a fresh webhook and delivery so the admin's call can succeed (DELETE included). */
async function routes(): Promise<Route[]> {
  const w = await createWebhook(admin, roomId);
  const d = await seedDelivery(server, w.id, { status: "succeeded" });
  const base = `/api/rooms/${roomId}/webhooks`;
  const one = `${base}/${w.id}`;
  return [
    { method: "get", path: base, ok: 200 },
    { method: "post", path: base, body: { url: "http://127.0.0.1:9/x" }, ok: 201 },
    { method: "get", path: one, ok: 200 },
    { method: "patch", path: one, body: { name: "Renamed" }, ok: 200 },
    { method: "post", path: `${one}/rotate`, ok: 200 },
    { method: "post", path: `${one}/test`, ok: 202 },
    { method: "get", path: `${one}/deliveries`, ok: 200 },
    { method: "get", path: `${one}/deliveries/${d.id}`, ok: 200 },
    { method: "post", path: `${one}/deliveries/${d.id}/redeliver`, ok: 202 },
    { method: "delete", path: one, ok: 204 },
  ];
}

const call = (user: TestUser, r: Route) => user.api[r.method](r.path, r.body);

describe("every webhook route", () => {
  it("is 401 without a valid token", async () => {
    for (const r of await routes()) {
      for (const auth of [undefined, "Bearer not-a-token"]) {
        const res = await request(server.url, r.method.toUpperCase(), r.path, { body: r.body, headers: auth ? { authorization: auth } : {} });
        expect(res.status, `${r.method} ${r.path}`).toBe(401);
        expect(res.body.error.code).toBe("unauthorized");
      }
    }
  });

  it("is 404 for a non-member, revealing nothing", async () => {
    for (const r of await routes()) {
      const res = await call(stranger, r);
      expect(res.status, `${r.method} ${r.path}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
      expect(res.text).not.toMatch(/whsec_|verificationSignature/);
    }
  });

  it("is 403 for a member who is not an admin, revealing nothing", async () => {
    for (const r of await routes()) {
      const res = await call(member, r);
      expect(res.status, `${r.method} ${r.path}`).toBe(403);
      expect(res.body.error.code).toBe("forbidden");
      expect(res.text).not.toMatch(/whsec_|verificationSignature/);
    }
  });

  it("works for a room admin", async () => {
    for (const r of await routes()) {
      const res = await call(admin, r);
      expect(res.status, `${r.method} ${r.path}: ${res.text}`).toBe(r.ok);
    }
  });

  it("follows admin rights as they change", async () => {
    const [r] = await routes();
    await admin.api.patch(`/api/rooms/${roomId}/members/${member.id}`, { isAdmin: true });
    expect((await call(member, r!)).status).toBe(200);
    await admin.api.patch(`/api/rooms/${roomId}/members/${member.id}`, { isAdmin: false });
    expect((await call(member, r!)).status).toBe(403);
  });
});

describe("secrets stay with the admins", () => {
  it("a member sees neither secret nor Verification-Signature in rooms, messages, users or socket events", async () => {
    const w = await createWebhook(admin, roomId, { name: "Secretive", events: ["message.created", "room.updated", "member.added"] });
    const secrets = [w.secret, w.verificationSignature, "verificationSignature", "whsec_"];
    const socket = await connectSocket(server.url, member.token);
    const seen: string[] = [];
    socket.onAny((event: string, ...args: unknown[]) => seen.push(`${event} ${JSON.stringify(args)}`));
    try {
      const ping = await admin.api.post(`/api/rooms/${roomId}/webhooks/${w.id}/test`);
      expect(ping.status).toBe(202);
      const message = await sendText(admin, roomId, "visible to all");
      await admin.api.patch(`/api/rooms/${roomId}`, { name: "Room renamed" });

      const texts = [
        (await member.api.get(`/api/rooms/${roomId}`)).text,
        (await member.api.get(`/api/rooms`)).text,
        (await member.api.get(`/api/rooms/${roomId}/messages`)).text,
        (await member.api.get(`/api/users/${w.botUserId}`)).text,
        (await member.api.get(`/api/users?search=Secretive`)).text,
      ];
      // The member's socket has had the message and the rename by now.
      await waitUntil(() => seen.some((s) => s.includes(`"id":${message.id}`)) && seen.some((s) => s.includes("Room renamed")), "socket events", 10_000);
      for (const text of [...texts, ...seen]) {
        for (const s of secrets) expect(text).not.toContain(s);
      }
      expect(seen.filter((s) => s.startsWith("webhook:delivery"))).toEqual([]);
    } finally {
      socket.close();
    }
  });
});
