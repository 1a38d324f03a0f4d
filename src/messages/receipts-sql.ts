// Receipts' statements (the hot path: every reader marks every message), one definition per
// dialect. Counts move by increments, so marking costs the same in a room of 3 or of 10,000.
import { asInt, statement } from "../db/sql.ts";

export const messageForReceipt = statement<{ messageId: number; userId: number }, { roomId: number; fromUserId: number; deliveredCount: number; seenCount: number; member: boolean }>({
  name: "receipts_message",
  sqlite: `SELECT m."roomId", m."fromUserId", m."deliveredCount", m."seenCount",
      EXISTS (SELECT 1 FROM "RoomMember" r WHERE r."roomId" = m."roomId" AND r."userId" = ?2) AS "member"
    FROM "Message" m WHERE m."id" = ?1`,
  postgres: `SELECT m."roomId", m."fromUserId", m."deliveredCount", m."seenCount",
      EXISTS (SELECT 1 FROM "RoomMember" r WHERE r."roomId" = m."roomId" AND r."userId" = $2) AS "member"
    FROM "Message" m WHERE m."id" = $1`,
  params: (p) => [p.messageId, p.userId],
  row: (r) => ({
    roomId: asInt(r.roomId),
    fromUserId: asInt(r.fromUserId),
    deliveredCount: asInt(r.deliveredCount),
    seenCount: asInt(r.seenCount),
    member: r.member === true || r.member === 1,
  }),
});

/** Inserts the reader's receipt (seen implies delivered); nothing when there is one already. */
export const insertReceipt = statement<{ messageId: number; userId: number; at: Date; seen: boolean }>({
  name: "receipts_insert",
  sqlite: `INSERT INTO "MessageReceipt" ("messageId", "userId", "deliveredAt", "seenAt") VALUES (?1, ?2, ?3, ?4)
    ON CONFLICT ("messageId", "userId") DO NOTHING`,
  postgres: `INSERT INTO "MessageReceipt" ("messageId", "userId", "deliveredAt", "seenAt") VALUES ($1, $2, $3, $4)
    ON CONFLICT ("messageId", "userId") DO NOTHING`,
  params: (p) => [p.messageId, p.userId, p.at, p.seen ? p.at : null],
});

export const markReceiptSeen = statement<{ messageId: number; userId: number; at: Date }>({
  name: "receipts_mark_seen",
  sqlite: `UPDATE "MessageReceipt" SET "seenAt" = ?3 WHERE "messageId" = ?1 AND "userId" = ?2 AND "seenAt" IS NULL`,
  postgres: `UPDATE "MessageReceipt" SET "seenAt" = $3 WHERE "messageId" = $1 AND "userId" = $2 AND "seenAt" IS NULL`,
  params: (p) => [p.messageId, p.userId, p.at],
});

export const addToCounts = statement<{ messageId: number; delivered: number; seen: number }, { deliveredCount: number; seenCount: number }>({
  name: "receipts_add_to_counts",
  sqlite: `UPDATE "Message" SET "deliveredCount" = "deliveredCount" + ?2, "seenCount" = "seenCount" + ?3 WHERE "id" = ?1
    RETURNING "deliveredCount", "seenCount"`,
  postgres: `UPDATE "Message" SET "deliveredCount" = "deliveredCount" + $2, "seenCount" = "seenCount" + $3 WHERE "id" = $1
    RETURNING "deliveredCount", "seenCount"`,
  params: (p) => [p.messageId, p.delivered, p.seen],
  row: (r) => ({ deliveredCount: asInt(r.deliveredCount), seenCount: asInt(r.seenCount) }),
});
