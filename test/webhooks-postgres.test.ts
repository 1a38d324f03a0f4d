// The dispatcher on PostgreSQL, with two server instances sharing one database: their claims
// never send two deliveries of one webhook at once, nor out of order, nor twice.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText } from "./helpers/factories.ts";
import { client } from "./helpers/api.ts";
import { clonePostgresDb, createPostgresTemplate, servicesAvailable } from "./helpers/services.ts";
import { createWebhook, getDelivery, getWebhook, waitForFinalDeliveries, waitUntil } from "./helpers/webhooks.ts";

const available = await servicesAvailable("postgres");
const cleanups: (() => Promise<void>)[] = [];
let template: Awaited<ReturnType<typeof createPostgresTemplate>> | undefined;
let a: TestServer, b: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  if (!available) return;
  template = await createPostgresTemplate();
  const db = await clonePostgresDb(template.name);
  cleanups.push(db.drop);
  const env = {
    DATABASE_URL: db.url,
    JWT_SECRET: "a-shared-secret-for-both-instances",
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    WEBHOOK_RETRY_DELAYS_MS: "50",
    WEBHOOK_POLL_MS: "50",
  };
  a = await startTestServer(env);
  b = await startTestServer(env);
  receiver = await startReceiver();
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  await receiver?.close();
  for (const c of cleanups) await c();
  await template?.drop();
});

type Sent = { data: { message: { id: number; body: { text: string } } } };
const textOf = (body: string) => (JSON.parse(body) as Sent).data.message.body.text;

describe.runIf(available)("on PostgreSQL with two dispatchers", () => {
  it("delivers 60 messages of one room one at a time, in order, once each", async () => {
    let inFlight = 0;
    let maxInFlight = 0;
    const original = receiver.respond;
    receiver.respond = () => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      // Counted out when the answer goes (this timer is set first, so it fires just before the
      // receiver's own 2 ms one): a later decrement would count the next request, sent at once
      // after the answer, as a second one in flight.
      setTimeout(() => inFlight--, 2);
      return { status: 200, delayMs: 2 };
    };
    try {
      const admin = await buildUser(a.url);
      const room = await buildRoom(admin);
      await createWebhook(admin, room.id, { url: `${receiver.url}/ordered` });
      const viaB = client(b.url, admin.token);
      const sent: string[] = [];
      const ids: number[] = [];
      for (let i = 0; i < 60; i++) {
        // Alternate instances: both dispatchers are woken and race for the same webhook.
        const res = i % 2 ? await viaB.post(`/api/rooms/${room.id}/messages`, { body: { text: `pg${i}` } }) : { body: { message: await sendText(admin, room.id, `pg${i}`) } };
        sent.push(res.body.message.body.text);
        ids.push(res.body.message.id);
      }
      await waitUntil(async () => receiver.requests.filter((r) => r.url === "/ordered").length >= 60, "60 requests");
      const got = receiver.requests.filter((r) => r.url === "/ordered");
      expect(got.map((r) => textOf(r.body))).toEqual(sent);
      // Each payload carries its message's id (written in the statement that gave the id).
      expect(got.map((r) => (JSON.parse(r.body) as Sent).data.message.id)).toEqual(ids);
      expect(maxInFlight).toBe(1);
    } finally {
      receiver.respond = original;
    }
  });

  it("retries, records attempts and kills after maxAttempts, with the dead streak counted", async () => {
    const admin = await buildUser(a.url);
    const room = await buildRoom(admin);
    const retried = await createWebhook(admin, room.id, { url: `${receiver.url}/retried` });
    const dead = await createWebhook(admin, room.id, { url: `${receiver.url}/dead`, maxAttempts: 2 });
    let retriedCalls = 0;
    receiver.respond = (req) => {
      if (req.url === "/retried") return retriedCalls++ < 2 ? { status: 500, body: "nope\u0000" } : { status: 200 };
      return { status: 500 };
    };
    await sendText(admin, room.id, "pg retry");
    const [ok] = await waitForFinalDeliveries(admin, retried, 1);
    expect(ok).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200 });
    const { attempts } = await getDelivery(admin, retried, ok!.id);
    expect(attempts.map((x) => x.responseStatus)).toEqual([500, 500, 200]);
    expect(attempts[0]!.responseBody).toBe("nope\uFFFD");
    expect(attempts[1]!.startedAt).toBeGreaterThan(attempts[0]!.startedAt);
    expect(ok!.completedAt! - ok!.createdAt).toBeGreaterThanOrEqual(0);
    const [gone] = await waitForFinalDeliveries(admin, dead, 1);
    expect(gone).toMatchObject({ status: "dead", attempts: 2 });
    expect((await getWebhook(admin, dead)).enabled).toBe(true);
    const row = await a.app.ctx.db.webhook.findUniqueOrThrow({ where: { id: dead.id } });
    expect(row.deadStreak).toBe(1);
    expect((await a.app.ctx.db.webhook.findUniqueOrThrow({ where: { id: retried.id } })).deadStreak).toBe(0);
  });
});
