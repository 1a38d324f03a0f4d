// The message path's and the receipts' hand-written statements, on SQLite and PostgreSQL.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import {
  insertMessage,
  insertMessageWithDeliveries,
  messageByLocalId,
  messageContext,
  messageRoomId,
  PENDING_MESSAGE_ID,
  ROOM_LOCK_CLASS,
  type NewMessage,
} from "../../src/messages/messages-sql.ts";
import { statement } from "../../src/db/sql.ts";

// The lock insertMessageWithDeliveries takes, held by a test's transaction.
const roomLockForTest = statement<{ roomId: number }, unknown>({
  name: "test_room_lock",
  sqlite: null,
  postgres: `SELECT pg_advisory_xact_lock(${ROOM_LOCK_CLASS}, $1::int)::text AS locked`,
  params: (p) => [p.roomId],
});
import { addToCounts, insertReceipt, markReceiptSeen, messageForReceipt } from "../../src/messages/receipts-sql.ts";
import { dialects, type DialectDb } from "./dialects.ts";
import { waitUntil } from "../helpers/webhooks.ts";

const all = await dialects();
afterAll(async () => {
  for (const d of all) await d.dispose();
});

describe.each(all)("message statements on $name", (dialect) => {
  let h: DialectDb;
  let db: Database;
  let alice: number, bob: number, outsider: number, roomId: number;

  beforeEach(async () => {
    h = await dialect.open();
    db = h.database;
    const user = (username: string, avatarFileId: number | null = null) =>
      db.prisma.user.create({ data: { username, displayName: username.toUpperCase(), passwordHash: "!", avatarFileId } }).then((u) => u.id);
    [alice, bob, outsider] = [await user("alice", 7), await user("bob"), await user("eve")];
    roomId = (await db.prisma.room.create({ data: { name: "r", avatarFileId: 3, members: { create: [{ userId: alice, isAdmin: true }, { userId: bob }] } } })).id;
  });
  afterEach(() => h.close());

  const message = (over: Partial<NewMessage> = {}): NewMessage => ({
    roomId, fromUserId: alice, type: "text", body: '{"text":"hi"}', totalUserCount: 2, localId: null, replyId: null, source: "user", createdAt: new Date(), ...over,
  });

  it("reads the sender's membership and the room with its member count and active webhooks", async () => {
    expect(await db.sql.read.get(messageContext, { roomId, userId: alice })).toEqual({
      room: { name: "r", avatarFileId: 3 },
      memberCount: 2,
      sender: { displayName: "ALICE", avatarFileId: 7 },
      webhooks: [],
    });
    expect(await db.sql.read.get(messageContext, { roomId, userId: outsider })).toEqual({ room: { name: "r", avatarFileId: 3 }, memberCount: 2, sender: undefined, webhooks: [] });
    expect(await db.sql.read.get(messageContext, { roomId: 999, userId: alice })).toBeUndefined();
    const bot = await db.prisma.user.create({ data: { username: "bot.1", displayName: "B", passwordHash: "!", isBot: true } });
    const base = { roomId, name: "w", url: "http://127.0.0.1:1/", events: '["message.created"]', verificationSignature: "v".repeat(16), secret: "s".repeat(16), botUserId: bot.id };
    const on = await db.prisma.webhook.create({ data: base });
    const triggered = await db.prisma.webhook.create({ data: { ...base, triggerWords: '["!deploy"]', triggerMatch: "anywhere" } });
    await db.prisma.webhook.create({ data: { ...base, enabled: false } });
    await db.prisma.webhook.create({ data: { ...base, deletedAt: new Date() } });
    // Another room's webhook is not this room's.
    const elsewhere = (await db.prisma.room.create({ data: { name: "other" } })).id;
    await db.prisma.webhook.create({ data: { ...base, roomId: elsewhere } });
    const { webhooks } = (await db.sql.read.get(messageContext, { roomId, userId: alice }))!;
    expect(webhooks).toEqual([
      { id: on.id, events: '["message.created"]', verificationSignature: "v".repeat(16), triggerWords: "[]", triggerMatch: "first_word" },
      { id: triggered.id, events: '["message.created"]', verificationSignature: "v".repeat(16), triggerWords: '["!deploy"]', triggerMatch: "anywhere" },
    ]);
  });

  it("inserts a message and returns its id; a repeated localId inserts nothing", async () => {
    const createdAt = new Date(Date.now() - 5000);
    const id = await db.sql.transaction((q) => q.get(insertMessage, message({ localId: "l1", createdAt })));
    const row = await db.sql.read.get(messageByLocalId, { roomId, fromUserId: alice, localId: "l1" });
    expect(row).toMatchObject({ id, roomId, fromUserId: alice, type: "text", body: '{"text":"hi"}', totalUserCount: 2, deliveredCount: 0, seenCount: 0, localId: "l1", deleted: false, replyId: null, source: "user" });
    expect(row!.createdAt.getTime()).toBe(createdAt.getTime());
    expect(row!.modifiedAt.getTime()).toBe(createdAt.getTime());
    // Prisma reads back what the statement wrote.
    expect((await db.prisma.message.findUnique({ where: { id: row!.id } }))?.createdAt.getTime()).toBe(createdAt.getTime());
    expect(await db.sql.transaction((q) => q.get(insertMessage, message({ localId: "l1", body: '{"text":"again"}' })))).toBeUndefined();
    expect((await db.sql.read.get(messageByLocalId, { roomId, fromUserId: alice, localId: "l1" }))?.id).toBe(row!.id);
    // No localId: never a conflict.
    await db.sql.transaction((q) => q.get(insertMessage, message()));
    await db.sql.transaction((q) => q.get(insertMessage, message()));
    expect(await db.prisma.message.count()).toBe(3);
    expect(await db.sql.read.get(messageRoomId, { id: row!.id })).toBe(roomId);
  });

  it("counts receipts by increments: delivered once, seen once, seen implies delivered", async () => {
    const m = { id: (await db.sql.transaction((q) => q.get(insertMessage, message())))! };
    expect(await db.sql.read.get(messageForReceipt, { messageId: m.id, userId: bob })).toMatchObject({ roomId, fromUserId: alice, member: true });
    expect(await db.sql.read.get(messageForReceipt, { messageId: m.id, userId: outsider })).toMatchObject({ member: false });
    const at = new Date();
    await db.sql.transaction(async (q) => {
      expect(await q.run(insertReceipt, { messageId: m.id, userId: bob, at, seen: false })).toBe(1);
      expect(await q.run(insertReceipt, { messageId: m.id, userId: bob, at, seen: true })).toBe(0);
      expect(await q.run(markReceiptSeen, { messageId: m.id, userId: bob, at })).toBe(1);
      expect(await q.run(markReceiptSeen, { messageId: m.id, userId: bob, at })).toBe(0);
      expect(await q.get(addToCounts, { messageId: m.id, delivered: 1, seen: 1 })).toEqual({ deliveredCount: 1, seenCount: 1 });
    });
    const receipt = await db.prisma.messageReceipt.findUnique({ where: { messageId_userId: { messageId: m.id, userId: bob } } });
    expect(receipt?.seenAt?.getTime()).toBe(at.getTime());
  });

  it("commits transactions asked for together one by one: a failing one is rolled back alone", async () => {
    const attempt = (localId: string, fail: boolean) =>
      db.sql.transaction(async (q) => {
        await q.get(insertMessage, message({ localId }));
        if (fail) throw new Error(`no ${localId}`);
        return localId;
      });
    // Asked for in the same turn: on SQLite they share one commit.
    const results = await Promise.allSettled([attempt("a", false), attempt("b", true), attempt("c", false)]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    const kept = await db.prisma.message.findMany({ select: { localId: true }, orderBy: { id: "asc" } });
    expect(kept.map((m) => m.localId)).toEqual(["a", "c"]);
    // Alone, a failure leaves nothing either.
    await expect(attempt("d", true)).rejects.toThrow("no d");
    expect(await db.prisma.message.count()).toBe(2);
  });

  it.runIf(dialect.name === "postgres")("writes a message with its deliveries in one statement, the message's id in their payloads; a repeated localId writes neither", async () => {
    const bot = await db.prisma.user.create({ data: { username: "bot.1", displayName: "B", passwordHash: "!", isBot: true } });
    const hook = (name: string) =>
      db.prisma.webhook.create({ data: { roomId, name, url: "http://127.0.0.1:1/", events: '["message.created"]', verificationSignature: "v".repeat(16), secret: "s".repeat(16), botUserId: bot.id } });
    const [w1, w2] = [await hook("a"), await hook("b")];
    const payload = (n: number) => JSON.stringify({ type: "message.created", data: { message: { id: PENDING_MESSAGE_ID, body: { text: `"message":{"id":-1, ${n}` } } } });
    const createdAt = new Date(Date.now() - 5000);
    const write = (localId: string) =>
      db.sql.single.get(insertMessageWithDeliveries, {
        ...message({ localId, createdAt }),
        eventId: "msg_e1",
        deliveries: [{ webhookId: w1.id, payload: payload(1) }, { webhookId: w2.id, payload: payload(2) }],
      });
    const id = (await write("l1"))!;
    expect(await db.sql.read.get(messageByLocalId, { roomId, fromUserId: alice, localId: "l1" })).toMatchObject({ id, totalUserCount: 2, body: '{"text":"hi"}' });
    const rows = await db.prisma.webhookDelivery.findMany({ orderBy: { id: "asc" } });
    expect(rows.map((r) => [r.webhookId, r.messageId, r.eventId, r.event, r.status, r.attempts])).toEqual([
      [w1.id, id, "msg_e1", "message.created", "pending", 0],
      [w2.id, id, "msg_e1", "message.created", "pending", 0],
    ]);
    // The id takes the pending one's place; the same characters inside a string stay as they were.
    expect(rows.map((r) => JSON.parse(r.payload))).toEqual([1, 2].map((n) => ({ type: "message.created", data: { message: { id, body: { text: `"message":{"id":-1, ${n}` } } } })));
    expect(rows[0]!.createdAt.getTime()).toBe(createdAt.getTime());
    // Due from when it was written (under the room's lock), not from the message's createdAt.
    expect(rows[0]!.nextAttemptAt.getTime()).toBeGreaterThan(createdAt.getTime() + 4000);
    expect(rows[0]!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await write("l1")).toBeUndefined();
    expect(await db.prisma.message.count()).toBe(1);
    expect(await db.prisma.webhookDelivery.count()).toBe(2);
    // No webhook: the message alone.
    expect(await db.sql.single.get(insertMessageWithDeliveries, { ...message(), eventId: "", deliveries: [] })).toBeGreaterThan(id);
    expect(await db.prisma.webhookDelivery.count()).toBe(2);
  });

  it.runIf(dialect.name === "postgres")("takes the room's lock: messages of one room get their ids in commit order, other rooms wait for nothing", async () => {
    const other = (await db.prisma.room.create({ data: { name: "o", members: { create: [{ userId: alice }] } } })).id;
    const waitingOnRoom = () =>
      db.prisma.$queryRawUnsafe<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND objid = $1`,
        roomId,
      );
    const write = (over: Partial<NewMessage>) => db.sql.single.get(insertMessageWithDeliveries, { ...message(over), eventId: "", deliveries: [] });
    // A transaction holding the room's lock, as a message's statement holds it until it commits.
    const holder = await db.sql.transaction(async (q) => {
      await q.get(roomLockForTest, { roomId });
      // A second writer of the room waits for it; a writer of another room does not.
      const second = write({ fromUserId: bob });
      await waitUntil(async () => (await waitingOnRoom())[0]!.n === 1, "the second writer waiting on the room's lock");
      expect(await write({ roomId: other })).toBeGreaterThan(0);
      return { second, first: (await q.get(insertMessage, message()))! };
    });
    expect(await holder.second).toBeGreaterThan(holder.first);
    expect((await waitingOnRoom())[0]!.n).toBe(0);
  });
});
