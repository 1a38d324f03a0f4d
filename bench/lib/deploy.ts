// Set-ups of the server under test: SQLite (one process), PostgreSQL with one process, and
// PostgreSQL with two processes sharing Redis. Migrations run once per provider per bench run
// (into a template SQLite file / template database); each deployment gets a copy of it.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { Redis } from "ioredis";
import pg from "pg";
import { migrate, startServer, type ServerProc } from "./server.ts";
import type { Settings } from "./settings.ts";

export type SetupName = "sqlite" | "postgres-1" | "postgres-2";

export interface Deployment {
  setup: SetupName;
  urls: string[];
  servers: ServerProc[];
  /** RSS of the first process in MB. */
  rssMb(): number | undefined;
}

const PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres";
const pgUrl = (db: string) => `postgresql://postgres@127.0.0.1:5432/${db}`;
const REDIS = "redis://127.0.0.1:6379";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: "127.0.0.1", port, timeout: 1000 });
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
    s.once("timeout", () => (s.destroy(), resolve(false)));
  });
}

async function pgAdmin(sql: string) {
  const c = new pg.Client({ connectionString: PG_ADMIN });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Why PostgreSQL (and Redis, for two processes) cannot be used, or undefined when they can. */
export async function unavailable(setup: SetupName): Promise<string | undefined> {
  if (setup === "sqlite") return undefined;
  if (!(await portOpen(5432))) return "PostgreSQL not reachable on 127.0.0.1:5432";
  if (setup === "postgres-2" && !(await portOpen(6379))) return "Redis not reachable on 127.0.0.1:6379";
  return undefined;
}

export function createDeployer(settings: Settings, tmpDir: string, log: (msg: string) => void) {
  const run = randomBytes(4).toString("hex");
  const redisPrefix = `hookroom-bench-${run}`;
  const databases: string[] = [];
  const running: ServerProc[] = [];
  const shared = new Map<SetupName, Promise<Deployment>>();
  const timings: Record<string, number> = {};
  let sqliteTemplate: Promise<string> | undefined;
  let pgTemplate: Promise<string> | undefined;
  let usedRedis = false;
  let dbSeq = 0;

  const templateSqlite = () =>
    (sqliteTemplate ??= (async () => {
      const file = path.join(tmpDir, "template.db");
      timings.sqliteMigrateMs = await migrate(settings.serverDir, `file:${file}`);
      return file;
    })());
  const templatePg = () =>
    (pgTemplate ??= (async () => {
      const name = `hookroom_bench_${run}_tpl`;
      await pgAdmin(`CREATE DATABASE ${name}`);
      databases.push(name);
      timings.postgresMigrateMs = await migrate(settings.serverDir, pgUrl(name));
      return name;
    })());

  async function databaseFor(setup: SetupName, label: string): Promise<string> {
    if (setup === "sqlite") {
      const template = await templateSqlite();
      const file = path.join(tmpDir, `${label}.db`);
      for (const suffix of ["", "-wal", "-shm"]) if (fs.existsSync(template + suffix)) fs.copyFileSync(template + suffix, file + suffix);
      return `file:${file}`;
    }
    const template = await templatePg();
    const name = `hookroom_bench_${run}_${++dbSeq}`;
    await pgAdmin(`CREATE DATABASE ${name} TEMPLATE ${template}`);
    databases.push(name);
    return pgUrl(name);
  }

  async function start(setup: SetupName, label: string): Promise<Deployment> {
    const databaseUrl = await databaseFor(setup, label);
    const processes = setup === "postgres-2" ? 2 : 1;
    const env: Record<string, string> = {
      DATABASE_URL: databaseUrl,
      JWT_SECRET: `bench-secret-${run}-0123456789abcdef`,
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      // The backlog figures hold one request for up to BENCH_BACKLOG_MAX_BUILD_S; it must not time out.
      WEBHOOK_TIMEOUT_MS: "120000",
    };
    if (processes > 1) {
      env.REDIS_URL = REDIS;
      env.REDIS_PREFIX = redisPrefix;
      usedRedis = true;
    }
    log(`starting ${setup} server${processes > 1 ? "s" : ""} for ${label}`);
    const servers = await Promise.all(
      Array.from({ length: processes }, (_, i) =>
        startServer({ dir: settings.serverDir, nodeArgs: settings.serverNodeArgs, env, logFile: path.join(tmpDir, `${label}-${i + 1}.log`) }),
      ),
    );
    running.push(...servers);
    return { setup, urls: servers.map((s) => s.url), servers, rssMb: () => servers[0]!.rssMb() };
  }

  return {
    redisPrefix,
    timings,
    /**
     * Runs the migrations these set-ups need, side by side, before anything is measured. A smoke
     * run (whose figures are not judged) also starts all its servers at once, to be quick.
     */
    async prepare(setups: SetupName[]) {
      const usable: SetupName[] = [];
      for (const s of setups) if (!(await unavailable(s))) usable.push(s);
      const jobs: Promise<unknown>[] = [];
      if (usable.includes("sqlite")) jobs.push(templateSqlite());
      if (usable.some((s) => s !== "sqlite")) jobs.push(templatePg());
      await Promise.all(jobs);
      if (settings.smoke && !settings.freshServers) {
        for (const s of usable) shared.set(s, start(s, s));
        await Promise.allSettled(usable.map((s) => shared.get(s)));
      }
    },
    /** A deployment for one part: a new one each time, or one per set-up shared by the parts. */
    async deploy(setup: SetupName, label: string): Promise<Deployment> {
      if (settings.freshServers) return start(setup, `${setup}-${label}`);
      let d = shared.get(setup);
      if (!d) shared.set(setup, (d = start(setup, setup)));
      return d;
    },
    /** Stops a part's deployment (a shared one lives until cleanup). */
    async release(d: Deployment) {
      if (!settings.freshServers) return;
      await Promise.all(d.servers.map((s) => s.stop()));
    },
    async cleanup() {
      await Promise.all(running.map((s) => s.stop()));
      for (const name of databases.reverse()) await pgAdmin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch((e: Error) => log(`drop ${name}: ${e.message}`));
      if (usedRedis) {
        const redis = new Redis(REDIS, { maxRetriesPerRequest: 1, lazyConnect: true });
        try {
          await redis.connect();
          let cursor = "0";
          do {
            const [nextCursor, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}*`, "COUNT", 500);
            if (keys.length) await redis.del(...keys);
            cursor = nextCursor;
          } while (cursor !== "0");
        } catch (e) {
          log(`redis cleanup: ${(e as Error).message}`);
        } finally {
          redis.disconnect();
        }
      }
    },
  };
}

export type Deployer = ReturnType<typeof createDeployer>;
