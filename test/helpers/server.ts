// Starts the real server on a free loopback port with a real SQLite file in a temp folder.
import fs from "node:fs";
import { freePort } from "./ports.ts";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { inject } from "vitest";
import { createApp, type App } from "../../src/app.ts";
import { loadConfig } from "../../src/config.ts";

export interface TestServer {
  url: string;
  port: number;
  app: App;
  dir: string;
  dbFile: string;
  env: Record<string, string>;
  close(): Promise<void>;
}


async function selfUrlEnv(): Promise<Record<string, string>> {
  const port = await freePort();
  return { PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` };
}

/**
 * A fresh database (a copy of the migrated template) unless `dir` points at an existing one.
 * `publicUrlIsSelf`: PUBLIC_URL is this server's own http://127.0.0.1:<port> (its port chosen first).
 */
export async function startTestServer(
  env: Record<string, string> = {},
  opts: { dir?: string; publicUrlIsSelf?: boolean } = {},
): Promise<TestServer> {
  const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), "chat-test-"));
  const dbFile = path.join(dir, "chat.db");
  if (!fs.existsSync(dbFile)) fs.copyFileSync(inject("templateDb"), dbFile);
  const fullEnv = {
    DATABASE_URL: `file:${dbFile}`,
    PORT: "0",
    HOST: "127.0.0.1",
    LOG_LEVEL: "silent",
    WEBHOOK_POLL_MS: "100",
    ...(opts.publicUrlIsSelf ? await selfUrlEnv() : {}),
    ...env,
  };
  const dispatcherScript = { script: pathToFileURL(path.join(inject("serverBuild"), "dispatcher-thread.js")) };
  const app = await createApp(loadConfig(fullEnv), { dispatcherScript });
  const port = await app.listen();
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    app,
    dir,
    dbFile,
    env: fullEnv,
    close: () => app.close(),
  };
}
