// Replicas started together: three processes running the real `npm start` (migrate step, then
// the server) at the same moment on one fresh PostgreSQL database all come up; exactly one runs
// `prisma migrate deploy`. Started again on the migrated database, none runs the CLI at all.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./helpers/ports.ts";
import { createEmptyPostgresDb, servicesAvailable } from "./helpers/services.ts";

const root = path.resolve(import.meta.dirname, "..");
const available = await servicesAvailable("postgres");
let db: Awaited<ReturnType<typeof createEmptyPostgresDb>> | undefined;
const running: Started[] = [];

interface Started {
  child: ChildProcess;
  url: string;
  /** stdout and stderr together. */
  output(): string;
}

function npmStart(port: number): Started {
  // Its own process group, so npm, the shell and both steps stop together.
  const child = spawn("npm", ["start"], {
    cwd: root,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, DATABASE_URL: db!.url, HOST: "127.0.0.1", PORT: String(port), JWT_SECRET: "three-replicas-one-secret", LOG_LEVEL: "warn" },
  });
  let out = "";
  for (const stream of [child.stdout!, child.stderr!]) stream.on("data", (c: Buffer) => (out += c.toString()));
  const started = { child, url: `http://127.0.0.1:${port}`, output: () => out };
  running.push(started);
  return started;
}

async function waitHealthy(s: Started, timeoutMs = 240_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (s.child.exitCode !== null) throw new Error(`exited with ${s.child.exitCode}:\n${s.output()}`);
    if (await fetch(`${s.url}/healthz`).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error(`no /healthz:\n${s.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function stopAll() {
  await Promise.all(
    running.splice(0).map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    }),
  );
}

async function startThree(): Promise<Started[]> {
  const ports = await Promise.all([1, 2, 3].map(() => freePort()));
  const three = ports.map(npmStart);
  await Promise.all(three.map((s) => waitHealthy(s)));
  return three;
}

const ranCli = (s: Started) => /running prisma migrate deploy/.test(s.output());
const skipped = (s: Started) => /database is up to date \(\d+ migrations\); prisma migrate deploy not needed/.test(s.output());

beforeAll(async () => {
  if (available) db = await createEmptyPostgresDb();
});
afterAll(async () => {
  await stopAll();
  await db?.drop();
});

describe.runIf(available)("npm start, three processes at once on one PostgreSQL database", () => {
  it("all come up on a fresh database; one of them migrates", async () => {
    const three = await startThree();
    for (const s of three) expect(s.output()).not.toMatch(/P1002|advisory lock/);
    expect(three.filter(ranCli)).toHaveLength(1);
    expect(three.filter(skipped)).toHaveLength(2);
    await stopAll();
  }, 300_000);

  it("on the migrated database, none runs the Prisma CLI", async () => {
    const three = await startThree();
    for (const s of three) {
      expect(skipped(s), s.output()).toBe(true);
      expect(ranCli(s)).toBe(false);
      expect(s.output()).not.toMatch(/Loaded Prisma config|prisma migrate deploy failed/);
    }
    await stopAll();
  }, 300_000);
});
