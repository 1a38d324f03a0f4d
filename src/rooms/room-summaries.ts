// The two room reads that grow with size: a user's rooms (up to 10,000, each with its last message
// and unread count) and a room's members (up to 10,000). Each is one statement that joins what it
// needs: no list of ids is bound (SQLite binds at most 999 values), and Prisma's per-row mapping,
// ~5x the cost of the query here, is skipped. The SQL is the same on SQLite and PostgreSQL.
import { Prisma, type Db, type Tx } from "../db/client.ts";
import { presentMessage, type MessageRow } from "../messages/messages.presenter.ts";
import type { RoomMemberDto } from "../contracts/rooms.ts";
import { presentRoom } from "./rooms.presenter.ts";

const MESSAGE_COLUMNS = [
  "id",
  "fromUserId",
  "totalUserCount",
  "deliveredCount",
  "seenCount",
  "roomId",
  "type",
  "body",
  "createdAt",
  "modifiedAt",
  "localId",
  "deleted",
  "replyId",
  "source",
] as const;

const LAST_MESSAGE_COLUMNS = Prisma.raw(MESSAGE_COLUMNS.map((c) => `m."${c}" AS "m_${c}"`).join(", "));

/** A room of the caller's, its last message's columns prefixed `m_`, and its unread count (others' live messages not seen). */
type SummaryRow = {
  id: number;
  name: string;
  avatarFileId: number | null;
  createdAt: Date;
  modifiedAt: Date;
  isAdmin: boolean;
  unread: bigint | number;
} & { [K in (typeof MESSAGE_COLUMNS)[number] as `m_${K}`]: MessageRow[K] | null };

export async function listRoomsOf(db: Db, userId: number) {
  const rows = await db.$queryRaw<SummaryRow[]>`
    SELECT r."id", r."name", r."avatarFileId", r."createdAt", r."modifiedAt", rm."isAdmin", ${LAST_MESSAGE_COLUMNS},
      (SELECT COUNT(*) FROM "Message" u
        WHERE u."roomId" = r."id" AND u."fromUserId" <> ${userId} AND u."deleted" = false
          AND NOT EXISTS (SELECT 1 FROM "MessageReceipt" x WHERE x."messageId" = u."id" AND x."userId" = ${userId} AND x."seenAt" IS NOT NULL)
      ) AS "unread"
    FROM "RoomMember" rm
    JOIN "Room" r ON r."id" = rm."roomId"
    LEFT JOIN "Message" m ON m."id" = (SELECT MAX(l."id") FROM "Message" l WHERE l."roomId" = r."id")
    WHERE rm."userId" = ${userId}`;
  const rooms = rows.map((row) =>
    presentRoom(row, {
      isAdmin: Boolean(row.isAdmin),
      lastMessage: row.m_id === null ? null : presentMessage(lastMessageOf(row)),
      unreadCount: Number(row.unread),
    }),
  );
  rooms.sort((a, b) => (b.lastMessage?.createdAt ?? b.createdAt) - (a.lastMessage?.createdAt ?? a.createdAt));
  return { rooms };
}

function lastMessageOf(row: SummaryRow): MessageRow {
  return Object.fromEntries(MESSAGE_COLUMNS.map((c) => [c, row[`m_${c}`]])) as MessageRow;
}

/** A room's members, longest-standing first. */
export async function listMembers(db: Db | Tx, roomId: number): Promise<RoomMemberDto[]> {
  const rows = await db.$queryRaw<{ userId: number; username: string; displayName: string; isAdmin: boolean }[]>`
    SELECT m."userId", u."username", u."displayName", m."isAdmin"
    FROM "RoomMember" m JOIN "User" u ON u."id" = m."userId"
    WHERE m."roomId" = ${roomId}
    ORDER BY m."createdAt", m."userId"`;
  return rows.map((m) => ({ userId: m.userId, username: m.username, displayName: m.displayName, isAdmin: Boolean(m.isAdmin) }));
}
