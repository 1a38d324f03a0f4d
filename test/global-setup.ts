// Migrates one template SQLite database with the real `prisma migrate deploy`; each test
// server starts on a copy of it (a file copy costs milliseconds, a migrate run seconds). Builds the
// server (dist/, as `npm install` does) from the current sources once: child-process servers run it, and
// in-process servers start their dispatcher thread from it, in tens of milliseconds where loading
// the TypeScript through tsx takes half a second or more per start.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildServer } from "../scripts/build-server.mjs";

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
    /** The server built from the sources of this run: main.js and dispatcher-thread.js. */
    serverBuild: string;
  }
}

export default async function setup(project: TestProject) {
  // dist/ itself, as npm install builds it: `npm start` in the tests runs these sources too.
  project.provide("serverBuild", await buildServer());

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-template-"));
  const file = path.join(dir, "template.db");
  execFileSync("npx", ["prisma", "migrate", "deploy"], {
    env: { ...process.env, DATABASE_URL: `file:${file}` },
    stdio: "pipe",
  });
  project.provide("templateDb", file);
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
