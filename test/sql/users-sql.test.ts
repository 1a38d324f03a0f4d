// The user search statement on SQLite and PostgreSQL: any letter case, `%` and `_` taken literally,
// bots left out, at most `limit` rows by username.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { likePattern, searchPeople } from "../../src/users/users-sql.ts";
import { dialects, type DialectDb } from "./dialects.ts";

const all = await dialects();
afterAll(async () => {
  for (const d of all) await d.dispose();
});

describe.each(all)("user search on $name", (dialect) => {
  let h: DialectDb;
  let db: Database;
  beforeEach(async () => {
    h = await dialect.open();
    db = h.database;
    const users: [string, string, boolean][] = [
      ["ann_1", "Ann", false], ["annx1", "Annex", false], ["bob", "100% Bob", false], ["carl", "Carl", false], ["bot.ann", "Ann bot", true],
    ];
    for (const [username, displayName, isBot] of users) await db.prisma.user.create({ data: { username, displayName, isBot, passwordHash: "!" } });
  });
  afterEach(() => h.close());

  const search = (term: string, limit = 20) =>
    db.sql.read.all(searchPeople, { username: likePattern(term.toLowerCase()), displayName: likePattern(term), limit }).then((rows) => rows.map((r) => r.username));

  it("matches a part of the username or the display name in any case, people only", async () => {
    expect(await search("ANN")).toEqual(["ann_1", "annx1"]);
    expect(await search("arl")).toEqual(["carl"]);
    expect(await search("ann", 1)).toEqual(["ann_1"]);
  });

  it("takes % and _ literally", async () => {
    expect(await search("n_")).toEqual(["ann_1"]);
    expect(await search("0%")).toEqual(["bob"]);
    expect(await search("%")).toEqual(["bob"]);
  });

  it("returns the user's public columns", async () => {
    const [row] = await db.sql.read.all(searchPeople, { username: likePattern("bob"), displayName: likePattern("bob"), limit: 5 });
    expect(row).toEqual({ id: expect.any(Number), username: "bob", displayName: "100% Bob", avatarFileId: null, isBot: false });
  });
});
