// The Prisma path's transaction helper on each database: what is registered to happen after the
// commit happens after it (another connection already sees the change), in order, awaited; a
// rollback drops all of it.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prismaTransaction } from "../../src/db/transaction.ts";
import { dialects } from "../sql/dialects.ts";
import { names, openHarness, type Harness } from "./harness.ts";
import { statement } from "../../src/db/sql.ts";

const all = await dialects();
afterAll(async () => {
  for (const d of all) await d.dispose();
});

// Read on SqlDb's own connection: it sees only what has committed.
const roomCount = statement<{ name: string }, number>({
  name: "test_room_count",
  sqlite: `SELECT count(*) AS "n" FROM "Room" WHERE "name" = ?1`,
  postgres: `SELECT count(*) AS "n" FROM "Room" WHERE "name" = $1`,
  params: (p) => [p.name],
  row: (r) => Number(r.n),
});

describe.each(all)("prismaTransaction on $name", (dialect) => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(dialect);
  });
  afterEach(() => h.close());

  it("runs the hooks after the commit, in the order registered, and awaits them", async () => {
    const seen: string[] = [];
    const result = await prismaTransaction(h.deps, async (tx, after) => {
      const room = await tx.room.create({ data: { name: "committed" } });
      after.run(async () => {
        seen.push(`run sees ${await h.database.sql.read.get(roomCount, { name: "committed" })}`);
      });
      after.publish("room.updated", { room: { id: room.id, name: room.name, avatarFileId: null, createdAt: 0, modifiedAt: 0 } });
      after.run(() => void seen.push(`published before: ${names(h.published).join()}`));
      seen.push("inside");
      return room.id;
    });
    expect(typeof result).toBe("number");
    expect(seen).toEqual(["inside", "run sees 1", "published before: room.updated"]);
  });

  it("drops every hook when the transaction rolls back", async () => {
    const ran: string[] = [];
    await expect(
      prismaTransaction(h.deps, async (tx, after) => {
        await tx.room.create({ data: { name: "rolled back" } });
        after.publish("member.removed", { roomId: 1, userId: 1 });
        after.run(() => void ran.push("hook"));
        throw new Error("no");
      }),
    ).rejects.toThrow("no");
    expect(ran).toEqual([]);
    expect(h.published).toEqual([]);
    expect(await h.database.prisma.room.count({ where: { name: "rolled back" } })).toBe(0);
  });
});
