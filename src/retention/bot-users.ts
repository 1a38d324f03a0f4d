// Bot users that can no longer matter: a bot is the sender identity of one webhook or incoming
// hook, so once that was deleted before the cutoff and the bot never posted a message (its
// messages stay forever, and with them their author), nothing shows or uses it.
import type { Db } from "../db/client.ts";
import type { BatchResult } from "./retention-rule.ts";

/**
 * One batch: old bots that never posted, in id order after `cursor`, less those a live or recently
 * deleted webhook or incoming hook names as its bot. Bots are never reassigned and a deleted hook
 * never comes back, so that check cannot go stale; "never posted" can, so the delete repeats it.
 */
export async function deleteBotUsersPastUse(db: Db, cutoff: Date, cursor: number, batchSize: number): Promise<BatchResult> {
  const candidates = await db.user.findMany({
    where: { isBot: true, createdAt: { lt: cutoff }, messages: { none: {} }, id: { gt: cursor } },
    select: { id: true },
    orderBy: { id: "asc" },
    take: batchSize,
  });
  const ids = candidates.map((r) => r.id);
  const done = ids.length < batchSize;
  if (ids.length === 0) return { deleted: 0, done, cursor };
  const stillUsed = { botUserId: { in: ids }, OR: [{ deletedAt: null }, { deletedAt: { gte: cutoff } }] };
  const [webhooks, hooks] = await Promise.all([
    db.webhook.findMany({ where: stillUsed, select: { botUserId: true } }),
    db.incomingWebhook.findMany({ where: stillUsed, select: { botUserId: true } }),
  ]);
  const used = new Set([...webhooks, ...hooks].map((w) => w.botUserId));
  const unused = ids.filter((id) => !used.has(id));
  const { count } = unused.length
    ? await db.user.deleteMany({ where: { id: { in: unused }, isBot: true, messages: { none: {} } } })
    : { count: 0 };
  return { deleted: count, done, cursor: ids[ids.length - 1]! };
}
