// Runs the real server as a child process (`tsx src/main.ts`), for tests that signal or kill it.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";

export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  dir: string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  logs: string[];
}

const root = path.resolve(import.meta.dirname, "../..");
const tsx = path.join(root, "node_modules/.bin/tsx");

/** Starts `src/main.ts` on a free port; a fresh copy of the migrated template unless dir holds a database. */
export async function startServerProcess(env: Record<string, string> = {}, opts: { dir?: string } = {}): Promise<ServerProcess> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "chat-proc-"));
  const dbFile = path.join(dir, "chat.db");
  if (!fs.existsSync(dbFile)) fs.copyFileSync(inject("templateDb"), dbFile);
  const child = spawn(tsx, ["src/main.ts"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: `file:${dbFile}`, PORT: "0", HOST: "127.0.0.1", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const logs: string[] = [];
  const exited = new Promise<number | string>((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1)));
  const port = await new Promise<number>((resolve, reject) => {
    let buffer = "";
    const onData = (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        logs.push(line);
        try {
          const entry = JSON.parse(line) as { port?: number; msg?: string };
          if (entry.port && entry.msg?.startsWith("listening")) resolve(entry.port);
        } catch {
          /* not a log line */
        }
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => logs.push(c.toString()));
    void exited.then((code) => reject(new Error(`server exited (${code}) before listening:\n${logs.join("\n")}`)));
  });
  return { child, url: `http://127.0.0.1:${port}`, port, dir, exited, logs };
}
