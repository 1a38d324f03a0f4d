// The circuit breaker (README "Circuit breaker", docs/api.md), with a real receiver on loopback: after
// WEBHOOK_CIRCUIT_FAILURES failed attempts in a row the circuit is open, no attempt is made and none
// used up until openUntil; then one trial (half_open while in flight): success closes it and the
// others follow in order, failure opens it again. A success, re-enabling or POST .../circuit/close
// closes it. An open circuit does not count toward disabling; dead deliveries still do.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { request } from "./helpers/api.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { startGatedReceiver, messageText, type GatedReceiver } from "./helpers/gated-receiver.ts";
import { readMetrics } from "./helpers/metrics.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { collect, connectSocket } from "./helpers/sockets.ts";
import { createWebhook, getDelivery, getWebhook, listDeliveries, waitUntil, type WebhookDto } from "./helpers/webhooks.ts";
import type { CircuitDto } from "../src/contracts/index.ts";

type Circuit = CircuitDto;

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});
async function serverWith(env: Record<string, string>): Promise<TestServer> {
  const server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_DELAYS_MS: "50", ...env });
  cleanup.push(() => server.close());
  return server;
}
async function receiverIn(mode: "fail" | "ok" | "hold"): Promise<GatedReceiver> {
  const receiver = await startGatedReceiver(mode);
  cleanup.push(() => receiver.close());
  return receiver;
}

const circuitOf = async (admin: TestUser, w: WebhookDto) => (await getWebhook(admin, w)).circuit as Circuit;
const waitForCircuit = (admin: TestUser, w: WebhookDto, state: Circuit["state"], extra: (c: Circuit) => boolean = () => true) =>
  waitUntil(async () => {
    const c = await circuitOf(admin, w);
    return c.state === state && extra(c) ? c : undefined;
  }, `circuit ${state}`);
/** Gives a misbehaving dispatcher time to show itself (many sweeps at WEBHOOK_POLL_MS=100); asserts nothing about time. */
const letItRun = (ms = 1500) => new Promise((r) => setTimeout(r, ms));
const attemptsUsed = async (admin: TestUser, w: WebhookDto) => (await listDeliveries(admin, w, "?limit=100")).reduce((n, d) => n + d.attempts, 0);
const metric = async (server: TestServer, name: string) => (await readMetrics(server.url))(name);

describe("an open circuit", () => {
  it("makes no attempt and uses none up until openUntil, shows itself on the webhook and in /metrics, and closes by hand", async () => {
    const server = await serverWith({ WEBHOOK_CIRCUIT_FAILURES: "3", WEBHOOK_CIRCUIT_COOLDOWN_MS: "600000" });
    const receiver = await receiverIn("fail");
    const admin = await buildUser(server.url);
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/down`, maxAttempts: 20 });
    expect(w.circuit).toEqual({ state: "closed", failures: 0, openUntil: null });
    for (let i = 0; i < 5; i++) await sendText(admin, room.id, `m${i}`);

    const open = await waitForCircuit(admin, w, "open");
    await letItRun();
    // Three failed attempts opened it; the retries that fell due since, and the two deliveries never
    // tried, wait: nothing more was sent, no attempt used.
    expect(receiver.requests).toHaveLength(3);
    expect(await attemptsUsed(admin, w)).toBe(3);
    const deliveries = await listDeliveries(admin, w);
    expect(deliveries.filter((d) => d.attempts === 0).length).toBeGreaterThanOrEqual(2);
    expect(deliveries.every((d) => d.status === "pending" || d.status === "failed")).toBe(true);
    // openUntil is WEBHOOK_CIRCUIT_COOLDOWN_MS after the attempt that opened it (the last one) ended.
    const attempts = [];
    for (const d of deliveries.filter((x) => x.attempts > 0)) attempts.push(...(await getDelivery(admin, w, d.id)).attempts);
    const lastEnded = Math.max(...attempts.map((a) => a.startedAt + a.durationMs));
    expect(open).toEqual({ state: "open", failures: 3, openUntil: lastEnded + 600_000 });
    const last = deliveries.find((d) => d.status === "failed")!;
    expect(await circuitOf(admin, w)).toEqual(open);
    await waitUntil(async () => (await metric(server, "webhook_circuit_open")) === 1, "webhook_circuit_open 1");
    // The delivery detail shows the circuit beside the next attempt time.
    const detail = await admin.api.get(`/api/rooms/${room.id}/webhooks/${w.id}/deliveries/${last.id}`);
    expect(detail.body.circuit).toEqual(open);
    expect(detail.body.delivery.nextAttemptAt).toBeLessThan(open.openUntil!);

    // Closed by hand: sending resumes at once, the deliveries that waited go out in event order.
    receiver.mode = "ok";
    const closed = await admin.api.post(`/api/rooms/${room.id}/webhooks/${w.id}/circuit/close`);
    expect(closed.status).toBe(200);
    expect(closed.body.webhook).toMatchObject({ id: w.id, circuit: { state: "closed", failures: 0, openUntil: null } });
    await waitUntil(async () => (await listDeliveries(admin, w)).every((d) => d.status === "succeeded"), "every delivery succeeded");
    expect(receiver.requests.filter((r) => r.status === 200).map((r) => messageText(r.body))).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    await waitUntil(async () => (await metric(server, "webhook_circuit_open")) === 0, "webhook_circuit_open 0");
  });

  it("after the cool-down makes one trial, half_open while it is in flight; its success closes it and the others follow in order", async () => {
    const server = await serverWith({ WEBHOOK_CIRCUIT_FAILURES: "2", WEBHOOK_CIRCUIT_COOLDOWN_MS: "300", WEBHOOK_TIMEOUT_MS: "60000" });
    const receiver = await receiverIn("fail");
    // Two failures open the circuit; the trial after the cool-down is held unanswered: the circuit
    // reads half_open meanwhile, and nothing else is sent.
    receiver.plan = (index) => (index < 2 ? "fail" : "hold");
    const admin = await buildUser(server.url);
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/trial`, maxAttempts: 20 });
    for (let i = 0; i < 4; i++) await sendText(admin, room.id, `t${i}`);
    await waitUntil(async () => receiver.held() === 1, "the trial request");
    expect(await waitForCircuit(admin, w, "half_open")).toEqual({ state: "half_open", failures: 2, openUntil: null });
    await letItRun(800);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.held()).toBe(1);
    // The trial is the first due delivery in event order.
    expect(messageText(receiver.requests[2]!.body)).toBe("t0");

    receiver.plan = undefined;
    receiver.mode = "ok";
    receiver.release(200);
    await waitUntil(async () => (await listDeliveries(admin, w)).every((d) => d.status === "succeeded"), "every delivery succeeded");
    expect(receiver.requests.filter((r) => r.status === 200).map((r) => messageText(r.body))).toEqual(["t0", "t1", "t2", "t3"]);
    expect(await circuitOf(admin, w)).toEqual({ state: "closed", failures: 0, openUntil: null });
    expect(receiver.maxInFlight).toBe(1);
  });

  it("opens again when the trial fails, with a new cool-down, using one attempt of one delivery per trial", async () => {
    const server = await serverWith({ WEBHOOK_CIRCUIT_FAILURES: "2", WEBHOOK_CIRCUIT_COOLDOWN_MS: "300" });
    const receiver = await receiverIn("fail");
    const admin = await buildUser(server.url);
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/again`, maxAttempts: 20 });
    for (let i = 0; i < 4; i++) await sendText(admin, room.id, `a${i}`);
    const first = await waitForCircuit(admin, w, "open");
    const second = await waitForCircuit(admin, w, "open", (c) => c.openUntil! > first.openUntil!);
    expect(second.failures).toBeGreaterThanOrEqual(3);
    // Every request is an attempt on the log (trials go on meanwhile: compared once both agree).
    await waitUntil(async () => (await attemptsUsed(admin, w)) === receiver.requests.length, "the log to hold every request");
    // Each trial took the first due delivery: the last two deliveries were never tried.
    const untried = (await listDeliveries(admin, w)).filter((d) => d.attempts === 0);
    expect(untried).toHaveLength(2);
    expect(receiver.requests.every((r) => ["a0", "a1"].includes(messageText(r.body)))).toBe(true);
  });

  it("is closed by re-enabling the webhook", async () => {
    const server = await serverWith({ WEBHOOK_CIRCUIT_FAILURES: "2", WEBHOOK_CIRCUIT_COOLDOWN_MS: "600000" });
    const receiver = await receiverIn("fail");
    const admin = await buildUser(server.url);
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/reenable`, maxAttempts: 20 });
    for (let i = 0; i < 2; i++) await sendText(admin, room.id, `r${i}`);
    await waitForCircuit(admin, w, "open");
    const base = `/api/rooms/${room.id}/webhooks/${w.id}`;
    // Disabling leaves it as it is (a disabled webhook sends nothing anyway)...
    expect((await admin.api.patch(base, { enabled: false })).body.webhook.circuit.state).toBe("open");
    // ...re-enabling forgives the past.
    const res = await admin.api.patch(base, { enabled: true });
    expect(res.body.webhook).toMatchObject({ enabled: true, circuit: { state: "closed", failures: 0, openUntil: null } });
    receiver.mode = "ok";
    await sendText(admin, room.id, "after");
    await waitUntil(async () => receiver.requests.some((r) => r.status === 200 && messageText(r.body) === "after"), "the next message delivered");
  });

  it("does not count toward disabling: no delivery dies while it is open", async () => {
    const server = await serverWith({ WEBHOOK_CIRCUIT_FAILURES: "2", WEBHOOK_CIRCUIT_COOLDOWN_MS: "600000", WEBHOOK_DEAD_STREAK_LIMIT: "2" });
    const receiver = await receiverIn("fail");
    const admin = await buildUser(server.url);
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/kept`, maxAttempts: 3 });
    for (let i = 0; i < 6; i++) await sendText(admin, room.id, `k${i}`);
    await waitForCircuit(admin, w, "open");
    await letItRun();
    const after = await getWebhook(admin, w);
    expect(after).toMatchObject({ enabled: true, disabledReason: null });
    expect((await listDeliveries(admin, w)).filter((d) => d.status === "dead")).toEqual([]);
    expect(receiver.requests).toHaveLength(2);
  });

  it("lets dead deliveries still count: a trial that dies can disable the webhook", async () => {
    const server = await serverWith({ WEBHOOK_CIRCUIT_FAILURES: "2", WEBHOOK_CIRCUIT_COOLDOWN_MS: "200", WEBHOOK_DEAD_STREAK_LIMIT: "3" });
    const receiver = await receiverIn("fail");
    const admin = await buildUser(server.url);
    const room = await buildRoom(admin);
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/dies`, maxAttempts: 1, name: "Dying bot" });
    for (let i = 0; i < 5; i++) await sendText(admin, room.id, `d${i}`);
    // d0 and d1 die and open the circuit (2 dead); the trial after the cool-down, d2, dies: 3 dead in a row.
    const disabled = await waitUntil(async () => {
      const x = await getWebhook(admin, w);
      return x.enabled ? undefined : x;
    }, "the webhook disabled");
    expect(disabled.disabledReason).toMatch(/3 deliveries in a row failed every attempt/);
    expect(receiver.requests.map((r) => messageText(r.body))).toEqual(["d0", "d1", "d2"]);
    const notice = await waitUntil(async () => {
      const messages = (await admin.api.get(`/api/rooms/${room.id}/messages`)).body.messages as { fromUserId: number; body: { text: string } }[];
      return messages.find((m) => m.fromUserId === w.botUserId);
    }, "the bot's notice");
    expect(notice.body.text).toContain('Webhook "Dying bot" was disabled automatically');
    expect((await listDeliveries(admin, w)).every((d) => d.status === "dead")).toBe(true);
  });
});

describe("an endpoint that stays down", () => {
  it("costs a handful of requests (one trial per cool-down), not one per delivery per retry, and loses no delivery", async () => {
    const COOLDOWN = 250;
    const FAILURES = 3;
    const server = await serverWith({ WEBHOOK_CIRCUIT_FAILURES: String(FAILURES), WEBHOOK_CIRCUIT_COOLDOWN_MS: String(COOLDOWN) });
    const receiver = await receiverIn("fail");
    const admin = await buildUser(server.url);
    const room = await buildRoom(admin);
    // 30 deliveries of 20 attempts each, retried every 50 ms: without a breaker, 600 requests within seconds.
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/outage`, maxAttempts: 20 });
    const start = Date.now();
    for (let i = 0; i < 30; i++) await sendText(admin, room.id, `o${i}`);
    // Down until six trials have been refused.
    await waitUntil(async () => receiver.requests.length >= FAILURES + 6, "six trials", 30_000);
    const down = Date.now() - start;
    const refused = receiver.requests.length;
    // At most one trial per cool-down after the circuit opened (a bound, whatever the machine's speed).
    expect(refused).toBeLessThanOrEqual(FAILURES + Math.ceil(down / COOLDOWN) + 1);
    expect(refused).toBeLessThan(30);
    // Every request is an attempt on the log (trials go on meanwhile: compared once both agree).
    const log = await waitUntil(async () => {
      const list = await listDeliveries(admin, w, "?limit=100");
      return list.reduce((n, d) => n + d.attempts, 0) === receiver.requests.length ? list : undefined;
    }, "the log to hold every request");
    expect(log.filter((d) => d.attempts === 0).length).toBeGreaterThanOrEqual(30 - receiver.requests.length);
    expect(log.every((d) => d.status !== "dead")).toBe(true);

    // Back up: the next trial succeeds and every delivery goes through, in event order, once.
    receiver.mode = "ok";
    await waitUntil(async () => (await listDeliveries(admin, w, "?limit=100")).every((d) => d.status === "succeeded"), "all 30 delivered", 30_000);
    const delivered = receiver.requests.filter((r) => r.status === 200).map((r) => messageText(r.body));
    expect(delivered).toEqual(Array.from({ length: 30 }, (_, i) => `o${i}`));
  });
});

describe("live and by hand", () => {
  let server: TestServer;
  let receiver: GatedReceiver;
  let admin: TestUser;
  let member: TestUser;
  let outsider: TestUser;
  let roomId: number;
  let w: WebhookDto;

  beforeAll(async () => {
    server = await startTestServer({
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      WEBHOOK_RETRY_DELAYS_MS: "50",
      WEBHOOK_CIRCUIT_FAILURES: "1",
      WEBHOOK_CIRCUIT_COOLDOWN_MS: "600000",
    });
    receiver = await startGatedReceiver("fail");
    admin = await buildUser(server.url);
    member = await buildUser(server.url);
    outsider = await buildUser(server.url);
    roomId = (await buildRoom(admin, [member])).id;
    w = await createWebhook(admin, roomId, { url: `${receiver.url}/live`, maxAttempts: 20 });
  });
  afterAll(async () => {
    await server.close();
    await receiver.close();
  });

  it("tells the room's admins (only) of each change of the circuit with webhook:updated", async () => {
    const adminSocket = await connectSocket(server.url, admin.token);
    const memberSocket = await connectSocket(server.url, member.token);
    try {
      const seen = collect(adminSocket, "webhook:updated");
      const memberSeen = collect(memberSocket, "webhook:updated");
      await sendText(admin, roomId, "live");
      const [opened] = await seen.waitFor(1);
      expect(opened).toMatchObject({ roomId, webhookId: w.id, webhook: { id: w.id, circuit: { state: "open", failures: 1 } } });
      receiver.mode = "ok";
      expect((await admin.api.post(`/api/rooms/${roomId}/webhooks/${w.id}/circuit/close`)).status).toBe(200);
      await seen.waitFor(2);
      expect(seen.items[1]).toMatchObject({ webhookId: w.id, webhook: { circuit: { state: "closed" } } });
      await waitUntil(async () => receiver.requests.some((r) => r.status === 200), "the delivery");
      expect(memberSeen.items).toEqual([]);
    } finally {
      adminSocket.close();
      memberSocket.close();
    }
  });

  it("POST .../circuit/close answers 200 {webhook} also when closed; others get 403 or 404; bad ids 400", async () => {
    const path = (id: number | string = w.id, room: number | string = roomId) => `/api/rooms/${room}/webhooks/${id}/circuit/close`;
    const again = await admin.api.post(path());
    expect(again.status).toBe(200);
    expect(again.body.webhook.circuit).toEqual({ state: "closed", failures: 0, openUntil: null });
    expect((await member.api.post(path())).status).toBe(403);
    expect((await outsider.api.post(path())).status).toBe(404);
    expect((await request(server.url, "POST", path())).status).toBe(401);
    expect((await admin.api.post(path(999_999))).status).toBe(404);
    expect((await admin.api.post(path("x"))).body.error.code).toBe("validation_failed");
    const otherRoom = await buildRoom(admin);
    expect((await admin.api.post(path(w.id, otherRoom.id))).status).toBe(404);
    const gone = await createWebhook(admin, roomId, { url: `${receiver.url}/gone` });
    expect((await admin.api.delete(`/api/rooms/${roomId}/webhooks/${gone.id}`)).status).toBe(204);
    const res = await admin.api.post(path(gone.id));
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe("not_found");
  });
});
