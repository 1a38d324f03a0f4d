// Delivered and seen receipts: one row per (message, reader); the counts on the message follow them.
import { transaction } from "../db/client.ts";
import { notFound } from "../http/errors.ts";
import type { MessageDeps } from "./messages.service.ts";

export async function markMessage(deps: MessageDeps, userId: number, messageId: number, kind: "delivered" | "seen") {
  const result = await transaction(deps.db, async (tx) => {
    const message = await tx.message.findUnique({ where: { id: messageId } });
    if (!message) throw notFound("Message");
    const member = await tx.roomMember.findUnique({ where: { roomId_userId: { roomId: message.roomId, userId } } });
    if (!member) throw notFound("Message");
    const unchanged = { message, changed: false };
    // Counts exclude the author.
    if (message.fromUserId === userId) return unchanged;

    const key = { messageId_userId: { messageId, userId } };
    const receipt = await tx.messageReceipt.findUnique({ where: key });
    const now = new Date();
    if (!receipt) {
      // Seen implies delivered.
      await tx.messageReceipt.create({ data: { messageId, userId, deliveredAt: now, seenAt: kind === "seen" ? now : null } });
    } else if (kind === "seen" && !receipt.seenAt) {
      await tx.messageReceipt.update({ where: key, data: { seenAt: now } });
    } else {
      return unchanged;
    }
    const [deliveredCount, seenCount] = await Promise.all([
      tx.messageReceipt.count({ where: { messageId } }),
      tx.messageReceipt.count({ where: { messageId, seenAt: { not: null } } }),
    ]);
    const updated = await tx.message.update({ where: { id: messageId }, data: { deliveredCount, seenCount } });
    return { message: updated, changed: true };
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
