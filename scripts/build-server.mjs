// Compiles the server into dist/ (npm install runs this; npm start runs the result): one bundle
// per entry, npm packages left as imports. Node runs plain JavaScript: no TypeScript loader in the
// running process. After changing the code, run `npm run build:server` (or use `npm run dev`).
// Entries: the server, the webhook dispatcher's thread (dist/dispatcher-thread.js, which
// src/webhooks/outgoing/dispatch/dispatcher-thread.ts starts) and the hookroom command. The PostgreSQL client is a chunk of
// its own, loaded only when DATABASE_URL is PostgreSQL.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export const ENTRIES = {
  main: "src/main.ts",
  // npm start's first step: applies pending migrations (several processes may start together).
  migrate: "scripts/migrate.ts",
  "dispatcher-thread": "src/webhooks/outgoing/dispatch/thread.ts",
  // SQLite's WAL checkpoints (src/db/sqlite-sql.ts starts it).
  "checkpoint-thread": "src/db/checkpoint-thread.mjs",
  // `npx hookroom` (bin/hookroom.js) runs this when it exists.
  "cli/main": "src/cli/main.ts",
};

/** `outdir` must be inside the project, so the bundles find node_modules. */
export async function buildServer({ outdir = path.join(root, "dist"), entries = ENTRIES } = {}) {
  fs.rmSync(outdir, { recursive: true, force: true });
  await build({
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, file]) => [name, path.join(root, file)])),
    outdir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    sourcemap: true,
    logLevel: "warning",
  });
  return outdir;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await buildServer();
