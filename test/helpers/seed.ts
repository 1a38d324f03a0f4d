// Bulk test data written straight into a test server's SQLite database with one statement each
// (10,000 users or rooms take milliseconds, not the minutes the API would), so size tests can then
// use the public routes. Dates are written as Prisma's SQLite adapter writes them.
import type { Db } from "../../src/db/client.ts";

const sqliteNow = () => new Date().toISOString().replace("Z", "+00:00");
const SERIES = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)`;

/** `count` users named `<prefix>_<i>` (no password can log them in); their ids in order. */
export async function seedUsers(db: Db, prefix: string, count: number): Promise<number[]> {
  await db.$executeRawUnsafe(
    `${SERIES} INSERT INTO "User" ("username", "displayName", "passwordHash", "isBot", "createdAt")
     SELECT ? || '_' || i, 'Seeded ' || i, 'no-login', false, ? FROM n`,
    count,
    prefix,
    sqliteNow(),
  );
  const rows = await db.$queryRawUnsafe<{ id: number }[]>(
    `SELECT "id" FROM "User" WHERE "username" LIKE ? ESCAPE '\\' ORDER BY "id"`,
    `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}\\_%`,
  );
  return rows.map((r) => Number(r.id));
}

/** `count` rooms named `<name> <i>`; their ids in order. */
export async function seedRooms(db: Db, name: string, count: number): Promise<number[]> {
  const [{ before }] = await db.$queryRawUnsafe<{ before: number | null }[]>(`SELECT MAX("id") AS "before" FROM "Room"`);
  const now = sqliteNow();
  await db.$executeRawUnsafe(
    `${SERIES} INSERT INTO "Room" ("name", "createdAt", "modifiedAt") SELECT ? || ' ' || i, ?, ? FROM n`,
    count,
    name,
    now,
    now,
  );
  const rows = await db.$queryRawUnsafe<{ id: number }[]>(`SELECT "id" FROM "Room" WHERE "id" > ? ORDER BY "id"`, Number(before ?? 0));
  return rows.map((r) => Number(r.id));
}

/** Every (room, user) pair of the two lists becomes a membership (admins: none unless asked). */
export async function seedMembers(db: Db, roomIds: number[], userIds: number[], isAdmin = false): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO "RoomMember" ("roomId", "userId", "isAdmin", "createdAt")
     SELECT r.value, u.value, ?, ? FROM json_each(?) r, json_each(?) u`,
    isAdmin ? 1 : 0,
    sqliteNow(),
    JSON.stringify(roomIds),
    JSON.stringify(userIds),
  );
}

/** `perRoom` text messages from `fromUserId` in each room; `totalUserCount` as given. */
export async function seedMessages(db: Db, roomIds: number[], fromUserId: number, perRoom: number, totalUserCount: number): Promise<void> {
  const now = sqliteNow();
  await db.$executeRawUnsafe(
    `${SERIES} INSERT INTO "Message" ("roomId", "fromUserId", "type", "body", "totalUserCount", "source", "createdAt", "modifiedAt")
     SELECT r.value, ?, 'text', json_object('text', 'seeded ' || n.i), ?, 'user', ?, ? FROM json_each(?) r, n ORDER BY r.key, n.i`,
    perRoom,
    fromUserId,
    totalUserCount,
    now,
    now,
    JSON.stringify(roomIds),
  );
}
