// What retention deletes: ONE list of rules, each a kind of row that expires RETENTION_DAYS after
// it stopped mattering. Messages are never deleted. A new kind of log is one more entry.
import type { Db } from "../db/client.ts";
import { deleteBotUsersPastUse } from "./bot-users.ts";
import type { RetentionRule } from "./retention-rule.ts";

/** Tables with an integer id that a table rule can expire rows of. */
type IdModel = "webhookDelivery" | "inspectorRequest";
type Args<M extends IdModel> = NonNullable<Parameters<Db[M]["findMany"]>[0]>;

/** The two calls a table rule makes, the same on every model (Prisma's per-model types differ only in `where`). */
interface IdTable {
  findMany(args: { where: object; orderBy: object; select: { id: true }; take: number }): Promise<{ id: number }[]>;
  deleteMany(args: { where: object }): Promise<{ count: number }>;
}

/**
 * A rule for a table whose expired rows are named by one condition; each batch takes the oldest
 * (`oldestFirst`, along an index) and deletes them by id with the condition checked again.
 */
export function tableRule<M extends IdModel>(
  name: string,
  model: M,
  opts: { batchSize: number; expired: (cutoff: Date) => NonNullable<Args<M>["where"]>; oldestFirst: Args<M>["orderBy"] },
): RetentionRule {
  return {
    name,
    async deleteBatch(db, cutoff) {
      const table = db[model] as unknown as IdTable;
      const where = opts.expired(cutoff);
      const rows = await table.findMany({ where, orderBy: opts.oldestFirst!, select: { id: true }, take: opts.batchSize });
      if (rows.length === 0) return { deleted: 0, done: true, cursor: 0 };
      const { count } = await table.deleteMany({ where: { AND: [where, { id: { in: rows.map((r) => r.id) } }] } });
      // A row that changed between the two statements is simply left: stop rather than find it again.
      return { deleted: count, done: rows.length < opts.batchSize || count === 0, cursor: 0 };
    },
  };
}

export const retentionRules: readonly RetentionRule[] = [
  // Finished deliveries; their attempts go with them (ON DELETE CASCADE). Open ones (pending,
  // failed) stay whatever their age: they are still being sent.
  tableRule("webhook deliveries", "webhookDelivery", {
    batchSize: 200,
    expired: (cutoff) => ({ status: { in: ["succeeded", "dead"] }, completedAt: { lt: cutoff } }),
    oldestFirst: { completedAt: "asc" },
  }),
  tableRule("inspector requests", "inspectorRequest", {
    batchSize: 50,
    expired: (cutoff) => ({ at: { lt: cutoff } }),
    oldestFirst: { at: "asc" },
  }),
  { name: "bot users", deleteBatch: (db, cutoff, cursor) => deleteBotUsersPastUse(db, cutoff, cursor, 100) },
];
