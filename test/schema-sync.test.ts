// The PostgreSQL schema is derived from the SQLite one; a stale copy fails here (and so in CI).
import fs from "node:fs";
import { expect, it } from "vitest";
import { derivePostgresSchema } from "../scripts/derive-postgres-schema.ts";

it("prisma/postgres/schema.prisma is derived from prisma/schema.prisma", () => {
  const derived = derivePostgresSchema(fs.readFileSync("prisma/schema.prisma", "utf8"));
  expect(fs.readFileSync("prisma/postgres/schema.prisma", "utf8")).toBe(derived);
});

it("both providers have the same migrations", () => {
  const names = (dir: string) => fs.readdirSync(dir).filter((n) => !n.endsWith(".toml")).sort();
  expect(names("prisma/postgres/migrations")).toEqual(names("prisma/migrations"));
});
