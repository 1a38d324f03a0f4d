// Who may do what in a room: non-members get 404 (a room's existence is not revealed),
// members who are not admins get 403 on admin actions.
import type { Db, Tx } from "../db/client.ts";
import { forbidden, notFound } from "../http/errors.ts";

export async function requireMember(db: Db | Tx, roomId: number, userId: number) {
  const member = await db.roomMember.findUnique({ where: { roomId_userId: { roomId, userId } } });
  if (!member) throw notFound("Room");
  return member;
}

export async function requireAdmin(db: Db | Tx, roomId: number, userId: number) {
  const member = await requireMember(db, roomId, userId);
  if (!member.isAdmin) throw forbidden("Only room admins can do this");
  return member;
}
