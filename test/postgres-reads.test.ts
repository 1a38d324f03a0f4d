// The hand-written statements of rooms, receipts and user search on PostgreSQL (the other tests
// run them on SQLite): a user's room list, a room's members, marking more than one batch seen,
// and a search for a literal % and _.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { clonePostgresDb, createPostgresTemplate, servicesAvailable } from "./helpers/services.ts";

const available = await servicesAvailable("postgres");
let template: Awaited<ReturnType<typeof createPostgresTemplate>> | undefined;
let drop: (() => Promise<void>) | undefined;
let server: TestServer;
let alice: TestUser, bob: TestUser;

beforeAll(async () => {
  if (!available) return;
  template = await createPostgresTemplate();
  const db = await clonePostgresDb(template.name);
  drop = db.drop;
  server = await startTestServer({ DATABASE_URL: db.url, JWT_SECRET: "postgres-reads-test-secret" });
  [alice, bob] = await Promise.all([1, 2].map(() => buildUser(server.url)));
}, 120_000);
afterAll(async () => {
  await server?.close();
  await drop?.();
  await template?.drop();
});

describe.runIf(available)("on PostgreSQL", () => {
  it("lists rooms with last message and unread count, and a room's members in order", async () => {
    const room = await buildRoom(alice, [bob], "Pg room");
    const empty = await buildRoom(bob, [], "Pg empty");
    await sendText(alice, room.id, "first");
    const last = await sendText(alice, room.id, "second");
    const rooms = (await bob.api.get("/api/rooms")).body.rooms as { id: number; unreadCount: number; isAdmin: boolean; lastMessage: { id: number } | null }[];
    expect(rooms.find((r) => r.id === room.id)).toMatchObject({ unreadCount: 2, isAdmin: false, lastMessage: { id: last.id, body: { text: "second" } } });
    expect(rooms.find((r) => r.id === empty.id)).toMatchObject({ unreadCount: 0, isAdmin: true, lastMessage: null });
    // Created together, so in user id order.
    const members = (await bob.api.get(`/api/rooms/${room.id}`)).body.room.members;
    expect(members).toEqual(
      [
        { userId: alice.id, username: alice.username, displayName: alice.displayName, isAdmin: true },
        { userId: bob.id, username: bob.username, displayName: bob.displayName, isAdmin: false },
      ].sort((a, b) => a.userId - b.userId),
    );
  });

  it("marks more than one batch of messages seen", async () => {
    const room = await buildRoom(alice, [bob], "Pg backlog");
    await server.app.ctx.db.$executeRawUnsafe(
      `INSERT INTO "Message" ("roomId", "fromUserId", "type", "body", "totalUserCount", "source", "createdAt", "modifiedAt")
       SELECT $1, $2, 'text', '{"text":"seeded"}', 2, 'user', now(), now() FROM generate_series(1, 1200)`,
      room.id,
      alice.id,
    );
    expect((await bob.api.post(`/api/rooms/${room.id}/seen`)).body).toEqual({ roomId: room.id, seen: 1200 });
    expect((await bob.api.get("/api/rooms")).body.rooms.find((r: { id: number }) => r.id === room.id).unreadCount).toBe(0);
    const newest = (await alice.api.get(`/api/rooms/${room.id}/messages?limit=1`)).body.messages[0];
    expect(newest).toMatchObject({ deliveredCount: 1, seenCount: 1 });
  });

  it("searches users case-insensitively with % and _ taken literally", async () => {
    const literal = await buildUser(server.url, { username: "pg_pct", displayName: "Fully 100% Done" });
    const other = await buildUser(server.url, { username: "pgxpct", displayName: "Fully 1000 Done" });
    const ids = async (search: string) =>
      ((await alice.api.get(`/api/users?search=${encodeURIComponent(search)}`)).body.users as { id: number }[]).map((u) => u.id);
    expect(await ids("100%")).toEqual([literal.id]);
    expect(await ids("pg_")).toEqual([literal.id]);
    expect(await ids("FULLY")).toEqual([literal.id, other.id]);
  });
});
