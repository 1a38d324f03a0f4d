// The migrate step of `npm start`: runs `prisma migrate deploy` only when a migration is pending,
// so N processes started together on one database all come up, and quickly.
//
// Why not the CLI every time: with the js engine, `migrate deploy` takes PostgreSQL's advisory lock
// on a pooled connection and never unlocks it (the native engine relied on closing its connection),
// and its WebAssembly engine leaves the lock's 10 s timeout timer pending. So each run, even with
// nothing to apply, lives ~10 s after its work while its idle connection keeps the lock, and a
// second process waiting on it gives up after those same 10 s (P1002). Here, on PostgreSQL, a
// session lock of our own (waited for, never timing out) lets one process at a time look at
// `_prisma_migrations`; only a process that finds a migration pending runs the CLI, under that lock.
import { spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { ConfigError, isPostgres, loadConfig, sqliteFilePath } from "../src/config.ts";

const root = path.resolve(import.meta.dirname, "..");
/** Ours alone ("hook" in ASCII); Prisma's own lock is 72707369. */
const MIGRATE_LOCK = 0x686f6f6b;

const log = (line: string) => console.log(`migrate: ${line}`);

/** Migration folders, in the order Prisma applies them. */
export function migrationNames(databaseUrl: string): string[] {
  const dir = path.join(root, isPostgres(databaseUrl) ? "prisma/postgres/migrations" : "prisma/migrations");
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(dir, e.name, "migration.sql")))
    .map((e) => e.name)
    .sort();
}

/** Folders not recorded as applied (finished and not rolled back); all of them when the table is missing. */
function pending(folders: string[], applied: string[] | undefined): string[] {
  const done = new Set(applied ?? []);
  return folders.filter((name) => !done.has(name));
}

const APPLIED_SQL = `SELECT "migration_name" AS name FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;

async function appliedOnPostgres(client: pg.Client): Promise<string[] | undefined> {
  const table = await client.query<{ present: boolean }>(`SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present`);
  if (!table.rows[0]?.present) return undefined;
  return (await client.query<{ name: string }>(APPLIED_SQL)).rows.map((r) => r.name);
}

function appliedOnSqlite(file: string): string[] | undefined {
  if (!fs.existsSync(file)) return undefined;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    if (!table) return undefined;
    return (db.prepare(APPLIED_SQL).all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

function runPrismaMigrateDeploy(): Promise<void> {
  const cli = path.join(root, "node_modules/prisma/build/index.js");
  const child = spawn(process.execPath, [cli, "migrate", "deploy"], { cwd: root, stdio: "inherit" });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (${signal ?? `exit code ${code}`})`)),
    );
  });
}

async function deployIfPending(folders: string[], applied: string[] | undefined) {
  const todo = pending(folders, applied);
  if (todo.length === 0) {
    log(`database is up to date (${folders.length} migrations); prisma migrate deploy not needed`);
    return;
  }
  log(`${todo.length} pending (${todo.join(", ")}): running prisma migrate deploy`);
  await runPrismaMigrateDeploy();
}

async function migratePostgres(url: string, folders: string[]) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const got = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [MIGRATE_LOCK]);
    if (!got.rows[0]?.locked) {
      log("another process is migrating; waiting for it");
      await client.query("SELECT pg_advisory_lock($1)", [MIGRATE_LOCK]);
    }
    await deployIfPending(folders, await appliedOnPostgres(client));
  } finally {
    // Closing the session releases the lock too; unlocking first lets the next process in at once.
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATE_LOCK]).catch(() => undefined);
    await client.end();
  }
}

async function main() {
  const { databaseUrl } = loadConfig(process.env);
  const folders = migrationNames(databaseUrl);
  if (isPostgres(databaseUrl)) await migratePostgres(databaseUrl, folders);
  // SQLite: one server process per file, so nothing to wait for; the same check spares the CLI.
  else await deployIfPending(folders, appliedOnSqlite(sqliteFilePath(databaseUrl)));
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  main().catch((err) => {
    console.error(err instanceof ConfigError ? err.message : `migrate: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
