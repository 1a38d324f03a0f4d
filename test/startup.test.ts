// A bad configuration stops the process before it listens, naming every bad variable.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, it } from "vitest";

it("exits 1 and names the bad variables", () => {
  const root = path.resolve(import.meta.dirname, "..");
  const result = spawnSync(path.join(root, "node_modules/.bin/tsx"), ["src/main.ts"], {
    cwd: root,
    env: { ...process.env, PORT: "not-a-port", WEBHOOK_RETRY_DELAYS_MS: "soon", DATABASE_URL: "file:/nonexistent/never-created.db" },
    encoding: "utf8",
    timeout: 30_000,
  });
  expect(result.status).toBe(1);
  expect(result.stderr).toContain("PORT");
  expect(result.stderr).toContain("WEBHOOK_RETRY_DELAYS_MS");
  expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
});
