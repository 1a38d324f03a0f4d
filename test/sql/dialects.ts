// The databases a statement test runs on: SQLite always, PostgreSQL when it is reachable (under
// CI=true its absence fails). Each gives a fresh migrated database with Prisma and SqlDb on it.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { inject } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createDatabase, type Database } from "../../src/db/client.ts";
import { clonePostgresDb, createPostgresTemplate, servicesAvailable } from "../helpers/services.ts";

export interface DialectDb {
  database: Database;
  close(): Promise<void>;
}

export interface Dialect {
  name: "sqlite" | "postgres";
  open(): Promise<DialectDb>;
  /** Drops what the dialect set up (PostgreSQL's template). */
  dispose(): Promise<void>;
}

/** SQLite alone (a test that needs no PostgreSQL). */
export const sqlite: Dialect = {
  name: "sqlite",
  async open() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-sql-"));
    fs.copyFileSync(inject("templateDb"), path.join(dir, "chat.db"));
    const database = await createDatabase(loadConfig({ DATABASE_URL: `file:${path.join(dir, "chat.db")}` }));
    return {
      database,
      async close() {
        await database.close();
        fs.rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  dispose: async () => {},
};

function postgres(): Dialect {
  let template: Promise<Awaited<ReturnType<typeof createPostgresTemplate>>> | undefined;
  return {
    name: "postgres",
    async open() {
      template ??= createPostgresTemplate();
      const db = await clonePostgresDb((await template).name);
      const database = await createDatabase(loadConfig({ DATABASE_URL: db.url, JWT_SECRET: "x".repeat(32) }));
      return {
        database,
        async close() {
          await database.close();
          await db.drop();
        },
      };
    },
    async dispose() {
      if (template) await (await template).drop();
    },
  };
}

/** SQLite, plus PostgreSQL when available. */
export async function dialects(): Promise<Dialect[]> {
  return (await servicesAvailable("postgres")) ? [sqlite, postgres()] : [sqlite];
}
