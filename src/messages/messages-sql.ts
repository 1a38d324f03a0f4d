// The message path's statements (the hot path), one definition per dialect: the sender's
// membership, the room with its member count and active webhooks, the reply target, the insert
// (a repeated localId inserts nothing and the original is read instead), and receipts.
import { asBool, asDate, asInt, asIntOrNull, asStringOrNull, statement, type RawRow } from "../db/sql.ts";
import type { MessageRow } from "./messages.presenter.ts";
import type { OutboxWebhook } from "../webhooks/outgoing/outbox/enqueue.ts";

/** The first key of the two-key advisory locks of rooms (a space of its own; the migration lock uses the one-key form). */
export const ROOM_LOCK_CLASS = 0x686b;

export interface MessageContext {
  room: { name: string; avatarFileId: number | null };
  memberCount: number;
  /** The sender as receivers see it, when a member of the room. */
  sender: { displayName: string; avatarFileId: number | null } | undefined;
  /** The room's webhooks that get new deliveries, by id. */
  webhooks: Required<OutboxWebhook>[];
}

// The active webhooks as one JSON column: a message needs them whenever it needs the room, and on
// PostgreSQL each statement is a round trip.
const webhookColumns = `'id', w."id", 'events', w."events", 'verificationSignature', w."verificationSignature", 'triggerWords', w."triggerWords", 'triggerMatch', w."triggerMatch"`;
const activeOfRoom = `FROM "Webhook" w WHERE w."roomId" = r."id" AND w."enabled" = true AND w."deletedAt" IS NULL`;

/**
 * The room (with its member count and active webhooks) and the sender's membership, in one
 * statement. SQLite reads it inside the message's transaction; PostgreSQL reads it just before
 * the one statement that writes the message (`insertMessageWithDeliveries`).
 */
export const messageContext = statement<{ roomId: number; userId: number }, MessageContext>({
  name: "messages_context",
  sqlite: `SELECT r."name", r."avatarFileId", (SELECT count(*) FROM "RoomMember" c WHERE c."roomId" = r."id") AS "memberCount",
      u."id" AS "senderId", u."displayName" AS "senderName", u."avatarFileId" AS "senderAvatar",
      (SELECT json_group_array(json_object(${webhookColumns})) FROM (SELECT * ${activeOfRoom} ORDER BY w."id") w) AS "webhooks"
    FROM "Room" r LEFT JOIN "RoomMember" m ON m."roomId" = r."id" AND m."userId" = ?2 LEFT JOIN "User" u ON u."id" = m."userId"
    WHERE r."id" = ?1`,
  postgres: `SELECT r."name", r."avatarFileId", (SELECT count(*) FROM "RoomMember" c WHERE c."roomId" = r."id") AS "memberCount",
      u."id" AS "senderId", u."displayName" AS "senderName", u."avatarFileId" AS "senderAvatar",
      (SELECT coalesce(json_agg(json_build_object(${webhookColumns}) ORDER BY w."id"), '[]') ${activeOfRoom})::text AS "webhooks"
    FROM "Room" r LEFT JOIN "RoomMember" m ON m."roomId" = r."id" AND m."userId" = $2 LEFT JOIN "User" u ON u."id" = m."userId"
    WHERE r."id" = $1`,
  params: (p) => [p.roomId, p.userId],
  row: (r) => ({
    room: { name: String(r.name), avatarFileId: asIntOrNull(r.avatarFileId) },
    memberCount: asInt(r.memberCount),
    sender: r.senderId === null ? undefined : { displayName: String(r.senderName), avatarFileId: asIntOrNull(r.senderAvatar) },
    webhooks: JSON.parse(String(r.webhooks)) as Required<OutboxWebhook>[],
  }),
});

export const messageRoomId = statement<{ id: number }, number>({
  name: "messages_room_id",
  sqlite: `SELECT "roomId" FROM "Message" WHERE "id" = ?1`,
  postgres: `SELECT "roomId" FROM "Message" WHERE "id" = $1`,
  params: (p) => [p.id],
  row: (r) => asInt(r.roomId),
});

const COLUMNS = `"id", "roomId", "fromUserId", "type", "body", "totalUserCount", "deliveredCount", "seenCount", "localId", "deleted", "replyId", "source", "createdAt", "modifiedAt"`;

export const messageRow = (r: RawRow): MessageRow => ({
  id: asInt(r.id),
  roomId: asInt(r.roomId),
  fromUserId: asInt(r.fromUserId),
  type: String(r.type),
  body: String(r.body),
  totalUserCount: asInt(r.totalUserCount),
  deliveredCount: asInt(r.deliveredCount),
  seenCount: asInt(r.seenCount),
  localId: asStringOrNull(r.localId),
  deleted: asBool(r.deleted),
  replyId: asIntOrNull(r.replyId),
  source: String(r.source),
  createdAt: asDate(r.createdAt),
  modifiedAt: asDate(r.modifiedAt),
});

export interface NewMessage {
  roomId: number;
  fromUserId: number;
  type: string;
  body: string;
  totalUserCount: number;
  localId: string | null;
  replyId: number | null;
  source: string;
  createdAt: Date;
}

/** Returns the new id; no row when the sender already used this localId in this room (the unique index). */
export const insertMessage = statement<NewMessage, number>({
  name: "messages_insert",
  sqlite: `INSERT INTO "Message" ("roomId", "fromUserId", "type", "body", "totalUserCount", "localId", "replyId", "source", "createdAt", "modifiedAt")
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
    ON CONFLICT ("roomId", "fromUserId", "localId") DO NOTHING RETURNING "id"`,
  postgres: `INSERT INTO "Message" ("roomId", "fromUserId", "type", "body", "totalUserCount", "localId", "replyId", "source", "createdAt", "modifiedAt")
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
    ON CONFLICT ("roomId", "fromUserId", "localId") DO NOTHING RETURNING "id"`,
  params: (m) => [m.roomId, m.fromUserId, m.type, m.body, m.totalUserCount, m.localId, m.replyId, m.source, m.createdAt],
  row: (r) => asInt(r.id),
});

/**
 * The id a message.created payload carries until the message has its own: the statement below puts
 * the real one in its place. In JSON text a bare quote is never inside a string, so this key
 * and value can only be the message's own.
 */
export const PENDING_MESSAGE_ID = -1;
export const PENDING_ID_IN_PAYLOAD = `"message":{"id":${PENDING_MESSAGE_ID},`;

/**
 * PostgreSQL: a message and its message.created deliveries in one statement, so one round trip
 * (SQLite writes them with insertMessage and insertDelivery in one transaction). It first takes
 * the room's transaction lock: messages of one room then take their ids in the order they
 * commit, so a delivery is never claimed before an earlier message's (order per webhook). The
 * payloads were built with PENDING_MESSAGE_ID. The deliveries are due from the moment they are
 * written, under the lock, by the database's clock: the message's createdAt was taken before the
 * lock, and a later message's delivery must never be due before an earlier one's (claims take
 * the due ones in id order). Returns the new id; no row when the sender already
 * used this localId in this room (and then no delivery is written either).
 */
export const insertMessageWithDeliveries = statement<
  NewMessage & { eventId: string; deliveries: { webhookId: number; payload: string }[] },
  number
>({
  name: "messages_insert_with_deliveries",
  sqlite: null,
  postgres: `WITH l AS (SELECT pg_advisory_xact_lock(${ROOM_LOCK_CLASS}, $1::int)),
    m AS (INSERT INTO "Message" ("roomId", "fromUserId", "type", "body", "totalUserCount", "localId", "replyId", "source", "createdAt", "modifiedAt")
      SELECT $1::int, $2::int, $3::text, $4::text, $5::int, $6::text, $7::int, $8::text, $9::timestamp(3), $9::timestamp(3) FROM l
      ON CONFLICT ("roomId", "fromUserId", "localId") DO NOTHING RETURNING "id"),
    d AS (INSERT INTO "WebhookDelivery" ("webhookId", "eventId", "event", "payload", "status", "attempts", "nextAttemptAt", "createdAt", "messageId")
      SELECT x.w, $10::text, 'message.created', replace(x.p, '${PENDING_ID_IN_PAYLOAD}', '"message":{"id":' || m."id" || ','), 'pending', 0, (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3), $9::timestamp(3), m."id"
      FROM m CROSS JOIN unnest($11::int[], $12::text[]) AS x(w, p))
    SELECT "id" FROM m`,
  params: (m) => [
    m.roomId, m.fromUserId, m.type, m.body, m.totalUserCount, m.localId, m.replyId, m.source, m.createdAt, m.eventId,
    m.deliveries.map((d) => d.webhookId), m.deliveries.map((d) => d.payload),
  ],
  row: (r) => asInt(r.id),
});

/** The row an insert wrote: everything but the id is what was given (counts start at 0). */
export const insertedRow = (id: number, m: NewMessage): MessageRow => ({
  id,
  ...m,
  deliveredCount: 0,
  seenCount: 0,
  deleted: false,
  modifiedAt: m.createdAt,
});

export const messageByLocalId = statement<{ roomId: number; fromUserId: number; localId: string }, MessageRow>({
  name: "messages_by_local_id",
  sqlite: `SELECT ${COLUMNS} FROM "Message" WHERE "roomId" = ?1 AND "fromUserId" = ?2 AND "localId" = ?3`,
  postgres: `SELECT ${COLUMNS} FROM "Message" WHERE "roomId" = $1 AND "fromUserId" = $2 AND "localId" = $3`,
  params: (p) => [p.roomId, p.fromUserId, p.localId],
  row: messageRow,
});
