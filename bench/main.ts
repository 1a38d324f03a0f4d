// `npm run bench`: the figures of issue 9, each beside its ceiling measured in the same run, as
// one JSON document on stdout (progress goes to stderr). The server under test runs as child
// processes started as in production (bench/lib/server.ts), driven only through its public API
// (HTTP and Socket.IO); the receiver, load generator and socket clients run in processes of their
// own. Parts: ceilings, ingest (goals 1, 3), latency (2), drain (4), fanout (5, and 6's sockets
// figure), memory (6), postgres (7). See bench/README.md for the knobs.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { forkChild, type Child } from "./lib/child.ts";
import type { Ctx } from "./lib/context.ts";
import { createDeployer } from "./lib/deploy.ts";
import { besideSqlite, missedGoals } from "./lib/report.ts";
import { serverCommand } from "./lib/server.ts";
import { loadSettings, type Part } from "./lib/settings.ts";
import { round, setJudging } from "./lib/stats.ts";
import { expressHello, rawPost } from "./parts/ceilings.ts";
import { drain } from "./parts/drain.ts";
import { fanout } from "./parts/fanout.ts";
import { ingest } from "./parts/ingest.ts";
import { latency } from "./parts/latency.ts";
import { memory } from "./parts/memory.ts";
import { postgres } from "./parts/postgres.ts";

const settings = loadSettings(process.argv.slice(2));
setJudging(!settings.smoke);
const started = Date.now();
const log = (msg: string) => process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(1)}s] ${msg}\n`);
const want = (p: Part) => settings.parts.includes(p);

function commitOf(dir: string) {
  try {
    const head = execFileSync("git", ["-C", dir, "rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["-C", dir, "status", "--porcelain", "--untracked-files=no"], { encoding: "utf8" }).trim();
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return null;
  }
}

const machine = {
  cpus: os.cpus().length,
  model: os.cpus()[0]?.model,
  node: process.version,
  platform: `${os.platform()} ${os.release()}`,
  totalMemoryMb: Math.round(os.totalmem() / 2 ** 20),
  loadAverageAtStart: os.loadavg().map((l) => round(l, 2)),
};
const tmpDir = fs.mkdtempSync(path.join(os.tmpdir(), "hookroom-bench-"));
const deployer = createDeployer(settings, tmpDir, log);
const children: Child[] = [];
let cleaning: Promise<void> | undefined;
const cleanup = () =>
  (cleaning ??= (async () => {
    await deployer.cleanup().catch((e: Error) => log(`cleanup: ${e.message}`));
    for (const c of children) await c.stop();
  })());
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, async () => {
    log(`${signal}: stopping the servers and helpers (logs kept in ${tmpDir})`);
    await cleanup();
    process.exit(130);
  });
}

const results: Record<string, any> = {};
const errors: Record<string, string> = {};
const notes: string[] = [];
let failed = false;

async function part<T>(name: string, fn: () => Promise<T>): Promise<T | undefined> {
  const t0 = Date.now();
  try {
    const value = await fn();
    log(`${name} done in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return value;
  } catch (err) {
    failed = true;
    errors[name] = (err as Error).stack ?? String(err);
    log(`${name} FAILED: ${(err as Error).message}`);
    return undefined;
  }
}

try {
  log(`server: ${settings.serverDir} (${commitOf(settings.serverDir) ?? "not a git checkout"}); ${settings.smoke ? "smoke run" : "full run"}; parts: ${settings.parts.join(", ")}`);
  const [receiver, loadgen] = await Promise.all([forkChild("receiver"), forkChild("loadgen")]);
  children.push(receiver, loadgen);
  const sqliteParts: Part[] = ["ingest", "latency", "drain", "fanout", "memory"];
  await deployer.prepare([...(sqliteParts.some(want) ? ["sqlite" as const] : []), ...(want("postgres") ? (["postgres-1", "postgres-2"] as const) : [])]);
  const ctx: Ctx = { settings, receiver, receiverUrl: await receiver.call<string>("url"), loadgen, deployer, ceilings: {}, notes, log };

  // The ceilings the chosen parts are shares of.
  const ceilings: Record<string, unknown> = {};
  if (want("ceilings") || want("ingest") || want("postgres")) ceilings.expressHello = await part("ceiling (a)", () => expressHello(ctx));
  if (want("ceilings") || want("drain") || want("postgres")) ceilings.rawPostOneConnection = await part("ceiling (b)", () => rawPost(ctx));

  const sqlite: Record<string, any> = {};
  if (want("ingest")) sqlite.ingest = await part("ingest", () => ingest(ctx, "sqlite"));
  if (want("latency")) sqlite.latency = await part("latency", () => latency(ctx, "sqlite"));
  if (want("drain")) sqlite.drain = await part("drain", () => drain(ctx, "sqlite"));
  const fan = want("fanout") ? await part("fanout", () => fanout(ctx)) : undefined;
  const mem = want("memory") ? await part("memory", () => memory(ctx)) : undefined;
  const pg = want("postgres") ? await part("postgres", () => postgres(ctx)) : undefined;
  for (const [setup, r] of Object.entries(pg ?? {})) {
    for (const [name, message] of Object.entries((r as { errors?: Record<string, string> }).errors ?? {})) {
      failed = true;
      errors[`${setup} ${name}`] = message;
    }
  }

  const { starvation, ...ingestRest } = sqlite.ingest ?? {};
  results.goal1_sustainedIngest = sqlite.ingest ? ingestRest : undefined;
  results.goal2_latency = sqlite.latency;
  results.goal3_starvation = sqlite.ingest ? { ...starvation, burstSeconds: sqlite.ingest.load.seconds } : undefined;
  results.goal4_deliveryRate = sqlite.drain;
  results.goal5_fanout = fan && { ...fan, rssMb: undefined };
  results.goal6_memory =
    fan || mem
      ? {
          idleAfterWarmUpMb: mem?.idle.afterWarmUpMb ?? null,
          idleAfterStartMb: mem?.idle.afterStartMb ?? null,
          with1000Sockets: fan ? { ...fan.rssMb.withSockets, sockets: fan.sockets.connected, beforeSocketsMb: fan.rssMb.beforeSockets, maxDuringFanoutMb: fan.rssMb.maxDuringFanout } : "fanout part not run",
          withBacklog: mem?.withBacklog ?? "memory part not run",
          drainPerSecond: mem?.drainPerSecond ?? null,
          grewWhileDraining: mem?.grewWhileDraining ?? null,
          drain: mem?.drain,
        }
      : undefined;
  results.goal7_postgres = pg && {
    beside: besideSqlite({ sqlite: sqlite as any, ...(pg as Record<string, any>) }),
    goal: "each figure at least a tenth of the SQLite goal (latency at most ten times); nothing lost, order kept",
    ...pg,
  };
  if (sqlite.ingest?.deliveries?.allArrived === false) notes.push(`ingest: not every accepted message was delivered within ${settings.stallS} s of the last delivery (BENCH_STALL_S); the rest are counted lost`);
  for (const [name, b] of [["drain", sqlite.drain?.backlog], ["memory", mem?.withBacklog]] as const) {
    if (b && !b.reachedRequested) notes.push(`${name}: the backlog reached ${b.built} of ${b.requested} in ${b.buildSeconds} s: building stops after BENCH_BACKLOG_MAX_BUILD_S (${settings.backlogMaxBuildS} s) so the held request stays under WEBHOOK_TIMEOUT_MS (120 s, the server's maximum)`);
  }
  if (machine.loadAverageAtStart[0]! > 0.5 * machine.cpus) notes.push(`the machine was busy: load average ${machine.loadAverageAtStart.join(", ")} at start on ${machine.cpus} cpus`);
  notes.push(
    settings.freshServers
      ? "each part ran on a server of its own (a fresh copy of the migrated database), so a part rerun alone (BENCH_ONLY) gives the same figure"
      : "the parts shared one server (and database) per set-up (BENCH_FRESH_SERVERS=0 or a smoke run)",
    "migrations ran once per provider per run (prisma migrate deploy into a template) and each database is a copy of it",
    "fan-out users were registered through the API, not seeded in the database",
    "ceiling (a) does not parse the request body: it is Express's own ceiling for the same requests",
    "order per webhook is judged by message id (on PostgreSQL the message path takes a lock per room, so ids follow the commit order there too)",
  );

  const output = {
    bench: "hookroom issue 9: real time under load",
    smoke: settings.smoke,
    startedAt: new Date(started).toISOString(),
    seconds: Math.round((Date.now() - started) / 1000),
    machine: { ...machine, loadAverageAtEnd: os.loadavg().map((l) => round(l, 2)) },
    server: {
      dir: settings.serverDir,
      commit: commitOf(settings.serverDir),
      command: (({ file, args, env }) => [...Object.entries(env).map(([k, v]) => `${k}=${JSON.stringify(v)}`), file, ...args].join(" "))(
        serverCommand(settings.serverDir, settings.serverNodeArgs),
      ),
      env: "DATABASE_URL (temp SQLite file / scratch PostgreSQL database), JWT_SECRET, WEBHOOK_ALLOW_PRIVATE_NETWORKS=true, WEBHOOK_TIMEOUT_MS=120000, REDIS_URL and REDIS_PREFIX for two processes; LOG_LEVEL default (info)",
      ...deployer.timings,
    },
    settings,
    ceilings,
    ...results,
    missed: settings.smoke ? "not judged (smoke run)" : missedGoals(results),
    ...(Object.keys(errors).length ? { errors, logs: tmpDir } : {}),
    notes,
  };
  process.stdout.write(JSON.stringify(output, null, 2) + "\n");
} catch (err) {
  failed = true;
  log(`bench failed: ${(err as Error).stack}`);
} finally {
  await cleanup();
  if (failed || settings.keepTmp) log(`server logs kept in ${tmpDir}`);
  else fs.rmSync(tmpDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
