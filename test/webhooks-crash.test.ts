// Crash test: the receiver is down while 500 messages are sent, then comes up; the server is
// killed with SIGKILL in the middle of delivering and started again on the same database.
// Every message must arrive at least once; the duplicates (sent but not recorded before the kill)
// are counted and printed as a JSON line.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, inject, it } from "vitest";
import { client } from "./helpers/api.ts";
import { freePort, startChildServer, type ChildServer } from "./helpers/child-server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { waitUntil } from "./helpers/webhooks.ts";

const MESSAGES = 500;
let server: ChildServer | undefined;
let receiver: Receiver | undefined;

afterAll(async () => {
  await server?.kill("SIGKILL");
  await receiver?.close();
});

it("delivers every message at least once across a SIGKILL", { timeout: 90_000 }, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-crash-"));
  fs.copyFileSync(inject("templateDb"), path.join(dir, "chat.db"));
  const env = {
    DATABASE_URL: `file:${path.join(dir, "chat.db")}`,
    JWT_SECRET: "crash-test-secret-0123456789",
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    // Quick retries while the receiver is down, and leases that expire soon after the kill. The
    // dispatcher keeps trying while the messages are sent: 20 attempts must outlast a slow machine's
    // sending (about 35 s here), and no early death may disable the webhook.
    WEBHOOK_RETRY_DELAYS_MS: "300,1000,2000",
    WEBHOOK_DEAD_STREAK_LIMIT: "1000",
    // The refused connections open the webhook's circuit: a short cool-down notices the receiver
    // coming up within this test's waits (the default waits a minute).
    WEBHOOK_CIRCUIT_COOLDOWN_MS: "300",
    WEBHOOK_LEASE_MS: "2000",
    WEBHOOK_POLL_MS: "100",
  };
  const port = await freePort();
  const receiverPort = await freePort(); // nobody listens there yet
  server = await startChildServer(port, env);

  const anon = client(server.url);
  const reg = await anon.post("/api/auth/register", { username: `crash${Date.now() % 100000}`, password: "password123", displayName: "Crash" });
  expect(reg.status).toBe(201);
  const api = client(server.url, reg.body.token);
  const room = (await api.post("/api/rooms", { name: "crash" })).body.room;
  const created = await api.post(`/api/rooms/${room.id}/webhooks`, { url: `http://127.0.0.1:${receiverPort}/hook`, maxAttempts: 20 });
  expect(created.status).toBe(201);

  const texts = Array.from({ length: MESSAGES }, (_, i) => `crash ${i}`);
  for (let i = 0; i < MESSAGES; i += 10) {
    const batch = await Promise.all(texts.slice(i, i + 10).map((text) => api.post(`/api/rooms/${room.id}/messages`, { body: { text } })));
    for (const res of batch) expect(res.status).toBe(201);
  }

  // The receiver comes up on the webhook's port; kill the server once deliveries are flowing.
  receiver = await startReceiver(receiverPort);
  receiver.respond = () => ({ status: 200, delayMs: 2 });
  await receiver.waitFor(100, 30_000);
  await server.kill("SIGKILL");
  const beforeKill = receiver.requests.length;

  server = await startChildServer(port, env);
  const unique = () => new Set(receiver!.requests.map((r) => (JSON.parse(r.body) as { data: { message: { body: { text: string } } } }).data.message.body.text));
  await waitUntil(async () => unique().size === MESSAGES, `all ${MESSAGES} messages at the receiver`, 45_000);
  expect([...unique()].sort()).toEqual([...texts].sort());
  // Every webhook-id names one message: duplicates are repeats of the same id.
  const ids = new Set(receiver.requests.map((r) => r.headers["webhook-id"]));
  expect(ids.size).toBe(MESSAGES);

  const open = async (status: string) => (await api.get(`/api/rooms/${room.id}/webhooks/${created.body.webhook.id}/deliveries?status=${status}`)).body.deliveries.length;
  await waitUntil(async () => (await open("pending")) + (await open("failed")) === 0, "no open deliveries");
  expect(await open("dead")).toBe(0);

  const received = receiver.requests.length;
  console.log(JSON.stringify({ crashTest: { messages: MESSAGES, receivedBeforeKill: beforeKill, received, unique: ids.size, duplicates: received - ids.size } }));
  await server.kill("SIGTERM");
  server = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});
