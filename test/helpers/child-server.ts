// The real server as a child process (node + tsx loader), so a test can SIGKILL it and start it again
// on the same database file.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export { freePort } from "./ports.ts";

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** What the child wrote to stderr (for a failing test's message). */
  stderr(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts `src/main.ts` on `port` with `env` and resolves once /healthz answers; `nodeArgs` go to
 * node (profiling); `logFile` receives the server's stdout (its log lines).
 */
export async function startChildServer(
  port: number,
  env: Record<string, string>,
  opts: { timeoutMs?: number; nodeArgs?: string[]; logFile?: string } = {},
): Promise<ChildServer> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const stdout = opts.logFile ? fs.openSync(opts.logFile, "a") : "ignore";
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), "--import", "tsx", "src/main.ts"], {
    cwd: root,
    env: { ...process.env, HOST: "127.0.0.1", PORT: String(port), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", stdout, "pipe"],
  });
  if (typeof stdout === "number") fs.closeSync(stdout);
  let err = "";
  child.stderr!.on("data", (c: Buffer) => {
    err = (err + c.toString()).slice(-8000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${err}`);
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start: ${err}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    process: child,
    stderr: () => err,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}
