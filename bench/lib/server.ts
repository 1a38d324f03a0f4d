// The server under test as a child process, started the way production starts it: `prisma migrate
// deploy` in the server's directory, then, when the build exists, the server command of its
// `npm start` (the last step of the script: its node flags and environment included), else
// `node --import tsx src/main.ts`. Its output goes to a log file; its RSS is read from /proc.
import { execFile, spawn } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { freePort } from "../../test/helpers/ports.ts";

const run = promisify(execFile);

/** The server's own variables are set by the bench only (BENCH_SERVER_ENV adds more). */
const SERVER_VARS = /^(PORT|HOST|DATABASE_URL|REDIS_URL|REDIS_PREFIX|JWT_\w+|PUBLIC_URL|WEBHOOK_\w+|INCOMING_\w+|RETENTION_DAYS|LOG_LEVEL)$/;

export function serverEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !SERVER_VARS.test(k)) env[k] = v;
  for (const pair of (process.env.BENCH_SERVER_ENV ?? "").split(" ").filter(Boolean)) {
    const eq = pair.indexOf("=");
    if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return { ...env, ...extra };
}

/**
 * What to spawn: with a build, the server step of `npm start` run by sh (`exec`, so the pid is the
 * server's), with `nodeArgs` put after its `node`; without one, node on the TypeScript.
 */
export function serverCommand(dir: string, nodeArgs: string[]): { file: string; args: string[]; env: Record<string, string> } {
  if (!fs.existsSync(path.join(dir, "dist", "main.js"))) {
    return { file: process.execPath, args: [...nodeArgs, "--import", "tsx", "src/main.ts"], env: {} };
  }
  const start = (JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as { scripts: { start: string } }).scripts.start;
  const step = start.split("&&").at(-1)!.trim().replace(/^exec\s+/, "");
  // On node's own command line: NODE_OPTIONS refuses some flags (--cpu-prof).
  const withArgs = step.replace(/(^|\s)node(?=\s)/, `$1node ${nodeArgs.join(" ")}`);
  if (!nodeArgs.length || withArgs !== step) return { file: "/bin/sh", args: ["-c", `exec ${withArgs}`], env: {} };
  return { file: "/bin/sh", args: ["-c", `exec ${step}`], env: { NODE_OPTIONS: nodeArgs.join(" ") } };
}

export async function migrate(dir: string, databaseUrl: string): Promise<number> {
  const t0 = Date.now();
  try {
    await run("npx", ["prisma", "migrate", "deploy"], { cwd: dir, env: serverEnv({ DATABASE_URL: databaseUrl }), maxBuffer: 16 << 20 });
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`prisma migrate deploy failed in ${dir}: ${e.message}\n${e.stdout ?? ""}${e.stderr ?? ""}`);
  }
  return Date.now() - t0;
}

export interface ServerProc {
  url: string;
  pid: number;
  logFile: string;
  /** VmRSS in MB (worker threads included: they share the process). */
  rssMb(): number | undefined;
  stop(): Promise<void>;
}

export function rssMbOf(pid: number): number | undefined {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Math.round(Number(m[1]) / 102.4) / 10 : undefined;
  } catch {
    return undefined;
  }
}

const tail = (file: string) => {
  try {
    return fs.readFileSync(file, "utf8").slice(-3000);
  } catch {
    return "";
  }
};

/** Starts one server and resolves once /healthz answers. */
export async function startServer(opts: { dir: string; nodeArgs: string[]; env: Record<string, string>; logFile: string }): Promise<ServerProc> {
  const port = await freePort();
  const out = fs.openSync(opts.logFile, "a");
  const command = serverCommand(opts.dir, opts.nodeArgs);
  const child = spawn(command.file, command.args, {
    cwd: opts.dir,
    env: serverEnv({ HOST: "127.0.0.1", PORT: String(port), ...command.env, ...opts.env }),
    stdio: ["ignore", out, out],
  });
  fs.closeSync(out);
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}); log ${opts.logFile}:\n${tail(opts.logFile)}`);
    }
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not answer /healthz within 90 s; log ${opts.logFile}:\n${tail(opts.logFile)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    logFile: opts.logFile,
    rssMb: () => rssMbOf(child.pid!),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      // A graceful stop writes --cpu-prof profiles; give it time before SIGKILL.
      const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
