// Messages: send, history, edit, delete. A new message and its webhook deliveries commit together.
// Sending is the hot path: it runs on prepared statements (messages-sql.ts), not on Prisma.
import type { z } from "zod";
import type { Db, Tx } from "../db/client.ts";
import { prismaTransaction } from "../db/transaction.ts";
import type { Queries, SqlDb } from "../db/sql.ts";
import type { Events } from "../events/domain-events.ts";
import { badRequest, conflict, forbidden, notFound } from "../http/errors.ts";
import type { Metrics } from "../observability/metrics.ts";
import { requireMember } from "../rooms/rooms.policy.ts";
import type { MessageDto } from "../contracts/messages.ts";
import { announceEnqueued, enqueueDeliveries, enqueueWebhookDeliveries, planDeliveries, type OutboxEvent } from "../webhooks/outgoing/outbox/enqueue.ts";
import type { ClaimedDelivery, NewDelivery, OutboxLease } from "../webhooks/outgoing/outbox/outbox-sql.ts";
import { scrubDeletedMessage } from "../webhooks/outgoing/outbox/scrub.ts";
import { messageEventData } from "../webhooks/outgoing/event-payloads.ts";
import {
  insertedRow,
  insertMessage,
  insertMessageWithDeliveries,
  messageByLocalId,
  messageContext,
  messageRoomId,
  PENDING_ID_IN_PAYLOAD,
  PENDING_MESSAGE_ID,
  type MessageContext,
  type NewMessage,
} from "./messages-sql.ts";
import { presentMessage, type MessageRow } from "./messages.presenter.ts";
import type { editMessageBody, historyQuery, sendMessageBody } from "./messages.schema.ts";

export interface MessageDeps {
  /**
   * A lease for new deliveries, when the dispatcher thread takes them straight from the message
   * path (SQLite: one process, so no claim is needed); undefined otherwise.
   */
  outboxLease?: () => OutboxLease | undefined;
  db: Db;
  sql: SqlDb;
  bus: Events;
  metrics: Metrics;
}

/** Who posts: a member, or (not through the API) an incoming hook, a webhook reply or the server. */
export type MessageSource = "user" | "incoming" | "reply" | "system";

type SendInput = z.output<typeof sendMessageBody>;

export async function sendMessage(deps: MessageDeps, userId: number, roomId: number, input: z.output<typeof sendMessageBody>) {
  return createMessage(deps, { roomId, fromUserId: userId, source: "user", ...input });
}

/**
 * Writes a message. Only "user" messages get webhook deliveries: messages from incoming hooks,
 * replies and the server itself never trigger outgoing webhooks (no loops).
 */
export async function createMessage(deps: MessageDeps, m: NewMessageInput): Promise<{ message: MessageDto; created: boolean }> {
  const result = deps.sql.dialect === "postgres" ? await writeInOneStatement(deps, m) : await writeInTransaction(deps, m);
  const message = presentMessage(result.row);
  if (result.created) {
    deps.metrics.messagesCreated.inc();
    deps.bus.publish("message.created", { message, source: m.source });
    announceEnqueued(deps.bus, result.queued.rows, result.queued.handed);
  }
  return { message, created: result.created };
}

type NewMessageInput = { roomId: number; fromUserId: number; source: MessageSource } & Omit<SendInput, "type"> & { type?: string };
type Written = { row: MessageRow; created: boolean; queued: { rows: { webhookId: number }[]; handed: ClaimedDelivery[] } };

/** SQLite: the context, the message and its deliveries in one transaction (statements cost no round trip). */
function writeInTransaction(deps: MessageDeps, m: NewMessageInput): Promise<Written> {
  return deps.sql.transaction(async (q) => {
    const { context, sender, values } = await prepare(q, m);
    const id = await q.get(insertMessage, values);
    if (id === undefined) return repeated(q, m);
    const row = insertedRow(id, values);
    const queued = sender ? await enqueueDeliveries(q, context.webhooks, createdEvent(row, m, sender, context), deps.outboxLease?.()) : { rows: [], handed: [] };
    return { row, created: true, queued };
  });
}

/**
 * PostgreSQL: every statement is a round trip, so the context is read first and the message with
 * its deliveries is one statement (its own transaction, under the room's lock): two round trips
 * where a transaction took five.
 */
async function writeInOneStatement(deps: MessageDeps, m: NewMessageInput): Promise<Written> {
  const { context, sender, values } = await prepare(deps.sql.read, m);
  const rows = sender ? planDeliveries(context.webhooks, createdEvent(insertedRow(PENDING_MESSAGE_ID, values), m, sender, context)) : [];
  const id = await deps.sql.single.get(insertMessageWithDeliveries, {
    ...values,
    eventId: rows[0]?.eventId ?? "",
    deliveries: rows.map((r) => ({ webhookId: r.webhookId, payload: withPendingId(r.payload) })),
  });
  if (id === undefined) return repeated(deps.sql.read, m);
  return { row: insertedRow(id, values), created: true, queued: { rows, handed: [] } };
}

/** The checks before any write: the room, the sender's membership, the reply target. */
async function prepare(q: Pick<Queries, "get">, m: NewMessageInput) {
  const context = await q.get(messageContext, { roomId: m.roomId, userId: m.fromUserId });
  // Bots (incoming hooks, replies, notices) post without being members.
  const sender = m.source === "user" ? context?.sender : undefined;
  if (!context || (m.source === "user" && !sender)) throw notFound("Room");
  if (m.replyId !== undefined && (await q.get(messageRoomId, { id: m.replyId })) !== m.roomId) {
    throw badRequest("must be a message of the same room", "replyId");
  }
  const values: NewMessage = {
    roomId: m.roomId,
    fromUserId: m.fromUserId,
    type: m.type ?? "text",
    body: JSON.stringify(m.body),
    totalUserCount: context.memberCount,
    localId: m.localId ?? null,
    replyId: m.replyId ?? null,
    source: m.source,
    createdAt: new Date(),
  };
  return { context, sender, values };
}

/** A repeated localId inserted nothing (the unique index): the first message is the answer. */
async function repeated(q: Pick<Queries, "get">, m: NewMessageInput): Promise<Written> {
  const original = await q.get(messageByLocalId, { roomId: m.roomId, fromUserId: m.fromUserId, localId: m.localId! });
  return { row: original!, created: false, queued: { rows: [], handed: [] } };
}

function createdEvent(row: MessageRow, m: NewMessageInput, sender: NonNullable<MessageContext["sender"]>, context: MessageContext): OutboxEvent {
  return {
    event: "message.created",
    roomId: m.roomId,
    at: row.createdAt.getTime(),
    messageId: row.id,
    text: m.body.text,
    data: messageEventData(presentMessage(row), sender, context.room),
  };
}

/** A payload built with the pending id carries it exactly once, where the statement replaces it. */
function withPendingId(payload: string): string {
  const at = payload.indexOf(PENDING_ID_IN_PAYLOAD);
  if (at < 0 || payload.indexOf(PENDING_ID_IN_PAYLOAD, at + 1) >= 0) throw new Error("a message.created payload must carry the pending message id once");
  return payload;
}

/** Spika's `data` for message events: the message, its sender and its room. */
async function enqueueMessageEvent(tx: Tx, event: "message.updated" | "message.deleted", row: MessageRow): Promise<NewDelivery[]> {
  const [fromUser, room] = await Promise.all([
    tx.user.findUniqueOrThrow({ where: { id: row.fromUserId }, select: { displayName: true, avatarFileId: true } }),
    tx.room.findUniqueOrThrow({ where: { id: row.roomId }, select: { name: true, avatarFileId: true } }),
  ]);
  const message = presentMessage(row);
  return enqueueWebhookDeliveries(tx, {
    event,
    roomId: row.roomId,
    at: row.modifiedAt.getTime(),
    messageId: row.id,
    text: message.body.text,
    data: messageEventData(message, fromUser, room),
  });
}

export async function listMessages(deps: MessageDeps, userId: number, roomId: number, q: z.output<typeof historyQuery>) {
  await requireMember(deps.db, roomId, userId);
  const rows = await deps.db.message.findMany({
    where: { roomId, ...(q.before ? { id: { lt: q.before } } : {}) },
    orderBy: { id: "desc" },
    take: q.limit,
  });
  return { messages: rows.map(presentMessage) };
}

/** Loads a message the user can see (a member of its room), else 404. */
async function visibleMessage(tx: Tx, userId: number, messageId: number) {
  const row = await tx.message.findUnique({ where: { id: messageId } });
  if (!row) throw notFound("Message");
  const member = await tx.roomMember.findUnique({ where: { roomId_userId: { roomId: row.roomId, userId } } });
  if (!member) throw notFound("Message");
  return { row, member };
}

export async function editMessage(deps: MessageDeps, userId: number, messageId: number, input: z.output<typeof editMessageBody>) {
  return changeMessage(deps, "message.updated", userId, messageId, async (tx, row) => {
    if (row.fromUserId !== userId) throw forbidden("Only the author can edit a message");
    if (row.deleted) throw conflict("A deleted message cannot be edited");
    return tx.message.update({
      where: { id: messageId },
      data: { body: JSON.stringify(input.body), modifiedAt: new Date() },
    });
  });
}

/** Soft delete: the row stays (replies keep their target) but its text is gone. */
export async function deleteMessage(deps: MessageDeps, userId: number, messageId: number) {
  return changeMessage(deps, "message.deleted", userId, messageId, async (tx, row, isAdmin) => {
    if (row.fromUserId !== userId && !isAdmin) throw forbidden("Only the author or a room admin can delete a message");
    if (row.deleted) return null;
    const deleted = await tx.message.update({
      where: { id: messageId },
      data: { deleted: true, body: JSON.stringify({ text: "" }), modifiedAt: new Date() },
    });
    await scrubDeletedMessage(tx, presentMessage(deleted));
    return deleted;
  });
}

async function changeMessage(
  deps: MessageDeps,
  event: "message.updated" | "message.deleted",
  userId: number,
  messageId: number,
  change: (tx: Tx, row: MessageRow, isAdmin: boolean) => Promise<MessageRow | null>,
) {
  const message = await prismaTransaction(deps, async (tx, after) => {
    const { row, member } = await visibleMessage(tx, userId, messageId);
    const changed = await change(tx, row, member.isAdmin);
    if (!changed) return presentMessage(row);
    const queued = changed.source === "user" ? await enqueueMessageEvent(tx, event, changed) : [];
    const message = presentMessage(changed);
    after.publish(event, { message });
    after.run(() => announceEnqueued(deps.bus, queued));
    return message;
  });
  return { message };
}
