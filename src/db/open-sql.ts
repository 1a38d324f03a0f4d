// Opens a thread's own SqlDb on the app's database (the dispatcher thread's), with the drivers
// alone: no Prisma is loaded in that thread.
import type { SharedDatabase } from "./client.ts";
import type { SqlDb } from "./sql.ts";
import { createSqliteSql } from "./sqlite-sql.ts";
import { WriteMutex } from "./write-mutex.ts";

const CHECKPOINT_EVERY_MS = 1000;

export async function openSql(database: SharedDatabase, mutexHolderId: number): Promise<SqlDb> {
  // The dispatcher's connection starts the checkpoint thread (one per process, as there is one dispatcher).
  if (database.dialect === "sqlite") {
    return createSqliteSql(database.file, new WriteMutex(database.mutex, mutexHolderId), { checkpointEveryMs: CHECKPOINT_EVERY_MS });
  }
  const [{ createPgPool }, { createPgSql }] = await Promise.all([import("./pg-pool.ts"), import("./pg-sql.ts")]);
  return createPgSql(createPgPool(database.url, 4), { ownsPool: true });
}
