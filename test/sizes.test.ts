// The sizes the contract promises, on SQLite (whose driver binds at most 999 values): a room of
// 10,000 members, a user in 10,000 rooms, 1,000 memberIds at creation, and marking a room seen
// whatever the number of unseen messages, without holding up other requests. Bulk data is seeded
// with SQL; everything checked goes through the public routes and Socket.IO.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { client, type Client } from "./helpers/api.ts";
import { buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { collect, connectSocket, emitWithAck, type TestSocket } from "./helpers/sockets.ts";
import { seedMembers, seedMessages, seedRooms, seedUsers } from "./helpers/seed.ts";

const BIG = 10_000;

let server: TestServer;
let alice: TestUser, bob: TestUser;
let seeded: number[];
const sockets: TestSocket[] = [];

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([1, 2].map(() => buildUser(server.url)));
  seeded = await seedUsers(server.app.ctx.db, `big${process.pid}`, BIG);
  expect(seeded).toHaveLength(BIG);
}, 120_000);
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server.close();
});

/** A seeded user as a client (seeded users cannot log in; the server's own token service signs for them). */
function as(userId: number): { token: string; api: Client } {
  const token = server.app.ctx.tokens.sign(userId);
  return { token, api: client(server.url, token) };
}

async function connect(token: string) {
  const s = await connectSocket(server.url, token);
  sockets.push(s);
  return s;
}

const settle = (s: TestSocket) => emitWithAck(s, "inspector:unwatch", { binId: "none" });

describe("POST /api/rooms memberIds", () => {
  it("takes 1,000 members at once and refuses 1,001 with 400", async () => {
    const res = await alice.api.post("/api/rooms", { name: "Thousand", memberIds: seeded.slice(0, 1000) });
    expect(res.status, res.text).toBe(201);
    expect(res.body.room.members).toHaveLength(1001);
    const tooMany = await alice.api.post("/api/rooms", { name: "Too many", memberIds: seeded.slice(0, 1001) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error).toMatchObject({ code: "validation_failed", details: [expect.objectContaining({ path: "memberIds" })] });
  });

  it("refuses 1,000 members when one of them is unknown, creating nothing", async () => {
    const before = (await alice.api.get("/api/rooms")).body.rooms.length;
    const res = await alice.api.post("/api/rooms", { name: "Unknown", memberIds: [...seeded.slice(0, 999), 2 ** 31 - 1] });
    expect(res.status).toBe(400);
    expect((await alice.api.get("/api/rooms")).body.rooms.length).toBe(before);
  });
});

describe("a room of 10,000 members", () => {
  let roomId: number;
  beforeAll(async () => {
    roomId = (await alice.api.post("/api/rooms", { name: "Everyone" })).body.room.id;
    await seedMembers(server.app.ctx.db, [roomId], seeded);
  }, 60_000);

  it("lists its members, posts to them live, and follows adds and removals with one-member events", async () => {
    const room = await alice.api.get(`/api/rooms/${roomId}`);
    expect(room.status).toBe(200);
    expect(room.body.room.members).toHaveLength(BIG + 1);

    const member = as(seeded[BIG - 1]!);
    const s = await connect(member.token);
    await settle(s);
    const added = collect(s, "member:added");
    const removed = collect(s, "member:removed");
    const updated = collect(s, "room:updated");
    const got = collect(s, "message:new");

    expect((await alice.api.post(`/api/rooms/${roomId}/members`, { userId: bob.id })).status).toBe(201);
    const sent = await sendText(alice, roomId, "hello everyone");
    expect(sent.totalUserCount).toBe(BIG + 2);
    expect((await got.waitFor(1))[0]!.message.id).toBe(sent.id);
    expect((await added.waitFor(1))[0]).toEqual({
      roomId,
      member: { userId: bob.id, username: bob.username, displayName: bob.displayName, isAdmin: false },
    });

    expect((await alice.api.delete(`/api/rooms/${roomId}/members/${bob.id}`)).status).toBe(204);
    expect((await removed.waitFor(1))[0]).toEqual({ roomId, userId: bob.id });
    expect((await alice.api.patch(`/api/rooms/${roomId}`, { name: "Everyone!" })).status).toBe(200);
    const renamed = (await updated.waitFor(1))[0]!.room;
    expect(renamed).toMatchObject({ id: roomId, name: "Everyone!" });
    expect(renamed.members).toBeUndefined();

    const list = await member.api.get("/api/rooms");
    expect(list.status).toBe(200);
    expect(list.body.rooms.find((r: { id: number }) => r.id === roomId)).toMatchObject({ unreadCount: 1, lastMessage: { id: sent.id } });
    expect((await member.api.post(`/api/rooms/${roomId}/seen`)).body).toEqual({ roomId, seen: 1 });
  });

  it("promotes the oldest member when its last admin leaves, telling the room about that member only", async () => {
    const owner = await buildUser(server.url);
    const handover = (await owner.api.post("/api/rooms", { name: "Handover" })).body.room.id as number;
    await seedMembers(server.app.ctx.db, [handover], seeded);
    const watcher = as(seeded[5]!);
    const s = await connect(watcher.token);
    await settle(s);
    const updated = collect(s, "member:updated");
    const removed = collect(s, "member:removed");
    const roomUpdated = collect(s, "room:updated");

    expect((await owner.api.delete(`/api/rooms/${handover}/members/${owner.id}`)).status).toBe(204);
    expect((await removed.waitFor(1))[0]).toEqual({ roomId: handover, userId: owner.id });
    const [event] = await updated.waitFor(1);
    // Seeded together: the oldest is the first by user id.
    expect(event).toEqual({ roomId: handover, member: expect.objectContaining({ userId: seeded[0], isAdmin: true }) });
    const admins = (await watcher.api.get(`/api/rooms/${handover}`)).body.room.members.filter((m: { isAdmin: boolean }) => m.isAdmin);
    expect(admins).toEqual([event!.member]);
    await settle(s);
    expect(roomUpdated.items).toEqual([]);
  });
});

describe("a user in 10,000 rooms", () => {
  let hub: TestUser;
  let rooms: number[];
  beforeAll(async () => {
    hub = await buildUser(server.url);
    rooms = await seedRooms(server.app.ctx.db, "Many", BIG);
    await seedMembers(server.app.ctx.db, rooms, [hub.id, bob.id]);
    await seedMessages(server.app.ctx.db, rooms, bob.id, 1, 2);
  }, 60_000);

  it("lists every room with its last message and unread count", async () => {
    const res = await hub.api.get("/api/rooms");
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    const mine = (res.body.rooms as { id: number; unreadCount: number; lastMessage: { body: { text: string } } | null }[]).filter((r) =>
      rooms.includes(r.id),
    );
    expect(mine).toHaveLength(BIG);
    expect(mine.every((r) => r.unreadCount === 1 && r.lastMessage?.body.text === "seeded 1")).toBe(true);
  });

  it("connects a socket that joins all of them, and marks one seen", async () => {
    const s = await connect(hub.token);
    await settle(s);
    const got = collect(s, "message:new");
    const last = rooms[BIG - 1]!;
    const sent = await sendText(bob, last, "to the last room");
    expect((await got.waitFor(1))[0]!.message.id).toBe(sent.id);
    expect((await hub.api.post(`/api/rooms/${last}/seen`)).body).toEqual({ roomId: last, seen: 2 });
    const listed = (await hub.api.get("/api/rooms")).body.rooms.find((r: { id: number }) => r.id === last);
    expect(listed.unreadCount).toBe(0);
  });

  it("can be added to one more room", async () => {
    const room = await alice.api.post("/api/rooms", { name: "One more", memberIds: [hub.id] });
    expect(room.status).toBe(201);
    expect((await hub.api.get("/api/rooms")).body.rooms).toHaveLength(BIG + 1);
  });
});

describe("marking a room seen", () => {
  it("marks 10,000 unseen messages in batches that let other requests through", async () => {
    const reader = await buildUser(server.url);
    const roomId = (await alice.api.post("/api/rooms", { name: "Backlog", memberIds: [reader.id] })).body.room.id as number;
    await seedMessages(server.app.ctx.db, [roomId], alice.id, BIG, 2);
    // Half of them already delivered (a receipt without seenAt): both kinds must end seen.
    const half = (await alice.api.get(`/api/rooms/${roomId}/messages?limit=100`)).body.messages as { id: number }[];
    for (const m of half.slice(0, 10)) expect((await reader.api.post(`/api/messages/${m.id}/delivered`)).status).toBe(200);

    const s = await connect(reader.token);
    await settle(s);
    const counts = collect(s, "message:counts");
    const order: string[] = [];
    const seen = reader.api.post(`/api/rooms/${roomId}/seen`).then((r) => (order.push("seen"), r));
    // Once the first batch is committed (its counts are out), a request that needs the database
    // must not wait for the other batches.
    await counts.waitFor(1, 30_000);
    const other = await reader.api.get("/api/users/me").then((r) => (order.push("other"), r));
    const res = await seen;
    expect(other.status).toBe(200);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ roomId, seen: BIG });
    expect(order).toEqual(["other", "seen"]);

    await counts.waitFor(BIG, 30_000);
    expect(counts.items.every((c) => c.seenCount === 1 && c.deliveredCount === 1)).toBe(true);
    const listed = (await reader.api.get("/api/rooms")).body.rooms.find((r: { id: number }) => r.id === roomId);
    expect(listed.unreadCount).toBe(0);
    expect((await reader.api.post(`/api/rooms/${roomId}/seen`)).body).toEqual({ roomId, seen: 0 });
  }, 120_000);
});
