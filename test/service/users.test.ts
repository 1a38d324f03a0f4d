// Users through the service, on SQLite: one profile by id, and the search (its statement runs on
// both databases in test/sql/users-sql.test.ts).
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getUser, searchUsers } from "../../src/users/users.service.ts";
import { sqlite } from "../sql/dialects.ts";
import { openHarness, type Harness } from "./harness.ts";

describe("users service", () => {
  let h: Harness;
  beforeEach(async () => {
    h = await openHarness(sqlite);
  });
  afterEach(() => h.close());

  it("shows any user's public profile, bots flagged, and 404 for an unknown id", async () => {
    const bot = await h.user("bot.x", { isBot: true, displayName: "Build bot" });
    expect(await getUser(h.deps, bot)).toEqual({ user: { id: bot, username: "bot.x", displayName: "Build bot", avatarFileId: null, isBot: true } });
    await expect(getUser(h.deps, 99_999)).rejects.toMatchObject({ status: 404 });
  });

  it("searches people only, by username order; no term lists people", async () => {
    for (const name of ["zed", "amy", "bob"]) await h.user(name, { displayName: name === "zed" ? "Amy's friend" : name });
    await h.user("bot.amy", { isBot: true, displayName: "amy bot" });
    expect((await searchUsers(h.deps, "amy")).users.map((u) => u.username)).toEqual(["amy", "zed"]);
    expect((await searchUsers(h.deps, undefined)).users.map((u) => u.username)).toEqual(["amy", "bob", "zed"]);
  });
});
