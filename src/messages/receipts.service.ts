// Delivered and seen receipts: one row per (message, reader); the counts on the message follow them.
// Marking one message is the hot path (receipts-sql.ts); marking a whole room seen goes through Prisma.
import { Prisma } from "../db/client.ts";
import { prismaTransaction } from "../db/transaction.ts";
import { requireMember } from "../rooms/rooms.policy.ts";
import { notFound } from "../http/errors.ts";
import { addToCounts, insertReceipt, markReceiptSeen, messageForReceipt } from "./receipts-sql.ts";
import type { MessageDeps } from "./messages.service.ts";

export async function markMessage(deps: MessageDeps, userId: number, messageId: number, kind: "delivered" | "seen") {
  const result = await deps.sql.transaction(async (q) => {
    const message = await q.get(messageForReceipt, { messageId, userId });
    if (!message?.member) throw notFound("Message");
    const unchanged = { message, changed: false };
    // Counts exclude the author.
    if (message.fromUserId === userId) return unchanged;
    const at = new Date();
    let delivered = 0;
    let seen = 0;
    if ((await q.run(insertReceipt, { messageId, userId, at, seen: kind === "seen" })) === 1) {
      delivered = 1;
      seen = kind === "seen" ? 1 : 0; // seen implies delivered
    } else if (kind === "seen") {
      seen = await q.run(markReceiptSeen, { messageId, userId, at });
    }
    if (delivered + seen === 0) return unchanged;
    const counts = await q.get(addToCounts, { messageId, delivered, seen });
    return { message: { ...message, ...counts }, changed: true };
  });
  const counts = {
    roomId: result.message.roomId,
    messageId,
    deliveredCount: result.message.deliveredCount,
    seenCount: result.message.seenCount,
  };
  if (result.changed) deps.bus.publish("message.counts", counts);
  return counts;
}

/** Messages marked per transaction: well below the 999 values SQLite binds, and short enough that other requests get through between batches. */
const SEEN_BATCH = 500;

/**
 * Marks every message of a room seen by this user (opening a room), however many were unread: in
 * batches of SEEN_BATCH, each its own short transaction, yielding to other requests between them.
 * Returns how many messages changed.
 */
export async function markRoomSeen(deps: MessageDeps, userId: number, roomId: number) {
  await requireMember(deps.db, roomId, userId);
  let after = 0;
  let seen = 0;
  for (;;) {
    const { changed, scanned, lastId } = await markSeenBatch(deps, userId, roomId, after);
    seen += changed;
    if (scanned < SEEN_BATCH) break;
    after = lastId;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { roomId, seen };
}

/** One batch: the next unseen messages after `after` (by id), marked seen with their counts updated; their counts are announced after the commit. */
function markSeenBatch(deps: MessageDeps, userId: number, roomId: number, after: number) {
  return prismaTransaction(deps, async (tx, commit) => {
    const unseen = await tx.message.findMany({
      where: { roomId, id: { gt: after }, fromUserId: { not: userId }, receipts: { none: { userId, seenAt: { not: null } } } },
      select: { id: true, receipts: { where: { userId }, select: { userId: true } } },
      orderBy: { id: "asc" },
      take: SEEN_BATCH,
    });
    if (unseen.length === 0) return { changed: 0, scanned: 0, lastId: after };
    const ids = unseen.map((m) => m.id);
    const now = new Date();
    const missing = unseen.filter((m) => m.receipts.length === 0).map((m) => m.id);
    if (missing.length) {
      await tx.messageReceipt.createMany({ data: missing.map((messageId) => ({ messageId, userId, deliveredAt: now, seenAt: now })) });
    }
    await tx.messageReceipt.updateMany({ where: { userId, seenAt: null, messageId: { in: ids } }, data: { seenAt: now } });
    await tx.$executeRaw`UPDATE "Message" SET
        "deliveredCount" = (SELECT COUNT(*) FROM "MessageReceipt" r WHERE r."messageId" = "Message"."id"),
        "seenCount" = (SELECT COUNT(*) FROM "MessageReceipt" r WHERE r."messageId" = "Message"."id" AND r."seenAt" IS NOT NULL)
      WHERE "id" IN (${Prisma.join(ids)})`;
    const changed = await tx.message.findMany({
      where: { id: { in: ids } },
      select: { id: true, deliveredCount: true, seenCount: true },
      orderBy: { id: "asc" },
    });
    for (const m of changed) {
      commit.publish("message.counts", { roomId, messageId: m.id, deliveredCount: m.deliveredCount, seenCount: m.seenCount });
    }
    return { changed: changed.length, scanned: unseen.length, lastId: ids[ids.length - 1]! };
  });
}
