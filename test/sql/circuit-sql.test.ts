// The circuit breaker's statements, on SQLite and PostgreSQL: a claim takes nothing of a webhook
// whose circuit is open and cooling down, then one trial (half_open) while no lease on the webhook
// is live; the sweep passes such webhooks by; the recorder moves circuits by the attempts of a
// batch; a circuit closed by hand is not overwritten; the gauge's count.
import pino from "pino";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Database } from "../../src/db/client.ts";
import { createRecorder, type AttemptEntry } from "../../src/webhooks/outgoing/outbox/attempt-records.ts";
import { claimDue, findDueWebhooks, release } from "../../src/webhooks/outgoing/outbox/claims.ts";
import { enqueueDeliveries } from "../../src/webhooks/outgoing/outbox/enqueue.ts";
import { countOpenCircuits } from "../../src/webhooks/outgoing/dispatch/dispatch-sql.ts";
import { loadSnapshots } from "../../src/webhooks/outgoing/dispatch/webhook-snapshots.ts";
import { dialects, type DialectDb } from "./dialects.ts";
import { markerData } from "../helpers/webhook-fixtures.ts";

const all = await dialects();
afterAll(async () => {
  for (const d of all) await d.dispose();
});

const ME = "process-a";
const OTHER = "process-b";
const rule = { failures: 3, cooldownMs: 60_000 };

describe.each(all)("circuit statements on $name", (dialect) => {
  let h: DialectDb;
  let db: Database;
  let webhookId: number;
  let roomId: number;

  beforeEach(async () => {
    h = await dialect.open();
    db = h.database;
    const bot = await db.prisma.user.create({ data: { username: "bot.x", displayName: "B", passwordHash: "!", isBot: true } });
    roomId = (await db.prisma.room.create({ data: { name: "r" } })).id;
    webhookId = (
      await db.prisma.webhook.create({
        data: { roomId, name: "w", url: "http://127.0.0.1:1/x", events: '["message.created"]', verificationSignature: "v".repeat(16), secret: "whsec_x", botUserId: bot.id },
      })
    ).id;
  });
  afterEach(() => h.close());

  const webhookRow = { events: '["message.created"]', verificationSignature: "v".repeat(16), triggerWords: "[]", triggerMatch: "first_word" };
  async function enqueue(n: number) {
    await db.sql.transaction(async (q) => {
      for (let i = 0; i < n; i++) await enqueueDeliveries(q, [{ id: webhookId, ...webhookRow }], { event: "message.created", roomId, data: markerData({ i }) });
    });
  }
  const claim = (limit: number, owner = ME, now = new Date()) =>
    claimDue(db.sql, { wants: new Map([[webhookId, limit]]), now, leaseUntil: new Date(now.getTime() + 30_000), owner, held: () => [] });
  const setCircuit = (state: string, openUntil: Date | null, failures = 3) =>
    db.prisma.webhook.update({ where: { id: webhookId }, data: { circuitState: state, circuitOpenUntil: openUntil, circuitFailures: failures } });
  const circuitOf = async () => {
    const w = await db.prisma.webhook.findUniqueOrThrow({ where: { id: webhookId } });
    return { state: w.circuitState, failures: w.circuitFailures, openUntil: w.circuitOpenUntil?.getTime() ?? null };
  };
  const deliveries = () => db.prisma.webhookDelivery.findMany({ orderBy: { id: "asc" } });

  it("claims nothing of an open circuit before its cool-down ends, and the sweep passes it by", async () => {
    await enqueue(3);
    await setCircuit("open", new Date(Date.now() + 60_000));
    const { rows, gates } = await claim(10);
    expect(rows).toEqual([]);
    expect(gates.get(webhookId)).toBe("wait");
    expect(await findDueWebhooks(db.sql, new Date())).toEqual([]);
    // No attempt was used, no lease taken.
    expect((await deliveries()).every((d) => d.attempts === 0 && d.leaseUntil === null && d.status === "pending")).toBe(true);
  });

  it("past the cool-down, claims one trial (the first due delivery) and reads half_open until it is recorded", async () => {
    await enqueue(3);
    await setCircuit("open", new Date(Date.now() - 1));
    expect(await findDueWebhooks(db.sql, new Date())).toEqual([webhookId]);
    const { rows, gates } = await claim(10);
    expect(gates.get(webhookId)).toBe("trial");
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: (await deliveries())[0]!.id, trial: true });
    expect(await circuitOf()).toEqual({ state: "half_open", failures: 3, openUntil: null });
    // While the trial is in flight nobody (this process included) claims more, and the sweep waits.
    expect((await claim(10)).rows).toEqual([]);
    expect((await claim(10, OTHER)).rows).toEqual([]);
    expect(await findDueWebhooks(db.sql, new Date())).toEqual([]);
  });

  it("a trial lost (its lease given back or lapsed) is made again; a live lease of anyone holds a trial back", async () => {
    await enqueue(2);
    await setCircuit("open", new Date(Date.now() - 1));
    const [trial] = (await claim(10)).rows;
    await release(db.sql, [trial!.id], ME);
    expect(await findDueWebhooks(db.sql, new Date())).toEqual([webhookId]);
    const again = (await claim(10, OTHER)).rows;
    expect(again.map((d) => [d.id, d.trial])).toEqual([[trial!.id, true]]);
    // Open past its cool-down again, while the other process's trial lease is live: no second trial
    // beside it (its other delivery stays), until that lease lapses.
    await setCircuit("open", new Date(Date.now() - 1));
    expect((await claim(10)).rows).toEqual([]);
    const lapsed = new Date(Date.now() + 60_000);
    expect((await claim(10, ME, lapsed)).rows.map((d) => d.id)).toEqual([trial!.id]);
  });

  it("moves circuits by a batch's attempts: failures in a row open it, the trial's success closes it", async () => {
    await enqueue(4);
    const rows = (await claim(4)).rows;
    const recorder = createRecorder(db.sql, pino({ level: "silent" }), rule);
    const entry = (id: number, ok: boolean, at: number): AttemptEntry => ({
      deliveryId: id,
      webhookId,
      resetsDeadStreak: false,
      movesCircuit: true,
      attempt: { number: 1, startedAt: new Date(at), durationMs: 5, requestHeaders: "{}", requestBody: null, responseStatus: ok ? 200 : 500, responseHeaders: "{}", responseBody: "", error: null },
      next: ok
        ? { status: "succeeded", nextAttemptAt: null, completedAt: new Date(at) }
        : { status: "failed", nextAttemptAt: new Date(at + 1000), completedAt: null },
    });
    const t0 = Date.now();
    const [a, b] = await Promise.all([recorder.record(entry(rows[0]!.id, false, t0)), recorder.record(entry(rows[1]!.id, false, t0 + 10))]);
    expect(a.circuit).toMatchObject({ state: "closed", failures: 2 });
    expect(b.circuit).toMatchObject({ state: "closed", failures: 2 });
    const c = await recorder.record(entry(rows[2]!.id, false, t0 + 20));
    expect(c.circuit).toEqual({ state: "open", failures: 3, openUntil: new Date(t0 + 25 + rule.cooldownMs) });
    expect(await circuitOf()).toEqual({ state: "open", failures: 3, openUntil: t0 + 25 + rule.cooldownMs });
    expect(await db.sql.read.get(countOpenCircuits, {})).toBe(1);
    expect((await loadSnapshots(db.sql, [webhookId])).get(webhookId)?.circuit).toEqual(c.circuit);
    // Closed by hand meanwhile: a success recorded after that keeps it closed and clean.
    await setCircuit("closed", null, 0);
    const d = await recorder.record(entry(rows[3]!.id, true, t0 + 30));
    expect(d.circuit).toEqual({ state: "closed", failures: 0, openUntil: null });
    expect(await db.sql.read.get(countOpenCircuits, {})).toBe(0);
    await recorder.drain();
  });

  it("counts the live webhooks whose circuit is not closed", async () => {
    await setCircuit("half_open", null);
    expect(await db.sql.read.get(countOpenCircuits, {})).toBe(1);
    await db.prisma.webhook.update({ where: { id: webhookId }, data: { enabled: false } });
    expect(await db.sql.read.get(countOpenCircuits, {})).toBe(0);
  });
});
