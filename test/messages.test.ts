import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorFields } from "./helpers/api.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";

let server: TestServer;
let alice: TestUser, bob: TestUser, carol: TestUser;
let roomId: number;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob, carol] = await Promise.all([1, 2, 3].map(() => buildUser(server.url)));
  roomId = (await buildRoom(alice, [bob, carol])).id;
});
afterAll(() => server.close());

describe("send", () => {
  it("returns the message in Spika's exact shape", async () => {
    const res = await bob.api.post(`/api/rooms/${roomId}/messages`, { type: "text", body: { text: "hello" } });
    expect(res.status).toBe(201);
    expect(Object.keys(res.body.message).sort()).toEqual(
      ["id", "fromUserId", "totalUserCount", "deliveredCount", "seenCount", "roomId", "type", "body", "createdAt", "modifiedAt", "localId", "deleted", "replyId"].sort(),
    );
    expect(res.body.message).toMatchObject({
      fromUserId: bob.id, totalUserCount: 3, deliveredCount: 0, seenCount: 0, roomId, type: "text",
      body: { text: "hello" }, localId: null, deleted: false, replyId: null,
    });
    expect(res.body.message.createdAt).toBeGreaterThan(1_600_000_000_000);
  });

  it("defaults type to text and accepts 10,000 characters (emoji included) but not 10,001", async () => {
    expect((await alice.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "x".repeat(10_000) } })).status).toBe(201);
    const emoji = await alice.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "😀".repeat(5000) } });
    expect(emoji.status).toBe(201);
    const tooLong = await alice.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "x".repeat(10_001) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.details[0].path).toBe("body.text");
  });

  it.each([
    [{ body: { text: "" } }, "body.text"],
    [{ body: { text: "   " } }, "body.text"],
    [{ body: {} }, "body.text"],
    [{}, "body"],
    [{ type: "image", body: { text: "x" } }, "type"],
    [{ body: { text: "x" }, replyId: "abc" }, "replyId"],
    [{ body: { text: 5 } }, "body.text"],
  ])("refuses %j with 400 naming %s", async (input, field) => {
    const res = await alice.api.post(`/api/rooms/${roomId}/messages`, input);
    expect(res.status).toBe(400);
    expect(errorFields(res)).toContain(field);
  });

  it("de-duplicates a repeated localId from the same user in the same room, even when racing", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(() => alice.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "once" }, localId: "local-1" })),
    );
    expect(new Set(results.map((r) => r.body.message.id)).size).toBe(1);
    expect(results.every((r) => r.status === 201)).toBe(true);
    const other = await bob.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "once" }, localId: "local-1" });
    expect(other.body.message.id).not.toBe(results[0]!.body.message.id);
    const history = await alice.api.get(`/api/rooms/${roomId}/messages?limit=100`);
    expect(history.body.messages.filter((m: { localId: string }) => m.localId === "local-1")).toHaveLength(2);
  });

  it("replies only to a message of the same room", async () => {
    const target = await sendText(alice, roomId, "question");
    const reply = await bob.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "answer" }, replyId: target.id });
    expect(reply.status).toBe(201);
    expect(reply.body.message.replyId).toBe(target.id);
    const otherRoom = await buildRoom(alice, [bob]);
    const cross = await bob.api.post(`/api/rooms/${otherRoom.id}/messages`, { body: { text: "x" }, replyId: target.id });
    expect(cross.status).toBe(400);
    expect(cross.body.error.details[0].path).toBe("replyId");
    expect((await bob.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "x" }, replyId: 99999999 })).status).toBe(400);
  });

  it("is 404 for a non-member and for an unknown room", async () => {
    const outsider = await buildUser(server.url);
    expect((await outsider.api.post(`/api/rooms/${roomId}/messages`, { body: { text: "hi" } })).status).toBe(404);
    expect((await alice.api.post(`/api/rooms/99999999/messages`, { body: { text: "hi" } })).status).toBe(404);
  });
});

describe("history", () => {
  it("pages newest first with before and limit", async () => {
    const room = await buildRoom(alice, [bob]);
    const sent = [];
    for (let i = 0; i < 5; i++) sent.push(await sendText(alice, room.id, `m${i}`));
    const page1 = await bob.api.get(`/api/rooms/${room.id}/messages?limit=2`);
    expect(page1.body.messages.map((m: { body: { text: string } }) => m.body.text)).toEqual(["m4", "m3"]);
    const page2 = await bob.api.get(`/api/rooms/${room.id}/messages?limit=2&before=${page1.body.messages[1].id}`);
    expect(page2.body.messages.map((m: { body: { text: string } }) => m.body.text)).toEqual(["m2", "m1"]);
    expect((await bob.api.get(`/api/rooms/${room.id}/messages`)).body.messages).toHaveLength(5);
  });

  it.each(["limit=0", "limit=101", "limit=x", "before=-1", "before=abc", "limit=1&limit=2"])("refuses ?%s with 400", async (q) => {
    const res = await alice.api.get(`/api/rooms/${roomId}/messages?${q}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
  });
});

describe("edit and delete", () => {
  it("lets the author edit; others get 403, outsiders 404", async () => {
    const msg = await sendText(bob, roomId, "typo");
    const edited = await bob.api.patch(`/api/messages/${msg.id}`, { body: { text: "fixed" } });
    expect(edited.status).toBe(200);
    expect(edited.body.message.body.text).toBe("fixed");
    expect(edited.body.message.modifiedAt).toBeGreaterThanOrEqual(msg.modifiedAt);
    expect((await alice.api.patch(`/api/messages/${msg.id}`, { body: { text: "hack" } })).status).toBe(403);
    const outsider = await buildUser(server.url);
    expect((await outsider.api.patch(`/api/messages/${msg.id}`, { body: { text: "hack" } })).status).toBe(404);
    expect((await bob.api.patch(`/api/messages/${msg.id}`, { body: { text: "" } })).status).toBe(400);
    expect((await bob.api.patch(`/api/messages/99999999`, { body: { text: "x" } })).status).toBe(404);
  });

  it("soft-deletes for the author or an admin, not for another member", async () => {
    const mine = await sendText(bob, roomId, "secret");
    expect((await carol.api.delete(`/api/messages/${mine.id}`)).status).toBe(403);
    const deleted = await bob.api.delete(`/api/messages/${mine.id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.body.message).toMatchObject({ id: mine.id, deleted: true, body: { text: "" } });
    expect((await bob.api.delete(`/api/messages/${mine.id}`)).body.message.deleted).toBe(true);
    expect((await bob.api.patch(`/api/messages/${mine.id}`, { body: { text: "back" } })).status).toBe(409);

    const carols = await sendText(carol, roomId, "rude");
    expect((await alice.api.delete(`/api/messages/${carols.id}`)).body.message.deleted).toBe(true);
    const history = await alice.api.get(`/api/rooms/${roomId}/messages`);
    expect(history.body.messages.find((m: { id: number }) => m.id === carols.id).deleted).toBe(true);
  });
});

describe("receipts", () => {
  it("counts delivered and seen per user, excluding the author; seen implies delivered", async () => {
    const msg = await sendText(alice, roomId, "read me");
    expect((await alice.api.post(`/api/messages/${msg.id}/seen`)).body).toMatchObject({ deliveredCount: 0, seenCount: 0 });
    expect((await bob.api.post(`/api/messages/${msg.id}/delivered`)).body).toMatchObject({ messageId: msg.id, deliveredCount: 1, seenCount: 0 });
    expect((await bob.api.post(`/api/messages/${msg.id}/delivered`)).body).toMatchObject({ deliveredCount: 1, seenCount: 0 });
    expect((await carol.api.post(`/api/messages/${msg.id}/seen`)).body).toMatchObject({ deliveredCount: 2, seenCount: 1 });
    expect((await bob.api.post(`/api/messages/${msg.id}/seen`)).body).toMatchObject({ deliveredCount: 2, seenCount: 2 });
    const history = await alice.api.get(`/api/rooms/${roomId}/messages?limit=1`);
    expect(history.body.messages[0]).toMatchObject({ id: msg.id, deliveredCount: 2, seenCount: 2 });
    const outsider = await buildUser(server.url);
    expect((await outsider.api.post(`/api/messages/${msg.id}/seen`)).status).toBe(404);
    expect((await bob.api.post(`/api/messages/99999999/seen`)).status).toBe(404);
    expect((await bob.api.post(`/api/messages/x/seen`)).status).toBe(400);
  });
});

describe("room seen", () => {
  it("marks every message of the room seen by the caller, updates counts and unread, and is idempotent", async () => {
    const room = await buildRoom(alice, [bob, carol]);
    const sent = [];
    for (let i = 0; i < 3; i++) sent.push(await sendText(alice, room.id, `n${i}`));
    await bob.api.post(`/api/messages/${sent[0].id}/delivered`);
    const mine = await sendText(bob, room.id, "bob's own");

    const res = await bob.api.post(`/api/rooms/${room.id}/seen`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ roomId: room.id, seen: 3 });
    const history = (await alice.api.get(`/api/rooms/${room.id}/messages`)).body.messages;
    for (const m of sent) {
      expect(history.find((h: { id: number }) => h.id === m.id)).toMatchObject({ deliveredCount: 1, seenCount: 1 });
    }
    expect(history.find((h: { id: number }) => h.id === mine.id)).toMatchObject({ deliveredCount: 0, seenCount: 0 });
    const listed = (await bob.api.get("/api/rooms")).body.rooms.find((r: { id: number }) => r.id === room.id);
    expect(listed.unreadCount).toBe(0);
    expect((await bob.api.post(`/api/rooms/${room.id}/seen`)).body.seen).toBe(0);
    expect((await carol.api.post(`/api/messages/${sent[1].id}/seen`)).body).toMatchObject({ deliveredCount: 2, seenCount: 2 });
  });

  it("is 404 for a non-member or unknown room and 400 for a bad id", async () => {
    const outsider = await buildUser(server.url);
    expect((await outsider.api.post(`/api/rooms/${roomId}/seen`)).status).toBe(404);
    expect((await alice.api.post(`/api/rooms/99999999/seen`)).status).toBe(404);
    expect((await alice.api.post(`/api/rooms/x/seen`)).status).toBe(400);
  });
});
