// A deleted message leaves the delivery log (stored payloads, recorded request bodies, earlier
// edits included), and every later send of its events (a retry, a redelivery) carries it deleted.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { createWebhook, getDelivery, listDeliveries, waitUntil, type WebhookDto } from "./helpers/webhooks.ts";

const SECRET = "the launch code is 0000";
let server: TestServer;
let receiver: Receiver;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_DELAYS_MS: "400" });
  receiver = await startReceiver();
  admin = await buildUser(server.url);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const events = ["message.created", "message.updated", "message.deleted"];

/** Everything the delivery log shows of a webhook: payloads and every attempt's request body. */
async function logText(w: WebhookDto): Promise<string> {
  const parts: string[] = [];
  for (const d of await listDeliveries(admin, w)) {
    const { delivery, attempts } = await getDelivery(admin, w, d.id);
    parts.push(JSON.stringify((delivery as unknown as { payload: unknown }).payload), ...attempts.map((a: { requestBody: string }) => a.requestBody));
  }
  return parts.join("\n");
}

it("scrubs the text of a deleted message, and of its earlier edits, from payloads and recorded bodies", async () => {
  const room = await buildRoom(admin, [], "scrub");
  const json = await createWebhook(admin, room.id, { url: `${receiver.url}/json`, events });
  const form = await createWebhook(admin, room.id, { url: `${receiver.url}/form`, events, contentType: "application/x-www-form-urlencoded" });
  const message = await sendText(admin, room.id, `${SECRET} (first)`);
  expect((await admin.api.patch(`/api/messages/${message.id}`, { body: { text: `${SECRET} (edited)` } })).status).toBe(200);
  await waitUntil(async () => (await listDeliveries(admin, form)).filter((d) => d.status === "succeeded").length === 2, "created and updated sent");
  await waitUntil(async () => (await listDeliveries(admin, json)).filter((d) => d.status === "succeeded").length === 2, "created and updated sent");
  expect(await logText(form)).toContain(encodeURIComponent(SECRET).slice(0, 12));
  expect(await logText(json)).toContain(SECRET);

  expect((await admin.api.delete(`/api/messages/${message.id}`)).status).toBe(200);
  await waitUntil(async () => (await listDeliveries(admin, json)).length === 3, "the deletion queued");
  for (const w of [json, form]) {
    const text = await logText(w);
    expect(text).not.toContain("launch code");
    expect(text).not.toContain("launch%20code");
    expect(text).toContain('"deleted":true');
  }
});

it("sends a deleted message as deleted on a retry and on a redelivery", async () => {
  const room = await buildRoom(admin, [], "retry");
  // The receiver refuses until told otherwise: the first attempt fails, a retry follows.
  let accept = false;
  receiver.respond = (req) => (req.url === "/retry" && !accept ? { status: 500 } : { status: 200 });
  const w = await createWebhook(admin, room.id, { url: `${receiver.url}/retry` });
  const message = await sendText(admin, room.id, SECRET);
  const [failed] = await waitUntil(async () => {
    const list = await listDeliveries(admin, w);
    return list[0]?.status === "failed" ? list : undefined;
  }, "a failed first attempt");
  expect((await admin.api.delete(`/api/messages/${message.id}`)).status).toBe(200);
  accept = true;
  await waitUntil(async () => (await listDeliveries(admin, w))[0]?.status === "succeeded", "the retry succeeded");
  const sent = receiver.requests.filter((r) => r.url === "/retry").map((r) => JSON.parse(r.body).data.message);
  expect(sent[0]).toMatchObject({ deleted: false, body: { text: SECRET } });
  expect(sent.at(-1)).toMatchObject({ id: message.id, deleted: true, body: { text: "" } });

  const before = receiver.requests.length;
  expect((await admin.api.post(`/api/rooms/${room.id}/webhooks/${w.id}/deliveries/${failed!.id}/redeliver`)).status).toBe(202);
  const [redelivered] = await waitUntil(async () => {
    const got = receiver.requests.slice(before).filter((r) => r.url === "/retry");
    return got.length ? got : undefined;
  }, "the redelivery");
  expect(JSON.parse(redelivered!.body).data.message).toMatchObject({ deleted: true, body: { text: "" } });
  expect(redelivered!.body).not.toContain("launch code");
});
