// Retention (RETENTION_DAYS, default 30): finished deliveries with their attempts, inspector
// requests and incoming-hook request logs older than the cutoff go, in batches; newer rows, open
// deliveries, users and every message stay. The same on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { clonePostgresDb, createPostgresTemplate, servicesAvailable } from "./helpers/services.ts";
import { createRetentionWorker } from "../src/retention/retention-worker.ts";
import type { Db } from "../src/db/client.ts";

const DAY = 24 * 60 * 60 * 1000;
const OLD_DELIVERIES = 2_500;
const ago = (days: number) => new Date(Date.now() - days * DAY);

/** Rows in statements of 100 (Prisma binds at most 999 values per SQLite statement). */
async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += 100) await insert(rows.slice(i, i + 100));
}

async function createWebhook(admin: TestUser, roomId: number): Promise<{ id: number }> {
  const res = await admin.api.post(`/api/rooms/${roomId}/webhooks`, { url: "http://127.0.0.1:9/never-called" });
  expect(res.status, res.text).toBe(201);
  return res.body.webhook;
}

function retentionSuite(provider: string, start: () => Promise<TestServer | undefined>) {
  let server: TestServer;
  let db: Db;
  let admin: TestUser;

  beforeAll(async () => {
    server = (await start())!;
    db = server.app.ctx.db;
    admin = await buildUser(server.url);
  }, 120_000);
  afterAll(() => server?.close());

  it(`runs as a worker of the app (${provider})`, async () => {
    const ready = await request(server.url, "GET", "/readyz");
    expect(ready.body.checks.retention).toBe(true);
  });

  it(`deletes what expired, in batches, and keeps the rest (${provider})`, async () => {
    // Through the API first; then rows written directly, with their times set in the past.
    const quiet = await buildRoom(admin, [], "deliveries");
    const webhook = await createWebhook(admin, quiet.id);

    // Messages, some of them very old: never deleted.
    const chat = await buildRoom(admin, [], "chat");
    for (let i = 0; i < 3; i++) await sendText(admin, chat.id, `kept ${i}`);
    await db.message.updateMany({ where: { roomId: chat.id }, data: { createdAt: ago(400) } });

    // Inspector requests: two old, one recent.
    const bin = (await admin.api.post("/api/inspector/bins")).body.bin;
    for (const body of ["old 1", "old 2", "recent"]) await request(server.url, "POST", `/inspect/${bin.id}`, { raw: body });
    const captured = await db.inspectorRequest.findMany({ where: { binId: bin.id }, orderBy: { id: "asc" } });
    await db.inspectorRequest.updateMany({ where: { id: { in: captured.slice(0, 2).map((r) => r.id) } }, data: { at: ago(31) } });

    // Incoming-hook request logs: two old, one recent; the hook's last request (its sample) is recent.
    const ciRoom = await buildRoom(admin, [], "ci");
    const hook = (await admin.api.post(`/api/rooms/${ciRoom.id}/incoming-webhooks`, { name: "ci" })).body.incomingWebhook;
    for (const text of ["old 1", "old 2", "recent"]) {
      const res = await request(server.url, "POST", `/api/hooks/${hook.id}`, { body: { text }, headers: { "x-api-key": hook.apiKey } });
      expect(res.status).toBe(201);
    }
    const logged = await db.incomingWebhookRequest.findMany({ where: { hookId: hook.id }, orderBy: { id: "asc" } });
    await db.incomingWebhookRequest.updateMany({ where: { id: { in: logged.slice(0, 2).map((r) => r.id) } }, data: { at: ago(31) } });

    // Deliveries: 2,500 finished long ago with 2 attempts each; 10 finished yesterday; 10 open
    // for 40 days (pending, or failed with a retry far ahead, so the dispatcher leaves them be).
    const delivery = (i: number, status: string, completedAt: Date | null, createdAt: Date) => ({
      webhookId: webhook.id,
      eventId: `evt_${provider}_${i}`,
      event: "message.created",
      payload: "{}",
      status,
      attempts: 2,
      nextAttemptAt: new Date(Date.now() + 365 * DAY),
      createdAt,
      completedAt,
    });
    const rows = [
      ...Array.from({ length: OLD_DELIVERIES }, (_, i) => delivery(i, i % 2 ? "succeeded" : "dead", ago(31), ago(32))),
      ...Array.from({ length: 10 }, (_, i) => delivery(10_000 + i, "succeeded", ago(1), ago(40))),
      ...Array.from({ length: 10 }, (_, i) => delivery(20_000 + i, i % 2 ? "failed" : "pending", null, ago(40))),
    ];
    await insertInChunks(rows, (chunk) => db.webhookDelivery.createMany({ data: chunk }));
    const ids = await db.webhookDelivery.findMany({ where: { webhookId: webhook.id }, select: { id: true }, orderBy: { id: "asc" } });
    const attempts = ids.flatMap((d) =>
      [1, 2].map((number) => ({ deliveryId: d.id, number, startedAt: ago(32), durationMs: 5, requestHeaders: "{}", requestBody: "{}", responseStatus: 200 })),
    );
    await insertInChunks(attempts, (chunk) => db.webhookAttempt.createMany({ data: chunk }));

    const messagesBefore = await db.message.count();
    const worker = createRetentionWorker(server.app.ctx, { pauseMs: 0 });
    const report = await worker.runOnce();

    // Walked by id, 200 a batch: the 2,520 rows of this webhook (and the few before them) take 13.
    expect(report["webhook deliveries"]).toEqual({ deleted: OLD_DELIVERIES, batches: 13 });
    const left = await db.webhookDelivery.findMany({ where: { webhookId: webhook.id }, select: { id: true, status: true, completedAt: true } });
    expect(left).toHaveLength(20);
    expect(left.filter((d) => d.completedAt === null).map((d) => d.status).sort()).toEqual([...Array(5).fill("failed"), ...Array(5).fill("pending")]);
    // Their attempts went with them: only those of the 20 kept deliveries remain.
    expect(await db.webhookAttempt.count({ where: { delivery: { webhookId: webhook.id } } })).toBe(40);
    expect(await db.webhookAttempt.count()).toBe(40);

    expect(await db.message.count()).toBe(messagesBefore);
    expect(await db.message.count({ where: { roomId: chat.id } })).toBe(3);

    expect(report["inspector requests"]!.deleted).toBe(2);
    const kept = await db.inspectorRequest.findMany({ where: { binId: bin.id }, select: { id: true } });
    expect(kept.map((r) => r.id)).toEqual([captured[2]!.id]);

    expect(report["incoming-hook request logs"]!.deleted).toBe(2);
    expect((await db.incomingWebhookRequest.findMany({ where: { hookId: hook.id }, select: { id: true } })).map((r) => r.id)).toEqual([logged[2]!.id]);
    expect(await db.incomingWebhookSample.count({ where: { hookId: hook.id } })).toBe(1);
    expect(await db.user.count({ where: { id: admin.id } })).toBe(1);

    // Nothing more is due: a second pass deletes nothing.
    const again = await worker.runOnce();
    expect(Object.values(again).map((r) => r.deleted)).toEqual([0, 0, 0, 0]);
  }, 120_000);

}

describe("retention on SQLite", () => {
  retentionSuite("sqlite", () => startTestServer());
});

const postgres = await servicesAvailable("postgres");
describe.runIf(postgres)("retention on PostgreSQL", () => {
  let template: Awaited<ReturnType<typeof createPostgresTemplate>> | undefined;
  let drop: (() => Promise<void>) | undefined;
  afterAll(async () => {
    await drop?.();
    await template?.drop();
  });
  retentionSuite("postgres", async () => {
    template = await createPostgresTemplate();
    const clone = await clonePostgresDb(template.name);
    drop = clone.drop;
    return startTestServer({ DATABASE_URL: clone.url, JWT_SECRET: "a-test-secret-for-postgres" });
  });
});
