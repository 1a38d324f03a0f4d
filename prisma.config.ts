// Prisma CLI set-up: the "js" engine with a driver adapter, so generate and migrate run on
// WebAssembly and nothing downloads a native engine. DATABASE_URL picks SQLite or PostgreSQL.
import fs from "node:fs";
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { isPostgres, loadConfig, sqliteFilePath } from "./src/config.ts";
import { createPgPool } from "./src/db/pg-pool.ts";

const { databaseUrl } = loadConfig(process.env);
const postgres = isPostgres(databaseUrl);
const dir = postgres ? path.join("prisma", "postgres") : "prisma";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: path.join(dir, "schema.prisma"),
  migrations: { path: path.join(dir, "migrations") },
  async adapter() {
    if (postgres) return new PrismaPg(createPgPool(databaseUrl, 2));
    const file = sqliteFilePath(databaseUrl);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    return new PrismaBetterSQLite3({ url: `file:${file}` });
  },
});
