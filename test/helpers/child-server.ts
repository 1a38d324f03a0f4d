// The real server as a child process, so a test can SIGKILL it and start it again on the same
// database file. Under Vitest it runs the build of this run's sources (as `npm start` runs dist/);
// elsewhere the TypeScript through tsx.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { inject } from "vitest";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export { freePort } from "./ports.ts";

export interface ChildServer {
  url: string;
  process: ChildProcess;
  /** What the child wrote to stderr (for a failing test's message). */
  stderr(): string;
  kill(signal: NodeJS.Signals): Promise<void>;
}

function serverCommand(): string[] {
  try {
    return [path.join(inject("serverBuild"), "main.js")];
  } catch {
    return ["--import", "tsx", "src/main.ts"]; // not under Vitest
  }
}

/**
 * Starts the server on `port` with `env` and resolves once /healthz answers; `nodeArgs` go to
 * node (profiling); `logFile` receives the server's stdout (its log lines).
 */
export async function startChildServer(
  port: number,
  env: Record<string, string>,
  opts: { timeoutMs?: number; nodeArgs?: string[]; logFile?: string } = {},
): Promise<ChildServer> {
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const stdout = opts.logFile ? fs.openSync(opts.logFile, "a") : "ignore";
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), ...serverCommand()], {
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
