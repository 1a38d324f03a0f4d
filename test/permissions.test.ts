// Walks every room route as a non-member (404), a member (403 on admin actions) and an admin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { client } from "./helpers/api.ts";

let server: TestServer;
let admin: TestUser, member: TestUser, outsider: TestUser, spare: TestUser, joiner: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  [admin, member, outsider, spare, joiner] = await Promise.all([1, 2, 3, 4, 5].map(() => buildUser(server.url)));
});
afterAll(() => server.close());

type Expect = { outsider: number; member: number; admin: number };
type Route = { name: string; call: (u: TestUser, roomId: number, messageId: number) => Promise<{ status: number }>; expect: Expect };

const routes: Route[] = [
  { name: "GET room", call: (u, r) => u.api.get(`/api/rooms/${r}`), expect: { outsider: 404, member: 200, admin: 200 } },
  { name: "PATCH room", call: (u, r) => u.api.patch(`/api/rooms/${r}`, { name: "n" }), expect: { outsider: 404, member: 403, admin: 200 } },
  { name: "POST member", call: (u, r) => u.api.post(`/api/rooms/${r}/members`, { userId: joiner.id }), expect: { outsider: 404, member: 403, admin: 201 } },
  { name: "PATCH member", call: (u, r) => u.api.patch(`/api/rooms/${r}/members/${member.id}`, { isAdmin: false }), expect: { outsider: 404, member: 403, admin: 200 } },
  { name: "DELETE other member", call: (u, r) => u.api.delete(`/api/rooms/${r}/members/${spare.id}`), expect: { outsider: 404, member: 403, admin: 204 } },
  { name: "GET messages", call: (u, r) => u.api.get(`/api/rooms/${r}/messages`), expect: { outsider: 404, member: 200, admin: 200 } },
  { name: "POST message", call: (u, r) => u.api.post(`/api/rooms/${r}/messages`, { body: { text: "hi" } }), expect: { outsider: 404, member: 201, admin: 201 } },
  { name: "PATCH admin's message", call: (u, _r, m) => u.api.patch(`/api/messages/${m}`, { body: { text: "x" } }), expect: { outsider: 404, member: 403, admin: 200 } },
  { name: "POST seen", call: (u, _r, m) => u.api.post(`/api/messages/${m}/seen`), expect: { outsider: 404, member: 200, admin: 200 } },
  { name: "DELETE admin's message", call: (u, _r, m) => u.api.delete(`/api/messages/${m}`), expect: { outsider: 404, member: 403, admin: 200 } },
];

describe.each(routes)("$name", (route) => {
  it.each(["outsider", "member", "admin"] as const)("as %s", async (who) => {
    const room = await buildRoom(admin, [member, spare]);
    const message = await sendText(admin, room.id, "by admin");
    const user = { outsider, member, admin }[who];
    const res = await route.call(user, room.id, message.id);
    expect(res.status).toBe(route.expect[who]);
  });
});

describe("without a token", () => {
  it.each(routes)("$name is 401", async (route) => {
    const room = await buildRoom(admin, [member]);
    const message = await sendText(admin, room.id, "x");
    const anonymous = { ...admin, api: client(server.url) };
    expect((await route.call(anonymous, room.id, message.id)).status).toBe(401);
  });
});
