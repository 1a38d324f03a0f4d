// What retention deletes: ONE list of rules, each a kind of row that expires RETENTION_DAYS after
// it stopped mattering. Messages and users are never deleted. A new kind of log is one more entry.
//
// Each rule walks its table by id, a batch at a time, and needs no index of its own: rows are
// written in time order, so the walk can stop at the first row made after the cutoff (every index
// on these tables is paid for by each message or capture that writes a row).
import type { Db } from "../db/client.ts";
import type { RetentionRule } from "./retention-rule.ts";

type IdModel = "webhookDelivery" | "inspectorRequest" | "incomingWebhookRequest";

/** The two calls a rule makes, the same on every model (Prisma's per-model types differ only in `where`). */
interface IdTable {
  findMany(args: { where: object; orderBy: object; select: object; take: number }): Promise<Record<string, unknown>[]>;
  deleteMany(args: { where: object }): Promise<{ count: number }>;
}

interface WalkRule {
  batchSize: number;
  /** The columns `expired` and `made` read. */
  select: Record<string, true>;
  /** The condition, as a Prisma filter: checked again by the delete. */
  where: (cutoff: Date) => object;
  expired: (row: Record<string, unknown>, cutoff: Date) => boolean;
  /** When the row was made: rows after the first one made since the cutoff cannot have expired. */
  made: (row: Record<string, unknown>) => Date;
}

function walkRule(name: string, model: IdModel, rule: WalkRule): RetentionRule {
  return {
    name,
    async deleteBatch(db: Db, cutoff: Date, cursor: number) {
      const table = db[model] as unknown as IdTable;
      const rows = await table.findMany({
        where: { id: { gt: cursor } },
        orderBy: { id: "asc" },
        select: { id: true, ...rule.select },
        take: rule.batchSize,
      });
      const last = rows.at(-1);
      if (!last) return { deleted: 0, done: true, cursor };
      const ids = rows.filter((r) => rule.expired(r, cutoff)).map((r) => r.id as number);
      const { count } = ids.length ? await table.deleteMany({ where: { AND: [rule.where(cutoff), { id: { in: ids } }] } }) : { count: 0 };
      const done = rows.length < rule.batchSize || rule.made(last) >= cutoff;
      return { deleted: count, done, cursor: last.id as number };
    },
  };
}

const before = (value: unknown, cutoff: Date) => value instanceof Date && value < cutoff;

export const retentionRules: readonly RetentionRule[] = [
  // Finished deliveries; their attempts go with them (ON DELETE CASCADE). Open ones (pending,
  // failed) stay whatever their age: they are still being sent.
  walkRule("webhook deliveries", "webhookDelivery", {
    batchSize: 200,
    select: { status: true, completedAt: true, createdAt: true },
    where: (cutoff) => ({ status: { in: ["succeeded", "dead"] }, completedAt: { lt: cutoff } }),
    expired: (r, cutoff) => (r.status === "succeeded" || r.status === "dead") && before(r.completedAt, cutoff),
    made: (r) => r.createdAt as Date,
  }),
  walkRule("inspector requests", "inspectorRequest", {
    batchSize: 50,
    select: { at: true },
    where: (cutoff) => ({ at: { lt: cutoff } }),
    expired: (r, cutoff) => before(r.at, cutoff),
    made: (r) => r.at as Date,
  }),
  walkRule("incoming-hook request logs", "incomingWebhookRequest", {
    batchSize: 200,
    select: { at: true },
    where: (cutoff) => ({ at: { lt: cutoff } }),
    expired: (r, cutoff) => before(r.at, cutoff),
    made: (r) => r.at as Date,
  }),
  // The last request of each hook, kept whole for previews: one row a hook.
  {
    name: "incoming-hook samples",
    async deleteBatch(db, cutoff, cursor) {
      const { count } = await db.incomingWebhookSample.deleteMany({ where: { at: { lt: cutoff } } });
      return { deleted: count, done: true, cursor };
    },
  },
];
