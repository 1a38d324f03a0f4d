// The message cold paths through the service (edit, delete, a whole room marked seen), on SQLite:
// each change commits with its outbox rows and is announced after the commit, and a refused or
// empty change announces nothing. (The hot path's statements run on both databases: test/sql/.)
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createMessage, deleteMessage, editMessage } from "../../src/messages/messages.service.ts";
import { markRoomSeen } from "../../src/messages/receipts.service.ts";
import { createRoom } from "../../src/rooms/rooms.service.ts";
import { createWebhook } from "../../src/webhooks/outgoing/webhooks.service.ts";
import { createWebhookBody } from "../../src/webhooks/outgoing/webhooks.schema.ts";
import { sqlite } from "../sql/dialects.ts";
import { names, openHarness, type Harness } from "./harness.ts";

describe("message cold paths", () => {
  let h: Harness;
  let alice: number, bob: number, roomId: number;
  beforeEach(async () => {
    h = await openHarness(sqlite);
    [alice, bob] = [await h.user("alice"), await h.user("bob")];
    roomId = (await createRoom(h.deps, alice, { name: "R", memberIds: [bob] })).room.id;
  });
  afterEach(() => h.close());

  const send = async (from: number, text: string) => (await createMessage(h.deps, { roomId, fromUserId: from, source: "user", body: { text } })).message;

  it("an edit commits with its outbox row and Spika's shape, then is announced", async () => {
    const { webhook } = await createWebhook(h.deps, alice, roomId, createWebhookBody.parse({ url: "https://example.com/hook", events: ["message.updated"] }));
    const m = await send(alice, "first");
    h.drain();
    const { message } = await editMessage(h.deps, alice, m.id, { body: { text: "second" } });
    expect(message.body.text).toBe("second");
    const events = h.drain();
    expect(names(events)).toEqual(["message.updated", "outbox.enqueued"]);
    expect(events[1]).toMatchObject({ payload: { webhookIds: [webhook.id] } });
    const [delivery] = await h.database.prisma.webhookDelivery.findMany({ where: { webhookId: webhook.id } });
    expect(JSON.parse(delivery!.payload)).toMatchObject({
      type: "message.updated",
      data: { message: { id: m.id, body: { text: "second" } }, fromUser: { displayName: "ALICE" }, room: { name: "R" } },
    });
  });

  it("refuses another's edit and announces nothing", async () => {
    const m = await send(alice, "mine");
    h.drain();
    await expect(editMessage(h.deps, bob, m.id, { body: { text: "theirs" } })).rejects.toMatchObject({ status: 403 });
    await expect(editMessage(h.deps, bob, 99_999, { body: { text: "x" } })).rejects.toMatchObject({ status: 404 });
    expect(h.published).toEqual([]);
    expect(JSON.parse((await h.database.prisma.message.findUniqueOrThrow({ where: { id: m.id } })).body)).toEqual({ text: "mine" });
  });

  it("a delete is announced once; deleting again changes and announces nothing", async () => {
    const m = await send(bob, "oops");
    h.drain();
    expect((await deleteMessage(h.deps, alice, m.id)).message).toMatchObject({ deleted: true, body: { text: "" } });
    expect(names(h.drain())).toEqual(["message.deleted"]);
    expect((await deleteMessage(h.deps, bob, m.id)).message.deleted).toBe(true);
    expect(h.published).toEqual([]);
  });

  it("marks a whole room seen, announcing each message's counts after its batch commits", async () => {
    const sent = [await send(alice, "a"), await send(alice, "b"), await send(bob, "mine")];
    h.drain();
    expect(await markRoomSeen(h.deps, bob, roomId)).toEqual({ roomId, seen: 2 });
    expect(h.drain()).toEqual([
      { event: "message.counts", payload: { roomId, messageId: sent[0]!.id, deliveredCount: 1, seenCount: 1 } },
      { event: "message.counts", payload: { roomId, messageId: sent[1]!.id, deliveredCount: 1, seenCount: 1 } },
    ]);
    expect(await markRoomSeen(h.deps, bob, roomId)).toEqual({ roomId, seen: 0 });
    expect(h.published).toEqual([]);
  });
});
