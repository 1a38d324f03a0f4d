// PostgreSQL and Redis for tests: found on 127.0.0.1, or the test is skipped with a printed
// reason — except under CI=true, where a missing service is a failure.
import { execFileSync } from "node:child_process";
import net from "node:net";
import { randomBytes } from "node:crypto";
import pg from "pg";

export const PG_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = "redis://127.0.0.1:6379";

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port, timeout: 1000 });
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

/** True when every service answers; otherwise prints why the tests are skipped (or throws under CI). */
export async function servicesAvailable(...names: ("postgres" | "redis")[]): Promise<boolean> {
  const missing: string[] = [];
  for (const name of names) {
    if (!(await portOpen(name === "postgres" ? 5432 : 6379))) missing.push(`${name} on 127.0.0.1:${name === "postgres" ? 5432 : 6379}`);
  }
  if (missing.length === 0) return true;
  const reason = `not reachable: ${missing.join(", ")}`;
  if (process.env.CI === "true") throw new Error(`CI=true and ${reason}`);
  console.log(`SKIPPED (${reason})`);
  return false;
}

async function adminQuery(sql: string) {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const dbUrl = (name: string) => `postgresql://postgres@127.0.0.1:5432/${name}`;

/** A migrated template database (real `prisma migrate deploy`); clones of it cost milliseconds. */
export async function createPostgresTemplate(): Promise<{ name: string; drop(): Promise<void> }> {
  const name = `chat_tpl_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: dbUrl(name) }, stdio: "pipe" });
  return { name, drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

export async function clonePostgresDb(template: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `chat_t_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  return { url: dbUrl(name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

/** An empty database: nothing migrated (what a first deploy meets). */
export async function createEmptyPostgresDb(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `chat_e_${randomBytes(6).toString("hex")}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  return { url: dbUrl(name), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
