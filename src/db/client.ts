// The Prisma client for the configured database, through a driver adapter (no native engine):
// SQLite (better-sqlite3) by default, PostgreSQL (pg) for a postgres:// DATABASE_URL.
import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient, Prisma } from "../generated/prisma/client.ts";
import { isPostgres, sqliteFilePath, type Config } from "../config.ts";
import { serializedSqlite } from "./serialized-sqlite.ts";

/** The SQLite client's type; the PostgreSQL client is generated from the same models and has the same API. */
export type Db = PrismaClient;
/** A client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;
export { Prisma };

export async function createDb(config: Config): Promise<Db> {
  if (isPostgres(config.databaseUrl)) return createPostgresDb(config.databaseUrl);
  const file = sqliteFilePath(config.databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new PrismaClient({
    adapter: serializedSqlite(new PrismaBetterSQLite3({ url: `file:${file}`, timeout: 5000 })),
  });
  // WAL + NORMAL: ~40x the commit rate of the default journal, still durable across a process crash.
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$executeRawUnsafe("PRAGMA synchronous = NORMAL");
  await db.$executeRawUnsafe("PRAGMA foreign_keys = ON");
  return db;
}

async function createPostgresDb(url: string): Promise<Db> {
  // Loaded only when used: SQLite installs never pay for the second client.
  const [{ PrismaClient: PgClient }, { PrismaPg }, { createPgPool }] = await Promise.all([
    import("../generated/postgres/client.ts"),
    import("@prisma/adapter-pg"),
    import("./pg-pool.ts"),
  ]);
  const db = new PgClient({ adapter: new PrismaPg(createPgPool(url), { disposeExternalPool: true }) });
  await db.$connect();
  return db as unknown as Db;
}

/** Runs fn in one transaction; the callback gets a client bound to it. */
export function transaction<T>(db: Db, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return db.$transaction(fn, { timeout: 15_000, maxWait: 15_000 });
}
