// Helper processes of the bench (receiver, load generator, socket clients, Express hello) run in
// their own node processes so that their work and the measuring process's event loop do not
// delay each other's timestamps. They are forked with the tsx loader and answer calls over IPC.
import { fork, type ChildProcess } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(benchDir, "..");

interface Reply {
  id: number;
  ok: boolean;
  value?: unknown;
  error?: string;
}

export interface Child {
  pid: number;
  call<T = unknown>(cmd: string, args?: unknown): Promise<T>;
  stop(): Promise<void>;
}

/** Forks `bench/children/<name>.ts` and resolves once it said it is ready. */
export async function forkChild(name: string): Promise<Child> {
  const proc: ChildProcess = fork(path.join(benchDir, "children", `${name}.ts`), [], {
    cwd: repoRoot,
    execArgv: ["--import", "tsx"],
    serialization: "advanced",
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    proc.once("exit", (code, signal) => {
      exited = true;
      for (const p of pending.values()) p.reject(new Error(`${name} exited (${code ?? signal})`));
      pending.clear();
      resolve();
    }),
  );
  const ready = new Promise<void>((resolve, reject) => {
    proc.once("message", (m) => ((m as { ready?: boolean }).ready ? resolve() : reject(new Error(`${name}: bad hello`))));
    proc.once("exit", (code) => reject(new Error(`${name} exited before it was ready (${code})`)));
  });
  await ready;
  proc.on("message", (m) => {
    const r = m as Reply;
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    if (r.ok) p.resolve(r.value);
    else p.reject(new Error(`${name}: ${r.error}`));
  });
  return {
    pid: proc.pid!,
    call<T>(cmd: string, args?: unknown) {
      if (exited) return Promise.reject(new Error(`${name} is not running`));
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        proc.send({ id, cmd, args });
      });
    },
    async stop() {
      if (exited) return;
      proc.kill("SIGTERM");
      const timer = setTimeout(() => proc.kill("SIGKILL"), 5000);
      await exit;
      clearTimeout(timer);
    },
  };
}

type Handlers = Record<string, (args: any) => unknown>;

/** The child's side: answers each call with its handler's (awaited) value. */
export function serve(handlers: Handlers): void {
  process.on("message", async (m) => {
    const { id, cmd, args } = m as { id: number; cmd: string; args: unknown };
    try {
      const handler = handlers[cmd];
      if (!handler) throw new Error(`unknown command ${cmd}`);
      process.send!({ id, ok: true, value: await handler(args) });
    } catch (err) {
      process.send!({ id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
  // The parent going away (Ctrl-C, crash) ends the child too.
  process.on("disconnect", () => process.exit(0));
  process.send!({ ready: true });
}
