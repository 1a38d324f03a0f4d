// The outbox's and the dispatcher's hand-written statements, on SQLite and PostgreSQL: claims in
// order under a lease (and another process's live lease respected), the sweep, leases renewed
// and released, kills, records with their guard, dead streaks, durations, snapshots, disabling.
import pg from "pg";
import { afterAll, beforeEach, afterEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { addDeadStreak, insertAttempts, lastAttemptDurations, setDeadStreak, updateDeliveries } from "../../src/webhooks/outgoing/outbox/attempt-records-sql.ts";
import { claimDue, countOpenDeliveries, findDueWebhooks, kill, release, renew } from "../../src/webhooks/outgoing/outbox/claims.ts";
import { enqueueDeliveries } from "../../src/webhooks/outgoing/outbox/enqueue.ts";
import { disableWebhook } from "../../src/webhooks/outgoing/dispatch/dispatch-sql.ts";
import { loadSnapshots } from "../../src/webhooks/outgoing/dispatch/webhook-snapshots.ts";
import { jsonDate } from "../../src/db/sql.ts";
import { claimForWebhook, claimPlanner } from "../../src/webhooks/outgoing/outbox/outbox-sql.ts";
import { dialects, type DialectDb } from "./dialects.ts";
import { markerData } from "../helpers/webhook-fixtures.ts";

const all = await dialects();
afterAll(async () => {
  for (const d of all) await d.dispose();
});

const ME = "process-a";
const OTHER = "process-b";

describe.each(all)("outbox statements on $name", (dialect) => {
  let h: DialectDb;
  let db: Database;
  let webhookId: number;
  let roomId: number;

  beforeEach(async () => {
    h = await dialect.open();
    db = h.database;
    const user = await db.prisma.user.create({ data: { username: "u", displayName: "U", passwordHash: "!" } });
    const bot = await db.prisma.user.create({ data: { username: "bot.x", displayName: "B", passwordHash: "!", isBot: true } });
    const room = await db.prisma.room.create({ data: { name: "r", members: { create: [{ userId: user.id, isAdmin: true }] } } });
    roomId = room.id;
    webhookId = (await addWebhook()).id;
    async function addWebhook() {
      return db.prisma.webhook.create({
        data: { roomId: room.id, name: "w", url: "http://127.0.0.1:1/x", events: '["message.created"]', verificationSignature: "v".repeat(16), secret: "whsec_x", botUserId: bot.id },
      });
    }
  });
  afterEach(() => h.close());

  async function enqueue(n: number, at = Date.now(), hook = webhookId) {
    await db.sql.transaction(async (q) => {
      for (let i = 0; i < n; i++) {
        await enqueueDeliveries(q, [{ id: hook, events: '["message.created"]', verificationSignature: "v".repeat(16), triggerWords: "[]", triggerMatch: "first_word" }], {
          event: "message.created",
          roomId,
          data: markerData({ i }),
          at,
        });
      }
    });
  }
  const claim = (limit: number, owner = ME, now = new Date(), held: number[] = []) =>
    claimDue(db.sql, { wants: new Map([[webhookId, limit]]), now, leaseUntil: new Date(now.getTime() + 30_000), owner, held: () => held }).then((c) => c.rows);
  const rows = () => db.prisma.webhookDelivery.findMany({ orderBy: { id: "asc" } });

  it("claims a webhook's first due deliveries in order, each once, and returns what an attempt needs", async () => {
    await enqueue(5);
    const first = await claim(3);
    expect(first.map((d) => d.id)).toEqual((await rows()).slice(0, 3).map((r) => r.id));
    expect(first[0]).toMatchObject({ webhookId, event: "message.created", status: "pending", attempts: 0 });
    expect(JSON.parse(first[0]!.payload).data).toEqual({ i: 0 });
    expect(first[0]!.createdAt).toBeInstanceOf(Date);
    // The dispatcher passes what it holds: those are never taken twice.
    const second = await claim(10, ME, new Date(), first.map((d) => d.id));
    expect(second.map((d) => d.id)).toEqual((await rows()).slice(3).map((r) => r.id));
    expect(await claim(10, ME, new Date(), [...first, ...second].map((d) => d.id))).toEqual([]);
    expect((await rows()).every((r) => r.leaseOwner === ME && r.leaseUntil !== null)).toBe(true);
  });

  it("skips deliveries not due yet, and finds webhooks with due work", async () => {
    await enqueue(1, Date.now() + 60_000);
    expect(await claim(10)).toEqual([]);
    expect(await findDueWebhooks(db.sql, new Date())).toEqual([]);
    await enqueue(1);
    expect(await findDueWebhooks(db.sql, new Date())).toEqual([webhookId]);
    expect(await claim(10)).toHaveLength(1);
    // Held now: nobody else's to find.
    expect(await findDueWebhooks(db.sql, new Date())).toEqual([]);
  });

  it("renews and releases only its own leases; a released delivery is claimable again", async () => {
    await enqueue(2);
    const [a, b] = await claim(2);
    const later = new Date(Date.now() + 120_000);
    await renew(db.sql, [a!.id, b!.id], OTHER, later);
    expect((await rows()).some((r) => r.leaseUntil!.getTime() === later.getTime())).toBe(false);
    await renew(db.sql, [a!.id], ME, later);
    expect((await rows())[0]!.leaseUntil!.getTime()).toBe(later.getTime());
    await release(db.sql, [a!.id, b!.id], ME);
    expect((await rows()).every((r) => r.leaseUntil === null && r.leaseOwner === null)).toBe(true);
    expect((await claim(5)).map((d) => d.id)).toEqual([a!.id, b!.id]);
  });

  it("takes a lapsed lease over", async () => {
    await enqueue(1);
    const past = new Date(Date.now() - 60_000);
    await claimDue(db.sql, { wants: new Map([[webhookId, 1]]), now: past, leaseUntil: new Date(past.getTime() + 1000), owner: OTHER, held: () => [] });
    expect(await claim(1)).toHaveLength(1);
  });

  it.runIf(dialect.name === "sqlite")("writes deliveries leased (handed over), and claims its own leased ones it does not hold, never held ones", async () => {
    const lease = { owner: ME, leaseUntil: new Date(Date.now() + 30_000) };
    const handed = await db.sql.transaction(async (q) => {
      const all = [];
      for (let i = 0; i < 3; i++) {
        const { handed } = await enqueueDeliveries(q, [{ id: webhookId, events: '["message.created"]', verificationSignature: "v".repeat(16) }], { event: "message.created", roomId, data: markerData({ i }) }, lease);
        all.push(...handed);
      }
      return all;
    });
    expect(handed.map((d) => d.id)).toEqual((await rows()).map((r) => r.id));
    expect(handed[0]).toMatchObject({ webhookId, event: "message.created", status: "pending", attempts: 0 });
    expect((await rows()).every((r) => r.leaseOwner === ME && r.leaseUntil!.getTime() === lease.leaseUntil.getTime())).toBe(true);
    // Leased to this process: another owner finds nothing, this one takes what it does not hold.
    expect(await findDueWebhooks(db.sql, new Date())).toEqual([]);
    expect((await claim(10, ME, new Date(), [handed[0]!.id])).map((d) => d.id)).toEqual([handed[1]!.id, handed[2]!.id]);
  });

  it.runIf(dialect.name === "postgres")("claims from the open deliveries' indexes, with a plan made when the table was small", async () => {
    // A connection keeps a named statement's generic plan: made while the table was nearly empty
    // (no statistics yet), it then serves a backlog of which half is finished, as a claim is run:
    // inside its transaction, after claimPlanner.
    const client = new pg.Client({ connectionString: (db.shared as { url: string }).url });
    await client.connect();
    try {
      const explain = async (planner: string) => {
        const now = new Date();
        const args = { webhookId, limit: 5, now, leaseUntil: new Date(now.getTime() + 30_000), owner: ME, held: [] };
        // EXPLAIN takes no parameters: the values as literals.
        const values = claimForWebhook.params(args).map((v) => (v instanceof Date ? `'${v.toISOString()}'` : typeof v === "string" ? `'${v}'` : String(v)));
        await client.query("BEGIN");
        await client.query(planner);
        const { rows: plan } = await client.query(`EXPLAIN (FORMAT JSON) EXECUTE claim_probe(${values.join(", ")})`);
        await client.query("ROLLBACK");
        return JSON.stringify(plan);
      };
      await client.query(`SET plan_cache_mode = force_generic_plan`);
      await client.query(`PREPARE claim_probe(timestamp, text, int, timestamp, int, text) AS ${claimForWebhook.postgres}`);
      await explain(claimPlanner.postgres); // the generic plan is made now, on an empty table
      await enqueue(2000);
      await db.prisma.$executeRawUnsafe(`UPDATE "WebhookDelivery" SET "status" = 'succeeded' WHERE "id" IN (SELECT "id" FROM "WebhookDelivery" ORDER BY "id" LIMIT 1000)`);
      expect(await claim(1, OTHER)).toHaveLength(1);
      const plan = await explain(claimPlanner.postgres);
      const indexes = [...plan.matchAll(/"Index Name":"([^"]+)"/g)].map((m) => m[1]);
      // Another process's live lease: from the leased index. The deliveries to take: from the open one, in order.
      expect(indexes).toContain("WebhookDelivery_leased_idx");
      expect(indexes).toContain("WebhookDelivery_open_idx");
      expect(plan).not.toMatch(/"Node Type":"(Seq Scan|Bitmap Heap Scan|Sort|Nested Loop|Hash Join|Merge Join)"/);
    } finally {
      await client.end();
    }
    expect(await claim(5, ME)).toEqual([]);
    const taken = await claim(5, OTHER);
    expect(taken.map((d) => d.id)).toEqual((await rows()).filter((r) => r.status === "pending").slice(1, 6).map((r) => r.id));
  });

  it.runIf(dialect.name === "postgres")("takes nothing while another process holds a live lease on the webhook", async () => {
    await enqueue(3);
    expect(await claim(1, OTHER)).toHaveLength(1);
    expect(await claim(5, ME)).toEqual([]);
    expect(await claim(5, OTHER)).toHaveLength(2);
  });

  it("records attempts and new states in one batch; a killed delivery stays dead", async () => {
    await enqueue(3);
    const [a, b, c] = await claim(3);
    await kill(db.sql, { ids: [c!.id] });
    const at = (d: Date) => jsonDate(db.sql.dialect, d);
    const started = new Date(Date.now() - 1000);
    await db.sql.transaction(async (q) => {
      await q.run(insertAttempts, [a!, b!, c!].map((d, i) => ({
        deliveryId: d.id, number: 1, startedAt: at(started), durationMs: 10 + i, requestHeaders: "{}", requestBody: i === 1 ? "payload=x" : null,
        responseStatus: 200, responseHeaders: "{}", responseBody: "ok", error: null,
      })));
      await q.run(updateDeliveries, [
        { id: a!.id, status: "succeeded", attempts: 1, lastStatusCode: 200, nextAttemptAt: null, completedAt: at(new Date()) },
        { id: b!.id, status: "failed", attempts: 1, lastStatusCode: 500, nextAttemptAt: at(new Date(Date.now() + 5000)), completedAt: null },
        { id: c!.id, status: "succeeded", attempts: 1, lastStatusCode: 200, nextAttemptAt: null, completedAt: at(new Date()) },
      ]);
    });
    const [ra, rb, rc] = await rows();
    expect(ra).toMatchObject({ status: "succeeded", attempts: 1, lastStatusCode: 200, leaseUntil: null, leaseOwner: null });
    expect(rb).toMatchObject({ status: "failed", attempts: 1, lastStatusCode: 500, leaseUntil: null });
    expect(rb!.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
    expect(rc).toMatchObject({ status: "dead", attempts: 0 });
    const attempts = await db.prisma.webhookAttempt.findMany({ orderBy: { id: "asc" } });
    expect(attempts.map((x) => [x.deliveryId, x.requestBody, x.startedAt.getTime()])).toEqual([
      [a!.id, null, started.getTime()],
      [b!.id, "payload=x", started.getTime()],
      [c!.id, null, started.getTime()],
    ]);
    const durations = await db.sql.read.all(lastAttemptDurations, { ids: [a!.id, b!.id] });
    expect(durations.sort((x, y) => x.deliveryId - y.deliveryId)).toEqual([
      { deliveryId: a!.id, durationMs: 10 },
      { deliveryId: b!.id, durationMs: 11 },
    ]);
  });

  it("kills a webhook's open deliveries, however many, and counts what is open", async () => {
    await enqueue(1200);
    expect(await countOpenDeliveries(db.sql)).toBe(1200);
    const held = await claim(64);
    const killed = await kill(db.sql, { webhookId });
    expect(killed).toHaveLength(1200);
    expect(killed[0]).toMatchObject({ status: "dead", webhookId });
    expect(await countOpenDeliveries(db.sql)).toBe(0);
    // Renewing or releasing 1,200 ids is one statement too.
    await renew(db.sql, killed.map((k) => k.id), ME, new Date());
    await release(db.sql, held.map((k) => k.id), ME);
  });

  it("counts dead streaks, reads snapshots and disables a webhook once", async () => {
    await db.sql.transaction(async (q) => {
      expect(await q.get(addDeadStreak, { webhookId, value: 2 })).toBe(2);
      expect(await q.get(addDeadStreak, { webhookId, value: 1 })).toBe(3);
      expect(await q.get(setDeadStreak, { webhookId, value: 0 })).toBe(0);
    });
    const snap = (await loadSnapshots(db.sql, [webhookId])).get(webhookId)!;
    expect(snap).toMatchObject({ id: webhookId, roomId, enabled: true, deletedAt: null, replyEnabled: false, deadStreak: 0, previousSecret: null });
    const first = await db.sql.transaction((q) => q.all(disableWebhook, { webhookId, reason: "gone" }));
    const second = await db.sql.transaction((q) => q.all(disableWebhook, { webhookId, reason: "gone" }));
    expect([first, second]).toEqual([[webhookId], []]);
    expect((await loadSnapshots(db.sql, [webhookId])).get(webhookId)).toMatchObject({ enabled: false });
  });
});
