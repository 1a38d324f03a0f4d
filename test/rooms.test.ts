import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";

let server: TestServer;
let alice: TestUser, bob: TestUser, carol: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => buildUser(server.url)));
});
afterAll(() => server.close());

describe("rooms", () => {
  it("creates a room with the creator as admin and lists it for every member", async () => {
    const res = await alice.api.post("/api/rooms", { name: "Team", memberIds: [bob.id, bob.id, alice.id] });
    expect(res.status).toBe(201);
    expect(res.body.room).toMatchObject({ name: "Team", avatarFileId: null, isAdmin: true });
    expect(res.body.room.members).toHaveLength(2);
    expect(res.body.room.members).toEqual(
      expect.arrayContaining([
        { userId: alice.id, username: alice.username, displayName: alice.displayName, isAdmin: true },
        { userId: bob.id, username: bob.username, displayName: bob.displayName, isAdmin: false },
      ]),
    );
    const listed = await bob.api.get("/api/rooms");
    expect(listed.body.rooms.map((r: { id: number }) => r.id)).toContain(res.body.room.id);
    expect((await carol.api.get("/api/rooms")).body.rooms.map((r: { id: number }) => r.id)).not.toContain(res.body.room.id);
  });

  it("refuses a bad name or unknown member with 400", async () => {
    for (const body of [{}, { name: "" }, { name: "x".repeat(101) }, { name: "ok", memberIds: [999999] }, { name: "ok", memberIds: "1" }]) {
      const res = await alice.api.post("/api/rooms", body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe("validation_failed");
    }
  });

  it("lists rooms with their last message and unread count", async () => {
    const room = await buildRoom(alice, [bob], "Unread");
    await alice.api.post(`/api/rooms/${room.id}/messages`, { body: { text: "one" } });
    const two = await alice.api.post(`/api/rooms/${room.id}/messages`, { body: { text: "two" } });
    let mine = (await bob.api.get("/api/rooms")).body.rooms.find((r: { id: number }) => r.id === room.id);
    expect(mine.unreadCount).toBe(2);
    expect(mine.lastMessage.body.text).toBe("two");
    await bob.api.post(`/api/messages/${two.body.message.id}/seen`);
    mine = (await bob.api.get("/api/rooms")).body.rooms.find((r: { id: number }) => r.id === room.id);
    expect(mine.unreadCount).toBe(1);
    expect((await alice.api.get("/api/rooms")).body.rooms.find((r: { id: number }) => r.id === room.id).unreadCount).toBe(0);
  });

  it("renames a room (admin) and validates the change", async () => {
    const room = await buildRoom(alice, [bob]);
    const res = await alice.api.patch(`/api/rooms/${room.id}`, { name: "Renamed", avatarFileId: 88 });
    expect(res.status).toBe(200);
    expect(res.body.room).toMatchObject({ name: "Renamed", avatarFileId: 88 });
    expect((await alice.api.patch(`/api/rooms/${room.id}`, {})).status).toBe(400);
    expect((await alice.api.patch(`/api/rooms/${room.id}`, { name: "  " })).status).toBe(400);
    expect((await alice.api.get(`/api/rooms/abc`)).status).toBe(400);
    expect((await alice.api.get(`/api/rooms/999999`)).status).toBe(404);
  });

  it("adds, promotes, demotes and removes members", async () => {
    const room = await buildRoom(alice);
    const added = await alice.api.post(`/api/rooms/${room.id}/members`, { userId: bob.id });
    expect(added.status).toBe(201);
    expect(added.body.member).toMatchObject({ userId: bob.id, isAdmin: false });
    expect((await alice.api.post(`/api/rooms/${room.id}/members`, { userId: bob.id })).status).toBe(409);
    expect((await alice.api.post(`/api/rooms/${room.id}/members`, { userId: 999999 })).status).toBe(404);
    expect((await alice.api.post(`/api/rooms/${room.id}/members`, { userId: "x" })).status).toBe(400);

    const promoted = await alice.api.patch(`/api/rooms/${room.id}/members/${bob.id}`, { isAdmin: true });
    expect(promoted.status).toBe(200);
    expect(promoted.body.member.isAdmin).toBe(true);
    expect((await alice.api.patch(`/api/rooms/${room.id}/members/${bob.id}`, { isAdmin: "yes" })).status).toBe(400);
    expect((await alice.api.patch(`/api/rooms/${room.id}/members/${carol.id}`, { isAdmin: true })).status).toBe(404);

    // Bob, now admin, can add Carol; Alice demotes Bob; Bob can then no longer add.
    expect((await bob.api.post(`/api/rooms/${room.id}/members`, { userId: carol.id })).status).toBe(201);
    expect((await alice.api.patch(`/api/rooms/${room.id}/members/${bob.id}`, { isAdmin: false })).status).toBe(200);
    expect((await bob.api.delete(`/api/rooms/${room.id}/members/${carol.id}`)).status).toBe(403);

    expect((await alice.api.delete(`/api/rooms/${room.id}/members/${carol.id}`)).status).toBe(204);
    expect((await carol.api.get(`/api/rooms/${room.id}`)).status).toBe(404);
    expect((await alice.api.delete(`/api/rooms/${room.id}/members/${carol.id}`)).status).toBe(404);
  });

  it("keeps at least one admin: the last cannot demote themself, and leaving promotes the oldest member", async () => {
    const room = await buildRoom(alice, [bob]);
    await alice.api.post(`/api/rooms/${room.id}/members`, { userId: carol.id });
    const demote = await alice.api.patch(`/api/rooms/${room.id}/members/${alice.id}`, { isAdmin: false });
    expect(demote.status).toBe(409);
    expect((await alice.api.delete(`/api/rooms/${room.id}/members/${alice.id}`)).status).toBe(204);
    const seen = await bob.api.get(`/api/rooms/${room.id}`);
    expect(seen.body.room.members.find((m: { userId: number }) => m.userId === bob.id).isAdmin).toBe(true);
    expect(seen.body.room.isAdmin).toBe(true);
  });

  it("lets a member leave", async () => {
    const room = await buildRoom(alice, [bob]);
    expect((await bob.api.delete(`/api/rooms/${room.id}/members/${bob.id}`)).status).toBe(204);
    expect((await bob.api.get(`/api/rooms/${room.id}`)).status).toBe(404);
  });
});

describe("users", () => {
  it("searches users by name and never returns bots or hashes", async () => {
    const zed = await buildUser(server.url, { username: "zed.search", displayName: "Zed Searchable" });
    const res = await alice.api.get("/api/users?search=zed.sea");
    expect(res.status).toBe(200);
    expect(res.body.users).toEqual([{ id: zed.id, username: "zed.search", displayName: "Zed Searchable", avatarFileId: null }]);
    expect((await alice.api.get("/api/users?search=Searchable")).body.users).toHaveLength(1);
    expect((await alice.api.get("/api/users?search=a&search=b")).status).toBe(400);
    expect((await alice.api.get(`/api/users/${zed.id}`)).body.user.username).toBe("zed.search");
    expect((await alice.api.get(`/api/users/999999`)).status).toBe(404);
    expect((await alice.api.get(`/api/users/nope`)).status).toBe(400);
  });

  it("matches % and _ in a search literally, not as wildcards", async () => {
    const literal = await buildUser(server.url, { username: "pct_lit", displayName: "Hundred % Sure" });
    const plain = await buildUser(server.url, { username: "pctxlit", displayName: "Hundred X Sure" });
    const ids = async (search: string) =>
      ((await alice.api.get(`/api/users?search=${encodeURIComponent(search)}`)).body.users as { id: number }[]).map((u) => u.id);
    expect(await ids("pct_lit")).toEqual([literal.id]);
    expect(await ids("Hundred %")).toEqual([literal.id]);
    expect(await ids("%")).toEqual([literal.id]);
    expect(await ids("_")).not.toContain(plain.id);
    expect(await ids("pct")).toEqual(expect.arrayContaining([literal.id, plain.id]));
    expect(await ids("\\")).toEqual([]);
  });
});
