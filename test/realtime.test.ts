import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { collect, connectSocket, emitWithAck, type TestSocket } from "./helpers/sockets.ts";

let server: TestServer;
let alice: TestUser, bob: TestUser;
const sockets: TestSocket[] = [];
const connect = async (u: TestUser) => {
  const s = await connectSocket(server.url, u.token);
  sockets.push(s);
  return s;
};

beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([1, 2].map(() => buildUser(server.url)));
});
afterEach(() => {
  sockets.splice(0).forEach((s) => s.close());
});
afterAll(() => server.close());

/** A round trip through the server: events the server emitted before it have reached the client. */
const settle = (s: TestSocket) => emitWithAck(s, "inspector:unwatch", { binId: "none" });

describe("socket.io", () => {
  it("refuses a missing or bad token", async () => {
    await expect(connectSocket(server.url, undefined)).rejects.toThrow(/unauthorized/);
    await expect(connectSocket(server.url, "not-a-token")).rejects.toThrow(/unauthorized/);
    await expect(connectSocket(server.url, alice.token + "x")).rejects.toThrow(/unauthorized/);
  });

  it("delivers a message sent over REST and over message:send to the other member live", async () => {
    const room = await buildRoom(alice, [bob]);
    const [a, b] = await Promise.all([connect(alice), connect(bob)]);
    await Promise.all([settle(a), settle(b)]);
    const got = collect(b, "message:new");

    await sendText(alice, room.id, "over rest");
    const ack = await emitWithAck(a, "message:send", { roomId: room.id, type: "text", body: { text: "over socket" }, localId: "s1" });
    expect(ack.message).toMatchObject({ roomId: room.id, body: { text: "over socket" }, fromUserId: alice.id, localId: "s1" });

    await got.waitFor(2);
    expect(got.items.map((p) => p.message.body.text)).toEqual(["over rest", "over socket"]);
  });

  it("acknowledges an invalid message:send with an error in the contract's shape", async () => {
    const room = await buildRoom(alice, [bob]);
    const a = await connect(alice);
    const bad = await emitWithAck(a, "message:send", { roomId: room.id, body: { text: "" } });
    expect(bad.error.code).toBe("validation_failed");
    const notMine = await emitWithAck(a, "message:send", { roomId: 99999999, body: { text: "x" } });
    expect(notMine.error.code).toBe("not_found");
    const garbage = await emitWithAck(a, "message:send", "nonsense");
    expect(garbage.error.code).toBe("validation_failed");
  });

  it("joins a room when added and stops receiving when removed", async () => {
    const room = await buildRoom(alice);
    const b = await connect(bob);
    await settle(b);
    const joined = collect(b, "room:joined");
    const left = collect(b, "room:left");
    const got = collect(b, "message:new");

    await alice.api.post(`/api/rooms/${room.id}/members`, { userId: bob.id });
    expect((await joined.waitFor(1))[0].room).toMatchObject({ id: room.id, isAdmin: false });
    await sendText(alice, room.id, "welcome");
    await got.waitFor(1);

    await alice.api.delete(`/api/rooms/${room.id}/members/${bob.id}`);
    await left.waitFor(1);
    await sendText(alice, room.id, "after removal");
    // A message to a room Bob is still in proves later events arrive; the removed room's must not.
    const other = await buildRoom(alice, [bob]);
    await sendText(alice, other.id, "marker");
    await got.waitFor(2);
    expect(got.items.map((p) => p.message.body.text)).toEqual(["welcome", "marker"]);
  });

  it("sends edits, deletes, counts, room updates and typing to members", async () => {
    const room = await buildRoom(alice, [bob]);
    const [a, b] = await Promise.all([connect(alice), connect(bob)]);
    await Promise.all([settle(a), settle(b)]);
    const updated = collect(a, "message:updated");
    const deleted = collect(a, "message:deleted");
    const counts = collect(a, "message:counts");
    const roomUpdated = collect(b, "room:updated");
    const typing = collect(a, "typing");

    const msg = await sendText(bob, room.id, "v1");
    await bob.api.patch(`/api/messages/${msg.id}`, { body: { text: "v2" } });
    await alice.api.post(`/api/messages/${msg.id}/seen`);
    await bob.api.delete(`/api/messages/${msg.id}`);
    await alice.api.patch(`/api/rooms/${room.id}`, { name: "New name" });
    b.emit("typing", { roomId: room.id });
    b.emit("typing", { roomId: 99999999 });

    expect((await updated.waitFor(1))[0]!.message.body.text).toBe("v2");
    expect((await deleted.waitFor(1))[0]!.message.deleted).toBe(true);
    expect((await counts.waitFor(1))[0]).toMatchObject({ messageId: msg.id, deliveredCount: 1, seenCount: 1 });
    expect((await roomUpdated.waitFor(1))[0]!.room.name).toBe("New name");
    expect((await typing.waitFor(1))[0]).toEqual({ roomId: room.id, userId: bob.id });
  });

  it("tells members about a membership change with the one member that changed, and keeps room:updated for the room's own fields", async () => {
    const room = await buildRoom(alice, [bob]);
    const carol = await buildUser(server.url);
    const b = await connect(bob);
    await settle(b);
    const added = collect(b, "member:added");
    const updated = collect(b, "member:updated");
    const removed = collect(b, "member:removed");
    const roomUpdated = collect(b, "room:updated");

    await alice.api.post(`/api/rooms/${room.id}/members`, { userId: carol.id });
    await alice.api.patch(`/api/rooms/${room.id}/members/${carol.id}`, { isAdmin: true });
    await alice.api.delete(`/api/rooms/${room.id}/members/${carol.id}`);
    const carolDto = { userId: carol.id, username: carol.username, displayName: carol.displayName };
    expect((await added.waitFor(1))[0]).toEqual({ roomId: room.id, member: { ...carolDto, isAdmin: false } });
    expect((await updated.waitFor(1))[0]).toEqual({ roomId: room.id, member: { ...carolDto, isAdmin: true } });
    expect((await removed.waitFor(1))[0]).toEqual({ roomId: room.id, userId: carol.id });
    await settle(b);
    expect(roomUpdated.items).toEqual([]);

    await alice.api.patch(`/api/rooms/${room.id}`, { name: "Only the name" });
    const [change] = await roomUpdated.waitFor(1);
    expect(change!.room).toMatchObject({ id: room.id, name: "Only the name" });
    expect(change!.room.members).toBeUndefined();
  });
});
