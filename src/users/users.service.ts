// Users as other users see them: one by id, and the search that fills the member picker.
import type { Db } from "../db/client.ts";
import type { SqlDb } from "../db/sql.ts";
import { notFound } from "../http/errors.ts";
import { presentUser, userSelect } from "./users.presenter.ts";
import { likePattern, searchPeople } from "./users-sql.ts";

export interface UserDeps {
  db: Db;
  sql: SqlDb;
}

const MAX_RESULTS = 20;

/** Any user's public profile (bots included: they sign messages). */
export async function getUser(deps: UserDeps, userId: number) {
  const user = await deps.db.user.findUnique({ where: { id: userId }, select: userSelect });
  if (!user) throw notFound("User");
  return { user: presentUser(user) };
}

/** Up to 20 people, by username, whose username or display name holds `term` literally (any case); all people when it is empty. */
export async function searchUsers(deps: UserDeps, term: string | undefined) {
  if (!term) {
    const people = await deps.db.user.findMany({ where: { isBot: false }, select: userSelect, orderBy: { username: "asc" }, take: MAX_RESULTS });
    return { users: people.map(presentUser) };
  }
  const found = await deps.sql.read.all(searchPeople, { username: likePattern(term.toLowerCase()), displayName: likePattern(term), limit: MAX_RESULTS });
  // Shown in code-unit order, the same on both databases whatever their collation.
  found.sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
  return { users: found.map(presentUser) };
}
