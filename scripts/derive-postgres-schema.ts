// The models live in prisma/schema.prisma (SQLite, the default); the PostgreSQL schema is derived
// from it, since a Prisma schema names one provider. `--check` fails when the committed copy is stale.
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const source = path.join(root, "prisma/schema.prisma");
const target = path.join(root, "prisma/postgres/schema.prisma");

export function derivePostgresSchema(sqlite: string): string {
  const replaced = sqlite
    .replace(/^\/\/ SQLite schema \(the default\)\..*$/m, "// GENERATED from prisma/schema.prisma by scripts/derive-postgres-schema.ts: do not edit.")
    .replace('output       = "../src/generated/prisma"', 'output       = "../../src/generated/postgres"')
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace(/^( *url +=) "file:[^"]*"$/m, '$1 "postgresql://postgres@127.0.0.1:5432/chat"');
  for (const needle of ["generated/postgres", '"postgresql"', "postgresql://"]) {
    if (!replaced.includes(needle)) throw new Error(`derive-postgres-schema: could not rewrite (${needle}); update the script`);
  }
  return replaced;
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) {
  const derived = derivePostgresSchema(fs.readFileSync(source, "utf8"));
  if (process.argv.includes("--check")) {
    if (fs.readFileSync(target, "utf8") !== derived) {
      console.error("prisma/postgres/schema.prisma is stale: run `npm run db:derive`");
      process.exit(1);
    }
  } else {
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, derived);
  }
}
