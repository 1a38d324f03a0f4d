// The circuit breaker on PostgreSQL with two server instances sharing one database: the circuit
// lives in the webhook's row, so both dispatchers see it open, neither claims while it cools down,
// only one of them makes each trial, and a circuit closed by hand through one lets the other send.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { client } from "./helpers/api.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { startGatedReceiver, messageText, type GatedReceiver } from "./helpers/gated-receiver.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { clonePostgresDb, createPostgresTemplate, servicesAvailable } from "./helpers/services.ts";
import { createWebhook, getWebhook, listDeliveries, waitUntil, type WebhookDto } from "./helpers/webhooks.ts";

const available = await servicesAvailable("postgres");
const cleanups: (() => Promise<void>)[] = [];
let template: Awaited<ReturnType<typeof createPostgresTemplate>> | undefined;

beforeAll(async () => {
  if (available) template = await createPostgresTemplate();
}, 120_000);
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
  await template?.drop();
});

/** Two instances on one fresh database. */
async function pair(env: Record<string, string>): Promise<[TestServer, TestServer]> {
  const db = await clonePostgresDb(template!.name);
  cleanups.push(db.drop);
  const shared = {
    DATABASE_URL: db.url,
    JWT_SECRET: "a-shared-secret-for-both-instances",
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    WEBHOOK_RETRY_DELAYS_MS: "50",
    WEBHOOK_POLL_MS: "50",
    ...env,
  };
  const a = await startTestServer(shared);
  const b = await startTestServer(shared);
  cleanups.push(() => a.close(), () => b.close());
  return [a, b];
}

async function receiver(mode: "fail" | "ok"): Promise<GatedReceiver> {
  const r = await startGatedReceiver(mode);
  cleanups.push(() => r.close());
  return r;
}

/** Posts alternately through both instances, so both dispatchers are woken for the webhook. */
async function postAlternately(admin: TestUser, b: TestServer, roomId: number, texts: string[]) {
  const viaB = client(b.url, admin.token);
  for (const [i, text] of texts.entries()) {
    if (i % 2 === 0) await sendText(admin, roomId, text);
    else expect((await viaB.post(`/api/rooms/${roomId}/messages`, { body: { text } })).status).toBe(201);
  }
}

const circuitState = async (admin: TestUser, w: WebhookDto) => ((await getWebhook(admin, w)).circuit as { state: string }).state;

describe.runIf(available)("the circuit breaker on PostgreSQL with two dispatchers", () => {
  it("opens for both, costs one trial per cool-down between them, and lets the rest follow in order once", async () => {
    const COOLDOWN = 300;
    const FAILURES = 3;
    const [a, b] = await pair({ WEBHOOK_CIRCUIT_FAILURES: String(FAILURES), WEBHOOK_CIRCUIT_COOLDOWN_MS: String(COOLDOWN) });
    const r = await receiver("fail");
    const admin = await buildUser(a.url);
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${r.url}/pg`, maxAttempts: 20 });
    const texts = Array.from({ length: 20 }, (_, i) => `p${i}`);
    const start = Date.now();
    await postAlternately(admin, b, room.id, texts);
    await waitUntil(async () => r.requests.length >= FAILURES + 5, "five trials", 30_000);
    const down = Date.now() - start;
    const refused = r.requests.length;
    // Two processes each making their own trial would send twice as many.
    expect(refused).toBeLessThanOrEqual(FAILURES + Math.ceil(down / COOLDOWN) + 1);
    expect(r.maxInFlight).toBe(1);
    // Every request is an attempt on the log (trials go on meanwhile: compared once both agree).
    const log = await waitUntil(async () => {
      const list = await listDeliveries(admin, w, "?limit=100");
      return list.reduce((n, d) => n + d.attempts, 0) === r.requests.length ? list : undefined;
    }, "the log to hold every request");
    expect(log.every((d) => d.status !== "dead")).toBe(true);

    r.mode = "ok";
    await waitUntil(async () => (await listDeliveries(admin, w, "?limit=100")).every((d) => d.status === "succeeded"), "all delivered", 30_000);
    expect(r.requests.filter((x) => x.status === 200).map((x) => messageText(x.body))).toEqual(texts);
    expect(r.maxInFlight).toBe(1);
    expect(await circuitState(admin, w)).toBe("closed");
  });

  it("claims nothing while it is open; closed by hand through one instance, sending resumes at once", async () => {
    const [a, b] = await pair({ WEBHOOK_CIRCUIT_FAILURES: "2", WEBHOOK_CIRCUIT_COOLDOWN_MS: "600000" });
    const r = await receiver("fail");
    const admin = await buildUser(a.url);
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${r.url}/held`, maxAttempts: 20 });
    await postAlternately(admin, b, room.id, ["h0", "h1", "h2", "h3"]);
    await waitUntil(async () => (await circuitState(admin, w)) === "open", "the circuit open");
    // Both dispatchers sweep every 50 ms: give them many chances to send anyway.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(r.requests).toHaveLength(2);
    const held = await a.app.ctx.db.webhookDelivery.findMany({ where: { webhookId: w.id } });
    expect(held.every((d) => d.leaseUntil === null || d.leaseUntil.getTime() < Date.now())).toBe(true);

    r.mode = "ok";
    const closed = await client(b.url, admin.token).post(`/api/rooms/${room.id}/webhooks/${w.id}/circuit/close`);
    expect(closed.status).toBe(200);
    await waitUntil(async () => (await listDeliveries(admin, w)).every((d) => d.status === "succeeded"), "all delivered");
    expect(r.requests.filter((x) => x.status === 200).map((x) => messageText(x.body))).toEqual(["h0", "h1", "h2", "h3"]);
  });
});
