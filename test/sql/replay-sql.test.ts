// Replay's statements, on SQLite and PostgreSQL: one redelivery per event whose newest delivery
// since a time has a listed status, in event order, capped, never for a disabled webhook, and
// never doubled by a second replay; a set-based statement whatever the number of deliveries.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { countReplayable, replayDeliveries } from "../../src/webhooks/outgoing/outbox/replay-sql.ts";
import { dialects, type DialectDb } from "./dialects.ts";

const all = await dialects();
afterAll(async () => {
  for (const d of all) await d.dispose();
});

describe.each(all)("replay statements on $name", (dialect) => {
  let h: DialectDb;
  let db: Database;
  let webhookId: number;
  let otherWebhookId: number;

  beforeEach(async () => {
    h = await dialect.open();
    db = h.database;
    const bot = await db.prisma.user.create({ data: { username: "bot.x", displayName: "B", passwordHash: "!", isBot: true } });
    const roomId = (await db.prisma.room.create({ data: { name: "r" } })).id;
    const data = { roomId, name: "w", url: "http://127.0.0.1:1/x", events: '["message.created"]', verificationSignature: "v".repeat(16), secret: "whsec_x", botUserId: bot.id };
    webhookId = (await db.prisma.webhook.create({ data })).id;
    otherWebhookId = (await db.prisma.webhook.create({ data })).id;
  });
  afterEach(() => h.close());

  const T = Date.UTC(2026, 0, 1);
  const seed = (eventId: string, status: string, at: number, hook = webhookId) =>
    db.prisma.webhookDelivery.create({
      data: { webhookId: hook, eventId, event: "message.created", payload: `{"e":"${eventId}"}`, status, attempts: 1, createdAt: new Date(at), nextAttemptAt: new Date(at), messageId: 7 },
    });
  const args = (over: Partial<{ since: number; statuses: string[]; limit: number }> = {}) => ({
    webhookId,
    since: new Date(over.since ?? T),
    statuses: over.statuses ?? ["dead"],
    limit: over.limit ?? 10_000,
  });
  const replay = (over: Parameters<typeof args>[0] = {}, now = new Date(T + 100_000)) =>
    db.sql.transaction((q) => q.run(replayDeliveries, { ...args(over), now }));
  const queued = (after: number) =>
    db.prisma.webhookDelivery.findMany({ where: { webhookId, id: { gt: after } }, orderBy: { id: "asc" } });

  it("queues one redelivery per event whose newest delivery since the time is listed, in event order", async () => {
    await seed("e_before", "dead", T - 1);
    const c1 = await seed("e_c", "dead", T + 1); // its event happened first
    const a = await seed("e_a", "dead", T + 2);
    await seed("e_ok", "succeeded", T + 3);
    await seed("e_failed", "failed", T + 4);
    await seed("e_c", "dead", T + 5); // a redelivery of e_c that died too: the newest counts, once
    const b1 = await seed("e_b", "dead", T + 6);
    await seed("e_b", "succeeded", T + 7); // e_b got through on redelivery: not replayed
    await seed("e_other", "dead", T + 8, otherWebhookId);
    const last = (await db.prisma.webhookDelivery.aggregate({ _max: { id: true } }))._max.id!;

    expect(await db.sql.read.get(countReplayable, args())).toBe(2);
    const now = new Date(T + 100_000);
    expect(await replay({}, now)).toBe(2);
    const rows = await queued(last);
    expect(rows.map((r) => r.eventId)).toEqual(["e_c", "e_a"]);
    expect(rows[0]).toMatchObject({ status: "pending", attempts: 0, event: "message.created", payload: '{"e":"e_c"}', messageId: 7, leaseUntil: null, completedAt: null });
    expect(rows.every((r) => r.createdAt.getTime() === now.getTime() && r.nextAttemptAt.getTime() === now.getTime())).toBe(true);
    expect(c1.id).toBeLessThan(a.id);
    expect(b1.id).toBeGreaterThan(a.id);

    // Replaying again doubles nothing: each event's newest delivery is now the pending one.
    expect(await db.sql.read.get(countReplayable, args())).toBe(0);
    expect(await replay()).toBe(0);
    // Other statuses, when asked for (e_b's newest delivery succeeded).
    expect(await replay({ statuses: ["failed", "succeeded"] })).toBe(3);
    expect((await queued(rows.at(-1)!.id)).map((r) => r.eventId)).toEqual(["e_ok", "e_failed", "e_b"]);
  });

  it("takes `since` inclusively, at most `limit` in event order, and nothing for a disabled or deleted webhook", async () => {
    for (let i = 0; i < 5; i++) await seed(`e${i}`, "dead", T + i);
    expect(await db.sql.read.get(countReplayable, args({ since: T + 2 }))).toBe(3);
    expect(await db.sql.read.get(countReplayable, args({ limit: 2 }))).toBe(2);
    await db.prisma.webhook.update({ where: { id: webhookId }, data: { enabled: false } });
    expect(await replay()).toBe(0);
    await db.prisma.webhook.update({ where: { id: webhookId }, data: { enabled: true, deletedAt: new Date() } });
    expect(await replay()).toBe(0);
    await db.prisma.webhook.update({ where: { id: webhookId }, data: { deletedAt: null } });
    const last = (await db.prisma.webhookDelivery.aggregate({ _max: { id: true } }))._max.id!;
    expect(await replay({ limit: 2 })).toBe(2);
    expect((await queued(last)).map((r) => r.eventId)).toEqual(["e0", "e1"]);
    // The next replay goes on where the cap stopped.
    expect(await replay({ limit: 2 })).toBe(2);
    expect((await queued(last)).map((r) => r.eventId)).toEqual(["e0", "e1", "e2", "e3"]);
  });

  it("replays 10,000 of 12,000 dead deliveries in one statement", async () => {
    const n = 12_000;
    // Seeded set-based as well (a recursive series), so the test itself binds no list either.
    const series = `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ${n})`;
    const at = dialect.name === "sqlite" ? `'2026-01-01T00:00:01.000+00:00'` : `TIMESTAMP '2026-01-01 00:00:01'`;
    await db.prisma.$executeRawUnsafe(`${series}
      INSERT INTO "WebhookDelivery" ("webhookId", "eventId", "event", "payload", "status", "attempts", "nextAttemptAt", "createdAt")
      SELECT ${webhookId}, 'ev' || i, 'message.created', '{}', 'dead', 8, ${at}, ${at} FROM s`);
    expect(await db.sql.read.get(countReplayable, args())).toBe(10_000);
    expect(await replay()).toBe(10_000);
    expect(await db.prisma.webhookDelivery.count({ where: { webhookId, status: "pending" } })).toBe(10_000);
    expect(await db.sql.read.get(countReplayable, args())).toBe(2_000);
  });
});
