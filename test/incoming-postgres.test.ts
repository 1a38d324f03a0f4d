// Incoming hooks on PostgreSQL with two instances and Redis: the request log (its trim and its
// byte column), the last-request sample, and the guards counted once across processes (a
// timestamped signature used on one instance is refused on the other; failed keys add up).
import { createHmac, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";
import { createHook, expectError, hookRequests, postHook } from "./helpers/incoming.ts";
import { clonePostgresDb, createPostgresTemplate, REDIS_URL, servicesAvailable } from "./helpers/services.ts";
import { hmacKey } from "../src/webhooks/signatures.ts";

const available = await servicesAvailable("postgres", "redis");
const cleanups: (() => Promise<void>)[] = [];
let template: Awaited<ReturnType<typeof createPostgresTemplate>> | undefined;
let a: TestServer, b: TestServer;
let admin: TestUser;

beforeAll(async () => {
  if (!available) return;
  template = await createPostgresTemplate();
  const db = await clonePostgresDb(template.name);
  cleanups.push(db.drop);
  const env = {
    DATABASE_URL: db.url,
    REDIS_URL,
    REDIS_PREFIX: `test-${randomBytes(4).toString("hex")}`,
    JWT_SECRET: "a-shared-secret-for-both-instances",
    INCOMING_BURST: "1000",
    INCOMING_AUTH_FAILURE_BURST: "4",
    INCOMING_AUTH_FAILURE_RATE_PER_S: "0.001",
  };
  a = await startTestServer(env);
  b = await startTestServer(env);
  admin = await buildUser(a.url);
}, 120_000);

afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  for (const c of cleanups) await c();
  await template?.drop();
});

describe.runIf(available)("incoming hooks on PostgreSQL with two instances and Redis", () => {
  it("keeps the last 100 requests with their exact bytes, and previews over the last request", async () => {
    const hook = await createHook(admin, (await buildRoom(admin)).id, { template: "{{who}} #{{n}}" });
    for (let i = 0; i < 103; i++) {
      const res = await postHook(i % 2 ? a.url : b.url, hook, JSON.stringify({ who: "ci", n: i }), { "x-api-key": hook.apiKey! });
      expect(res.status).toBe(201);
    }
    const raw = Buffer.from([0x7b, 0xff, 0x00, 0x7d]);
    await postHook(a.url, hook, raw, { "x-api-key": "hk_wrong-wrong-wrong" });
    const log = await hookRequests(admin, hook);
    expect(log).toHaveLength(100);
    expect(log[0]).toMatchObject({ status: 401, reason: "bad key", body: null, bodyBase64: raw.toString("base64") });
    expect(log[1]).toMatchObject({ status: 201, body: '{"who":"ci","n":102}' });
    expect(await a.app.ctx.db.incomingWebhookRequest.count({ where: { hookId: hook.id } })).toBe(100);
    const preview = await admin.api.post(`/api/rooms/${hook.roomId}/incoming-webhooks/${hook.id}/preview`, {});
    expect(preview.body).toEqual({ text: "ci #102" });
  });

  it("refuses on one instance a timestamped signature already used on the other", async () => {
    const hook = await createHook(admin, (await buildRoom(admin)).id, { verification: "hmac_sha256_base64" });
    const raw = '{"text":"once across the cluster"}';
    const ts = Math.floor(Date.now() / 1000);
    const sig = createHmac("sha256", hmacKey(hook.secret!)).update(`msg_x.${ts}.${raw}`).digest("base64");
    const headers = { "webhook-id": "msg_x", "webhook-timestamp": String(ts), "webhook-signature": `v1,${sig}` };
    expect((await postHook(a.url, hook, raw, headers)).status).toBe(201);
    expectError(await postHook(b.url, hook, raw, headers), 401, "unauthorized");
  });

  it("adds failed keys up across instances", async () => {
    const hook = await createHook(admin, (await buildRoom(admin)).id);
    for (const server of [a, b, a, b]) expectError(await postHook(server.url, hook, '{"text":"x"}', { "x-api-key": "hk_wrong-wrong-wrong" }), 401, "unauthorized");
    expectError(await postHook(b.url, hook, '{"text":"x"}', { "x-api-key": "hk_wrong-wrong-wrong" }), 429, "rate_limited");
    expectError(await postHook(a.url, hook, '{"text":"x"}', { "x-api-key": hook.apiKey! }), 429, "rate_limited");
  });
});
