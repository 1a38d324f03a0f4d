// SqlDb on node-postgres: named statements (prepared once per connection by the server), and
// type parsers of our own per query, so nothing global of pg is changed (Prisma shares the pool).
import pg from "pg";
import type { Queries, SqlDb, Statement } from "./sql.ts";

const TIMESTAMP_OID = 1114;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

// TIMESTAMP(3) columns hold UTC wall time without a zone (as Prisma writes them); pg would read
// them in the process's local zone.
const types = {
  getTypeParser(oid: number, format?: string) {
    if (oid === TIMESTAMP_OID) return (v: string) => new Date(`${v.replace(" ", "T")}Z`);
    if (oid === INT8_OID || oid === NUMERIC_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as "text");
  },
} as pg.CustomTypesConfig;

// Dates as UTC ISO text: a TIMESTAMP column ignores the zone, so it stores the UTC wall time.
const bindable = (v: unknown) => (v instanceof Date ? v.toISOString() : v === undefined ? null : v);

function bind(q: pg.Pool | pg.PoolClient): Queries {
  const exec = <P>(s: Statement<P, unknown>, p: P) =>
    q.query({ name: s.name, text: s.postgres, values: s.params(p).map(bindable), types });
  const shape = <R>(s: Statement<unknown, R>, r: unknown) => (s.row ? s.row(r as Record<string, unknown>) : (r as R));
  return {
    async all(s, p) {
      const res = await exec(s, p);
      return res.rows.map((r) => shape(s, r));
    },
    async get(s, p) {
      const res = await exec(s, p);
      return res.rows.length ? shape(s, res.rows[0]) : undefined;
    },
    async run(s, p) {
      return (await exec(s, p)).rowCount ?? 0;
    },
  };
}

/** `ownsPool`: close() ends the pool (the dispatcher's own); the API's pool is Prisma's to end. */
export function createPgSql(pool: pg.Pool, opts: { ownsPool: boolean }): SqlDb {
  const outside = bind(pool);
  return {
    dialect: "postgres",
    read: { all: outside.all, get: outside.get },
    single: { get: outside.get },
    async transaction(fn) {
      const client = await pool.connect();
      let broken = false;
      try {
        await client.query("BEGIN");
        try {
          const result = await fn(bind(client));
          await client.query("COMMIT");
          return result;
        } catch (err) {
          // A connection that cannot even roll back is not given back to the pool.
          await client.query("ROLLBACK").catch(() => (broken = true));
          throw err;
        }
      } finally {
        client.release(broken);
      }
    },
    async close() {
      if (opts.ownsPool) await pool.end();
    },
  };
}
