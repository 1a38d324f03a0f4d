// User search by a part of the username or display name, one definition per dialect: SQLite's LIKE
// ignores ASCII case already, PostgreSQL needs ILIKE. The patterns come from likePattern, with `\`
// as the escape character (SQLite's LIKE has none unless the statement names one).
import { asInt, asIntOrNull, statement } from "../db/sql.ts";

/** `%term%`, with `%`, `_` and `\` in the term matched literally. */
export const likePattern = (term: string) => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export interface FoundUser {
  id: number;
  username: string;
  displayName: string;
  avatarFileId: number | null;
  isBot: boolean;
}

/** People (no bots) whose username matches `username` or whose display name matches `displayName`, first by username. */
export const searchPeople = statement<{ username: string; displayName: string; limit: number }, FoundUser>({
  name: "users_search",
  sqlite: `SELECT "id", "username", "displayName", "avatarFileId" FROM "User"
    WHERE NOT "isBot" AND ("username" LIKE ?1 ESCAPE '\\' OR "displayName" LIKE ?2 ESCAPE '\\')
    ORDER BY "username" LIMIT ?3`,
  postgres: `SELECT "id", "username", "displayName", "avatarFileId" FROM "User"
    WHERE NOT "isBot" AND ("username" ILIKE $1 ESCAPE '\\' OR "displayName" ILIKE $2 ESCAPE '\\')
    ORDER BY "username" LIMIT $3`,
  params: (p) => [p.username, p.displayName, p.limit],
  row: (r) => ({
    id: asInt(r.id),
    username: String(r.username),
    displayName: String(r.displayName),
    avatarFileId: asIntOrNull(r.avatarFileId),
    isBot: false,
  }),
});
