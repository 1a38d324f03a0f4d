// The WAL's checkpoints run in a thread of their own: the database file takes in what was committed
// while the writer's thread goes on, and closing leaves the WAL empty.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import { statement } from "./sql.ts";
import { createSqliteSql, openSqlite } from "./sqlite-sql.ts";
import { WriteMutex } from "./write-mutex.ts";

const insert = statement<{ v: string }>({ name: "t_insert", sqlite: `INSERT INTO t (v) VALUES (?1)`, postgres: "", params: (p) => [p.v] });

let dir: string;
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

it("copies committed pages into the database file from another thread, and empties the WAL on close", async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkpoints-"));
  const file = path.join(dir, "t.db");
  const setup = openSqlite(file);
  setup.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
  setup.close();
  const sizeOf = (f: string) => (fs.existsSync(f) ? fs.statSync(f).size : 0);
  const before = sizeOf(file);

  const sql = createSqliteSql(file, new WriteMutex(), { checkpointEveryMs: 20 });
  // No checkpoint on this connection (wal_autocheckpoint = 0): only the thread can grow the file.
  for (let i = 0; i < 20; i++) await sql.transaction(async (q) => void (await Promise.all(Array.from({ length: 50 }, () => q.run(insert, { v: "x".repeat(1000) })))));
  const deadline = Date.now() + 10_000;
  while (sizeOf(file) < before + 1_000_000 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  expect(sizeOf(file)).toBeGreaterThan(before + 1_000_000);
  expect(sizeOf(`${file}-wal`)).toBeGreaterThan(0);

  await sql.close();
  expect(sizeOf(`${file}-wal`)).toBe(0);
  const check = openSqlite(file);
  expect(check.prepare("SELECT count(*) AS n FROM t").get()).toEqual({ n: 1000 });
  check.close();
});
