// Who may touch a webhook: room admins only (non-members 404, members 403), and only a live
// webhook of that room (another room's, or a deleted one, is 404).
import type { Db, Tx } from "../../db/client.ts";
import { notFound } from "../../http/errors.ts";
import { requireAdmin } from "../../rooms/rooms.policy.ts";

export async function requireRoomWebhook(db: Db | Tx, userId: number, roomId: number, webhookId: number) {
  await requireAdmin(db, roomId, userId);
  const webhook = await db.webhook.findFirst({ where: { id: webhookId, roomId, deletedAt: null } });
  if (!webhook) throw notFound("Webhook");
  return webhook;
}
