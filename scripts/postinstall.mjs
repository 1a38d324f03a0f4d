// npm install's last step: the Prisma clients (SQLite and PostgreSQL), the server's build (dist/,
// which npm start runs) and the web client.
// Skipped under `npm exec` / `npx`: `npx hookroom` in this folder links the project into npx's
// cache and npm then runs this script again, although the checkout has everything already (and
// the hookroom command needs neither Prisma nor the web build).
import { execSync } from "node:child_process";

if (process.env.npm_command !== "exec") {
  for (const command of ["prisma generate", "prisma generate --schema prisma/postgres/schema.prisma", "npm run build:server", "npm run build:web"]) {
    execSync(command, { stdio: "inherit" });
  }
}
