// The database of one app: Prisma for the schema and the cold paths, and hand-written statements
// (SqlDb) for the hot paths, on the same SQLite file or PostgreSQL database. createDatabase decides
// the dialect once. SQLite: each thread has its own connections, and every write, in any thread,
// holds the file's WriteMutex. PostgreSQL: Prisma and SqlDb share one pg pool.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient, Prisma } from "../generated/prisma/client.ts";
import { isPostgres, sqliteFilePath, type Config } from "../config.ts";
import { serializedSqlite } from "./serialized-sqlite.ts";
import type { SqlDb } from "./sql.ts";
import { createSqliteSql, PAGE_CACHE_KIB } from "./sqlite-sql.ts";
import { WriteMutex } from "./write-mutex.ts";

/** The SQLite client's type; the PostgreSQL client is generated from the same models and has the same API. */
export type Db = PrismaClient;
/** A client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;
export { Prisma };

/** What another thread needs to open the same database (plain data: it crosses to a worker thread). */
export type SharedDatabase =
  | { dialect: "sqlite"; file: string; mutex: SharedArrayBuffer }
  | { dialect: "postgres"; url: string };

export interface Database {
  prisma: Db;
  sql: SqlDb;
  shared: SharedDatabase;
  /** SQLite: the file's write mutex in this thread (the API thread's holder id is 1). */
  mutex?: WriteMutex;
  close(): Promise<void>;
}

export async function createDatabase(config: Config): Promise<Database> {
  if (isPostgres(config.databaseUrl)) return createPostgresDatabase(config.databaseUrl);
  const file = sqliteFilePath(config.databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const mutex = new WriteMutex();
  const prisma = new PrismaClient({
    adapter: serializedSqlite(new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 5000 }), mutex),
  });
  // The hot path's connection sets the file's journal mode (WAL) before Prisma's first query.
  const sql = createSqliteSql(file, mutex);
  await prisma.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  await prisma.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  await prisma.$executeRawUnsafe(`PRAGMA cache_size = -${PAGE_CACHE_KIB}`);
  // Checkpoints (with their fsync) run in the dispatcher thread, not on the API thread's commits.
  await prisma.$queryRawUnsafe("PRAGMA wal_autocheckpoint = 0");
  return {
    prisma,
    sql,
    shared: { dialect: "sqlite", file, mutex: mutex.shared },
    mutex,
    async close() {
      await prisma.$disconnect();
      await sql.close();
    },
  };
}

async function createPostgresDatabase(url: string): Promise<Database> {
  // Loaded only when used: SQLite installs never pay for the second client.
  const [{ PrismaClient: PgClient }, { PrismaPg }, { createPgPool }, { createPgSql }] = await Promise.all([
    import("../generated/postgres/client.ts"),
    import("@prisma/adapter-pg"),
    import("./pg-pool.ts"),
    import("./pg-sql.ts"),
  ]);
  const pool = createPgPool(url);
  const prisma = new PgClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  await prisma.$connect();
  return {
    prisma: prisma as unknown as Db,
    sql: createPgSql(pool, { ownsPool: false }),
    shared: { dialect: "postgres", url },
    close: () => prisma.$disconnect(),
  };
}
