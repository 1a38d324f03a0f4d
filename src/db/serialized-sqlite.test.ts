// A plain write made while another interactive transaction is open must not share its fate.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { inject } from "vitest";
import { loadConfig } from "../config.ts";
import { createEventBus } from "../events/domain-events.ts";
import { createLogger } from "../observability/logger.ts";
import { createDatabase, type Database, type Db } from "./client.ts";
import { prismaTransaction } from "./transaction.ts";

let database: Database;
let db: Db;
beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-db-"));
  fs.copyFileSync(inject("templateDb"), path.join(dir, "chat.db"));
  database = await createDatabase(loadConfig({ DATABASE_URL: `file:${path.join(dir, "chat.db")}` }));
  db = database.prisma;
});
afterAll(() => database.close());

it("keeps plain writes made while another transaction is open, when that transaction rolls back", async () => {
  await db.user.create({ data: { username: "existing", displayName: "E", passwordHash: "!" } });
  let inside!: () => void;
  const entered = new Promise<void>((resolve) => (inside = resolve));
  const failing = prismaTransaction({ db, bus: createEventBus(createLogger("silent")) }, async (tx) => {
    await tx.user.create({ data: { username: "rolled.back", displayName: "R", passwordHash: "!" } });
    inside();
    await new Promise((r) => setTimeout(r, 50));
    throw new Error("roll back");
  });
  await entered;
  // Single statements that Prisma runs without a transaction of their own.
  const plain = Promise.all([
    db.user.updateMany({ where: { username: "existing" }, data: { displayName: "Renamed" } }),
    db.$executeRawUnsafe(`INSERT INTO "Room" ("name", "createdAt", "modifiedAt") VALUES ('kept', 0, 0)`),
  ]);
  await expect(failing).rejects.toThrow("roll back");
  await plain;
  expect((await db.user.findUnique({ where: { username: "existing" } }))?.displayName).toBe("Renamed");
  expect(await db.room.count({ where: { name: "kept" } })).toBe(1);
  expect(await db.user.findUnique({ where: { username: "rolled.back" } })).toBeNull();
});
