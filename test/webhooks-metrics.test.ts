// What the dispatcher reports: /metrics counts exactly the attempts and deliveries of one action
// (read before and after, on a server of this file's own), and each change of a delivery is
// published for the live log.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { growth, readMetrics } from "./helpers/metrics.ts";
import { createWebhook, waitForFinalDeliveries, waitUntil } from "./helpers/webhooks.ts";

let server: TestServer;
let admin: TestUser;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_DELAYS_MS: "50", WEBHOOK_TIMEOUT_MS: "1000" });
  admin = await buildUser(server.url);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

const SERIES = [
  'webhook_attempts_total{outcome="success"}',
  'webhook_attempts_total{outcome="failure"}',
  'webhook_attempts_total{outcome="timeout"}',
  'webhook_deliveries_total{status="succeeded"}',
  'webhook_deliveries_total{status="dead"}',
  "webhook_delivery_latency_seconds_count",
] as const;

it("counts one failed and one successful attempt of one delivery, and publishes each change for the live log", async () => {
  receiver.respond = (_req, i) => (i === 0 ? { status: 500 } : { status: 200 });
  const changes: { status: string }[] = [];
  const off = server.app.ctx.bus.on("webhook.delivery", (p) => void changes.push(p.delivery as { status: string }));
  const webhook = await createWebhook(admin, (await buildRoom(admin)).id, { url: receiver.url });
  const before = await readMetrics(server.url);
  try {
    await sendText(admin, webhook.roomId, "measure me");
    await waitForFinalDeliveries(admin, webhook, 1);
    // The live log hears of a change after its record commits, in the thread's next report.
    await waitUntil(() => changes.length >= 2 || undefined, "both changes published");
    expect(changes.map((c) => c.status)).toEqual(["failed", "succeeded"]);
  } finally {
    off();
  }
  // The thread reports its counts in batches: wait for the success, then compare every series.
  const expected = { [SERIES[0]]: 1, [SERIES[1]]: 1, [SERIES[2]]: 0, [SERIES[3]]: 1, [SERIES[4]]: 0, [SERIES[5]]: 1 };
  const after = await waitUntil(async () => {
    const now = await readMetrics(server.url);
    return growth(before, now, SERIES)[SERIES[3]] >= 1 && growth(before, now, SERIES)[SERIES[5]] >= 1 ? now : undefined;
  }, "the delivery's counts in /metrics");
  expect(growth(before, after, SERIES)).toEqual(expected);
  const text = await (await fetch(`${server.url}/metrics`)).text();
  expect(text).toMatch(/^webhook_queue_depth \d+/m);
  const ready = await (await fetch(`${server.url}/readyz`)).json();
  expect(ready.checks.dispatcher).toBe(true);
});
