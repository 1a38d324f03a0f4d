// SqlDb on better-sqlite3: one connection of its own per thread, statements prepared on first use
// and kept for the life of the connection, write transactions under the file's WriteMutex.
//
// Group commit: the transactions asked for in one turn of the event loop (the requests whose
// bodies arrived together), or while the previous group held the file, run one after another
// inside one SQLite transaction, each in a savepoint
// of its own (a failing one is rolled back alone), and commit together. A commit writes every page
// it changed to the WAL, and a message touches a dozen pages (the tables, their indexes), most of
// them the same pages as the next message's: ten messages in one commit cost about a third of ten
// commits. Every caller still hears back only once its work is committed.
//
// Checkpoints (copying the WAL into the database file, with its fsync) never run on a committing
// connection here: `checkpointEveryMs` starts a thread that does them (checkpoint-thread.mjs).
import { Worker } from "node:worker_threads";
import Database from "better-sqlite3";
import { jsonDate, type Queries, type SqlDb, type Statement } from "./sql.ts";
import type { WriteMutex } from "./write-mutex.ts";

/** Transactions committed together at most. */
const MAX_GROUP = 64;
/** The WAL file is cut back to this size after a checkpoint lets it restart. */
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;
/**
 * Each connection's page cache, in KiB. better-sqlite3 builds SQLite with 16 MB, and the process
 * has four connections (the hot path's and Prisma's on the API thread, the dispatcher's, the
 * checkpoints'): after a long burst they held about 40 MB of old pages. The hot path's working set
 * (the small tables, the index pages being appended to) fits in 2 MB, SQLite's own default, and a
 * page that falls out is read back from the OS's file cache.
 */
export const PAGE_CACHE_KIB = 2000;

// Dates as @prisma/adapter-better-sqlite3 writes them (its "iso8601" format): rows compare and read back alike.
function bindable(v: unknown): unknown {
  if (v instanceof Date) return jsonDate("sqlite", v);
  if (typeof v === "boolean") return v ? 1 : 0;
  return v === undefined ? null : v;
}

/**
 * WAL + NORMAL: durable across a process crash, no fsync per commit. No automatic checkpoint on
 * this connection: see `checkpointEveryMs`.
 */
export function openSqlite(file: string): Database.Database {
  const db = new Database(file, { timeout: 5000 });
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.pragma("wal_autocheckpoint = 0");
  db.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  return db;
}

/** The checkpoint thread (the plain script in development and tests, its copy in the build); one that dies is started again. */
function startCheckpoints(file: string, everyMs: number) {
  const script = new URL(import.meta.url.endsWith(".ts") ? "./checkpoint-thread.mjs" : "./checkpoint-thread.js", import.meta.url);
  let stopping = false;
  let thread: Worker | undefined;
  let exited = Promise.resolve();
  const start = () => {
    if (stopping) return;
    const t = (thread = new Worker(script, { workerData: { file, everyMs, pageCacheKib: PAGE_CACHE_KIB } }));
    t.unref();
    t.on("error", () => {}); // its exit follows
    exited = new Promise<void>((resolve) =>
      t.once("exit", () => {
        resolve();
        if (!stopping) setTimeout(start, 1000).unref();
      }),
    );
  };
  start();
  return {
    async stop() {
      stopping = true;
      thread?.postMessage("stop");
      await exited;
    },
  };
}

interface Waiting {
  fn: (q: Queries) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

export function createSqliteSql(file: string, mutex: WriteMutex, opts: { checkpointEveryMs?: number } = {}): SqlDb {
  const db = openSqlite(file);
  const prepared = new Map<string, Database.Statement>();
  const prepare = (s: Statement<unknown, unknown>) => {
    let stmt = prepared.get(s.name);
    if (!stmt) {
      if (s.sqlite === null) throw new Error(`${s.name} is a PostgreSQL statement`);
      stmt = db.prepare(s.sqlite);
      if (stmt.reader) stmt.safeIntegers(false);
      prepared.set(s.name, stmt);
    }
    return stmt;
  };
  // better-sqlite3 binds numbered parameters (?1, ?2) by name: { 1: ..., 2: ... }.
  const args = <P>(s: Statement<P, unknown>, p: P) => {
    const values = s.params(p);
    const named: Record<number, unknown> = {};
    for (let i = 0; i < values.length; i++) named[i + 1] = bindable(values[i]);
    return named;
  };
  const shape = <R>(s: Statement<unknown, R>, r: unknown) => (s.row ? s.row(r as Record<string, unknown>) : (r as R));

  const queries: Queries = {
    async all(s, p) {
      const stmt = prepare(s as Statement<unknown, unknown>);
      return stmt.all(args(s, p)).map((r) => shape(s, r));
    },
    async get(s, p) {
      const r = prepare(s as Statement<unknown, unknown>).get(args(s, p));
      return r === undefined ? undefined : shape(s, r);
    },
    async run(s, p) {
      return prepare(s as Statement<unknown, unknown>).run(args(s, p)).changes;
    },
  };
  const step = (sql: string) => {
    const stmt = db.prepare(sql);
    return () => stmt.run();
  };
  const begin = step("BEGIN IMMEDIATE");
  const commit = step("COMMIT");
  const rollback = step("ROLLBACK");
  const savepoint = step("SAVEPOINT member");
  const releaseSavepoint = step("RELEASE member");
  const rollbackToSavepoint = step("ROLLBACK TO member");

  const waiting: Waiting[] = [];
  let draining: Promise<void> | undefined;

  // setImmediate: after the poll phase, so every request that arrived in it joins the group.
  function schedule() {
    draining ??= new Promise<void>((resolve) => setImmediate(resolve))
      .then(drain)
      .finally(() => {
        draining = undefined;
        if (waiting.length > 0) schedule();
      });
  }

  /** Runs groups until nobody waits; one group at a time, holding the mutex for its transaction. */
  async function drain() {
    while (waiting.length > 0) {
      const release = await mutex.acquire();
      // Everyone who came while the mutex was awaited joins this group.
      const group = waiting.splice(0, MAX_GROUP);
      const outcomes: { w: Waiting; ok: boolean; value: unknown }[] = [];
      // Alone in its group, a transaction needs no savepoint: its failure rolls back the whole.
      const alone = group.length === 1;
      try {
        begin();
        for (const w of group) {
          if (!alone) savepoint();
          try {
            outcomes.push({ w, ok: true, value: await w.fn(queries) });
            if (!alone) releaseSavepoint();
          } catch (err) {
            if (!alone) {
              rollbackToSavepoint();
              releaseSavepoint();
            }
            outcomes.push({ w, ok: false, value: err });
          }
        }
        if (alone && !outcomes[0]!.ok) rollback();
        else commit();
      } catch (err) {
        // BEGIN or COMMIT failed (the disk, the file): nothing of the group is written.
        if (db.inTransaction) rollback();
        release();
        for (const w of group) w.reject(err);
        continue;
      }
      release();
      for (const o of outcomes) (o.ok ? o.w.resolve : o.w.reject)(o.value);
    }
  }

  // A read issued while this thread's own transaction is open would run inside it (one connection):
  // it waits for the transaction instead, as a read on a second connection would not see it either.
  const outside =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    (...a: A): Promise<R> =>
      db.inTransaction ? mutex.with(() => fn(...a)) : fn(...a);

  const checkpoints = opts.checkpointEveryMs ? startCheckpoints(file, opts.checkpointEveryMs) : undefined;

  function transaction<T>(fn: (q: Queries) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      waiting.push({ fn, resolve: resolve as (v: unknown) => void, reject });
      schedule();
    });
  }

  return {
    dialect: "sqlite",
    read: { all: outside(queries.all), get: outside(queries.get) },
    single: { get: (s, p) => transaction((q) => q.get(s, p)) },
    transaction,
    async close() {
      await draining;
      await mutex.with(() => db.close());
      await checkpoints?.stop();
    },
  };
}
