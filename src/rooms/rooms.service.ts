// Rooms and their members. Changes and their webhook deliveries commit together; events follow the commit.
// Membership events carry the one member that changed, never the member list: a room may have
// 10,000 members, and each of them is told.
import type { z } from "zod";
import { chunked } from "../db/chunks.ts";
import type { Db, Tx } from "../db/client.ts";
import { prismaTransaction } from "../db/transaction.ts";
import type { Events } from "../events/domain-events.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import { announceEnqueued, enqueueWebhookDeliveries } from "../webhooks/outgoing/outbox/enqueue.ts";
import { presentMember, presentRoom, memberInclude } from "./rooms.presenter.ts";
import { memberEventData, roomEventData } from "../webhooks/outgoing/event-payloads.ts";
import { requireAdmin, requireMember } from "./rooms.policy.ts";
import type { addMemberBody, createRoomBody, updateRoomBody } from "./rooms.schema.ts";
import { listMembers, listRoomsOf } from "./room-summaries.ts";
import { userSelect } from "../users/users.presenter.ts";

export interface RoomDeps {
  db: Db;
  bus: Events;
}

/** The room without its members: what events and webhook payloads carry. */
async function loadRoomOnly(db: Db | Tx, roomId: number) {
  const room = await db.room.findUnique({ where: { id: roomId } });
  if (!room) throw notFound("Room");
  return presentRoom(room);
}

async function loadRoom(db: Db | Tx, roomId: number) {
  const room = await loadRoomOnly(db, roomId);
  return { ...room, members: await listMembers(db, roomId) };
}

export async function createRoom(deps: RoomDeps, userId: number, input: z.output<typeof createRoomBody>) {
  const memberIds = [...new Set((input.memberIds ?? []).filter((id) => id !== userId))];
  const room = await prismaTransaction(deps, async (tx, after) => {
    let found = 0;
    for (const ids of chunked(memberIds)) found += await tx.user.count({ where: { id: { in: ids }, isBot: false } });
    if (found !== memberIds.length) throw badRequest("holds an unknown user", "memberIds");
    const created = await tx.room.create({
      data: {
        name: input.name,
        members: {
          create: [{ userId, isAdmin: true }, ...memberIds.map((id) => ({ userId: id, isAdmin: false }))],
        },
      },
    });
    const room = await loadRoom(tx, created.id);
    const { members: _members, ...bare } = room;
    after.publish("room.created", {
      room: bare,
      members: [{ userId, isAdmin: true }, ...memberIds.map((id) => ({ userId: id, isAdmin: false }))],
    });
    return room;
  });
  return { room: { ...room, isAdmin: true } };
}

export const listRooms = (deps: RoomDeps, userId: number) => listRoomsOf(deps.db, userId);

export async function getRoom(deps: RoomDeps, userId: number, roomId: number) {
  const me = await requireMember(deps.db, roomId, userId);
  return { room: { ...(await loadRoom(deps.db, roomId)), isAdmin: me.isAdmin } };
}

export async function updateRoom(
  deps: RoomDeps,
  userId: number,
  roomId: number,
  input: z.output<typeof updateRoomBody>,
) {
  await prismaTransaction(deps, async (tx, after) => {
    await requireAdmin(tx, roomId, userId);
    await tx.room.update({
      where: { id: roomId },
      data: { name: input.name, avatarFileId: input.avatarFileId },
    });
    const room = await loadRoomOnly(tx, roomId);
    const byUser = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: userSelect });
    const queued = await enqueueWebhookDeliveries(tx, {
      event: "room.updated",
      roomId,
      data: roomEventData(room, byUser),
    });
    after.publish("room.updated", { room });
    after.run(() => announceEnqueued(deps.bus, queued));
  });
  return { room: { ...(await loadRoom(deps.db, roomId)), isAdmin: true } };
}

export async function addMember(
  deps: RoomDeps,
  byUserId: number,
  roomId: number,
  input: z.output<typeof addMemberBody>,
) {
  const isAdmin = input.isAdmin ?? false;
  const member = await prismaTransaction(deps, async (tx, after) => {
    await requireAdmin(tx, roomId, byUserId);
    const user = await tx.user.findUnique({ where: { id: input.userId }, select: userSelect });
    if (!user || user.isBot) throw notFound("User");
    const member = presentMember(await insertMember(tx, { roomId, userId: user.id, isAdmin }));
    const room = await loadRoomOnly(tx, roomId);
    const byUser = await tx.user.findUniqueOrThrow({ where: { id: byUserId }, select: userSelect });
    const queued = await enqueueWebhookDeliveries(tx, {
      event: "member.added",
      roomId,
      data: memberEventData(room, user, byUser),
    });
    after.publish("member.added", { room, member });
    after.run(() => announceEnqueued(deps.bus, queued));
    return member;
  });
  return { member, room: await loadRoom(deps.db, roomId) };
}

export async function setMemberAdmin(
  deps: RoomDeps,
  byUserId: number,
  roomId: number,
  userId: number,
  isAdmin: boolean,
) {
  const member = await prismaTransaction(deps, async (tx, after) => {
    await requireAdmin(tx, roomId, byUserId);
    await requireTargetMember(tx, roomId, userId);
    if (!isAdmin) await keepOneAdmin(tx, roomId, userId);
    const member = presentMember(
      await tx.roomMember.update({ where: { roomId_userId: { roomId, userId } }, data: { isAdmin }, include: memberInclude }),
    );
    after.publish("member.updated", { roomId, member });
    return member;
  });
  return { member, room: await loadRoom(deps.db, roomId) };
}

/** An admin removes a member, or a member leaves (userId === byUserId). */
export async function removeMember(deps: RoomDeps, byUserId: number, roomId: number, userId: number) {
  await prismaTransaction(deps, async (tx, after) => {
    if (userId === byUserId) await requireMember(tx, roomId, userId);
    else {
      await requireAdmin(tx, roomId, byUserId);
      await requireTargetMember(tx, roomId, userId);
    }
    const leaving = await tx.user.findUniqueOrThrow({ where: { id: userId }, select: userSelect });
    await tx.roomMember.delete({ where: { roomId_userId: { roomId, userId } } });
    const promoted = await promoteIfAdminless(tx, roomId);
    const room = await loadRoomOnly(tx, roomId);
    const byUser = await tx.user.findUniqueOrThrow({ where: { id: byUserId }, select: userSelect });
    const queued = await enqueueWebhookDeliveries(tx, {
      event: "member.removed",
      roomId,
      data: memberEventData(room, leaving, byUser),
    });
    after.publish("member.removed", { roomId, userId });
    if (promoted) after.publish("member.updated", { roomId, member: promoted });
    after.run(() => announceEnqueued(deps.bus, queued));
  });
}

/**
 * Adds the membership row; the (roomId, userId) key decides a race between two adds of the same
 * user (one commits, the other gets 409), with no read before the insert that both could pass.
 */
async function insertMember(tx: Tx, m: { roomId: number; userId: number; isAdmin: boolean }) {
  try {
    return await tx.roomMember.create({ data: m, include: memberInclude });
  } catch (err) {
    // The failed statement ends the transaction on PostgreSQL: the conflict is the only way on.
    if ((err as { code?: unknown } | null)?.code === "P2002") throw conflict("That user is already a member");
    throw err;
  }
}

async function requireTargetMember(tx: Tx, roomId: number, userId: number) {
  const member = await tx.roomMember.findUnique({ where: { roomId_userId: { roomId, userId } } });
  if (!member) throw notFound("Member");
  return member;
}

async function keepOneAdmin(tx: Tx, roomId: number, userId: number) {
  const otherAdmins = await tx.roomMember.count({ where: { roomId, isAdmin: true, userId: { not: userId } } });
  if (otherAdmins === 0) throw conflict("A room needs at least one admin");
}

/** When the last admin leaves, the longest-standing member becomes admin, so no room is left unmanaged. */
async function promoteIfAdminless(tx: Tx, roomId: number) {
  const admins = await tx.roomMember.count({ where: { roomId, isAdmin: true } });
  if (admins > 0) return null;
  const oldest = await tx.roomMember.findFirst({ where: { roomId }, orderBy: [{ createdAt: "asc" }, { userId: "asc" }] });
  if (!oldest) return null;
  return presentMember(
    await tx.roomMember.update({
      where: { roomId_userId: { roomId, userId: oldest.userId } },
      data: { isAdmin: true },
      include: memberInclude,
    }),
  );
}
