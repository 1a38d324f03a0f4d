// User search by a part of the username or display name. The term is matched literally: `%`, `_`
// and `\` are escaped (Prisma's `contains` leaves them as LIKE wildcards, and SQLite's LIKE has no
// escape character unless the statement names one).
import { Prisma, type Db } from "../db/client.ts";
import { userSelect } from "./users.presenter.ts";

const MAX_RESULTS = 20;

export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchUsers(db: Db, term: string | undefined, postgres: boolean) {
  if (!term) {
    return db.user.findMany({ where: { isBot: false }, select: userSelect, orderBy: { username: "asc" }, take: MAX_RESULTS });
  }
  // SQLite's LIKE ignores ASCII case already; PostgreSQL needs ILIKE. Usernames are lower case.
  const like = Prisma.raw(postgres ? "ILIKE" : "LIKE");
  const pattern = likePattern(term);
  const rows = await db.$queryRaw<{ id: number }[]>`
    SELECT "id" FROM "User"
    WHERE NOT "isBot" AND ("username" ${like} ${likePattern(term.toLowerCase())} ESCAPE '\\' OR "displayName" ${like} ${pattern} ESCAPE '\\')
    ORDER BY "username" LIMIT ${MAX_RESULTS}`;
  if (rows.length === 0) return [];
  const users = await db.user.findMany({ where: { id: { in: rows.map((r) => Number(r.id)) } }, select: userSelect });
  return users.sort((a, b) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0));
}
