#!/usr/bin/env node
// The `hookroom` command. Runs the compiled CLI from dist/ when a build made one, else the
// TypeScript source through tsx (a checkout, or `npx hookroom` in the project folder).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const built = new URL("../dist/cli/main.js", import.meta.url);
const cli = existsSync(fileURLToPath(built))
  ? await import(built.href)
  : await (await import("tsx/esm/api")).tsImport("../src/cli/main.ts", import.meta.url);

const interrupted = new Promise((resolve) => {
  process.once("SIGINT", resolve);
  process.once("SIGTERM", resolve);
});
const code = await cli.main(process.argv.slice(2), process.env, {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  interrupted,
});
process.exit(code);
