// The dispatcher end to end: a real server, real receivers on 127.0.0.1, the settings and
// delivery-log API. Retries are quick (WEBHOOK_RETRY_DELAYS_MS=50); waits are bounded polls.
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import {
  createWebhook,
  getDelivery,
  getWebhook,
  listDeliveries,
  waitForFinalDeliveries,
  waitUntil,
  type WebhookDto,
} from "./helpers/webhooks.ts";

let server: TestServer;
let admin: TestUser;
const receivers: Receiver[] = [];

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function roomWithWebhook(body: Record<string, unknown>): Promise<{ roomId: number; webhook: WebhookDto }> {
  const room = await buildRoom(admin);
  const webhook = await createWebhook(admin, room.id, body);
  return { roomId: room.id, webhook };
}

const bodyOf = (req: { body: string }) => JSON.parse(req.body) as { type: string; data: { message: { body: { text: string } } } };

beforeAll(async () => {
  server = await startTestServer({
    WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
    WEBHOOK_RETRY_DELAYS_MS: "50,50,50",
    WEBHOOK_TIMEOUT_MS: "1000",
  });
  admin = await buildUser(server.url);
});
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});
afterAll(async () => {
  await server?.close();
});

describe("retries", () => {
  it("500 twice then 200: delivered on attempt 3, the log shows 3 attempts", async () => {
    const r = await receiver();
    r.respond = (_req, i) => (i < 2 ? { status: 500, body: "boom" } : { status: 200, body: "ok" });
    const { webhook } = await roomWithWebhook({ url: `${r.url}/hook` });
    const message = await sendText(admin, webhook.roomId, "third time lucky");
    const [d] = await waitForFinalDeliveries(admin, webhook, 1);
    expect(d).toMatchObject({ status: "succeeded", attempts: 3, lastStatusCode: 200, event: "message.created" });
    expect(r.requests).toHaveLength(3);
    // Same webhook-id on every retry; each attempt has its own timestamp header.
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"]))).toEqual(new Set([d!.eventId]));
    expect(bodyOf(r.requests[2]!).data.message.body.text).toBe(message.body.text);
    const { attempts } = await getDelivery(admin, webhook, d!.id);
    expect(attempts.map((a) => [a.number, a.responseStatus])).toEqual([[1, 500], [2, 500], [3, 200]]);
    expect(attempts[0]).toMatchObject({ responseBody: "boom", error: "HTTP 500" });
    expect(attempts[0]!.requestHeaders["webhook-id"]).toBe(d!.eventId);
    expect(attempts[0]!.requestBody).toBe(r.requests[0]!.body);
    expect(attempts[2]!.error).toBeNull();
  });

  it("always 500: dead after maxAttempts", async () => {
    const r = await receiver();
    r.respond = () => ({ status: 500 });
    const { webhook } = await roomWithWebhook({ url: r.url, maxAttempts: 3 });
    await sendText(admin, webhook.roomId, "never");
    const [d] = await waitForFinalDeliveries(admin, webhook, 1);
    expect(d).toMatchObject({ status: "dead", attempts: 3, lastStatusCode: 500, nextAttemptAt: null });
    expect(d!.completedAt).toEqual(expect.any(Number));
    expect(r.requests).toHaveLength(3);
    expect((await getWebhook(admin, webhook)).enabled).toBe(true);
  });

  it("a receiver slower than WEBHOOK_TIMEOUT_MS is a timed-out attempt", async () => {
    const r = await receiver();
    r.respond = () => ({ status: 200, delayMs: 5000 });
    const { webhook } = await roomWithWebhook({ url: r.url, maxAttempts: 2 });
    await sendText(admin, webhook.roomId, "slow");
    const [d] = await waitForFinalDeliveries(admin, webhook, 1);
    expect(d).toMatchObject({ status: "dead", attempts: 2, lastStatusCode: null });
    const { attempts } = await getDelivery(admin, webhook, d!.id);
    for (const a of attempts) {
      expect(a.responseStatus).toBeNull();
      expect(a.error).toMatch(/timed out after 1000 ms/);
    }
  });

  it("a refused connection is a failed attempt, retried", async () => {
    const r = await receiver();
    const url = r.url;
    await r.close(); // nobody listens on that port any more
    receivers.splice(receivers.indexOf(r), 1);
    const { webhook } = await roomWithWebhook({ url, maxAttempts: 2 });
    await sendText(admin, webhook.roomId, "anyone?");
    const [d] = await waitForFinalDeliveries(admin, webhook, 1);
    expect(d).toMatchObject({ status: "dead", attempts: 2 });
    const { attempts } = await getDelivery(admin, webhook, d!.id);
    expect(attempts.map((a) => a.error)).toEqual([expect.stringMatching(/connection refused.*ECONNREFUSED/), expect.stringMatching(/ECONNREFUSED/)]);
  });

  it("429 with Retry-After: the next attempt waits at least that long", async () => {
    const r = await receiver();
    r.respond = (_req, i) => (i === 0 ? { status: 429, headers: { "Retry-After": "1" } } : { status: 200 });
    const { webhook } = await roomWithWebhook({ url: r.url });
    await sendText(admin, webhook.roomId, "rate limited");
    const failed = await waitUntil(async () => (await listDeliveries(admin, webhook)).find((d) => d.attempts === 1), "first attempt");
    const [d] = await waitForFinalDeliveries(admin, webhook, 1);
    expect(d).toMatchObject({ status: "succeeded", attempts: 2 });
    const { attempts } = await getDelivery(admin, webhook, d!.id);
    expect(attempts[0]!.responseStatus).toBe(429);
    expect(attempts[1]!.startedAt - attempts[0]!.startedAt).toBeGreaterThanOrEqual(1000);
    if (failed.status === "failed") expect(failed.nextAttemptAt! - attempts[0]!.startedAt).toBeGreaterThanOrEqual(1000);
  });

  it("503 with an HTTP-date Retry-After is honoured too", async () => {
    const r = await receiver();
    r.respond = (_req, i) => (i === 0 ? { status: 503, headers: { "Retry-After": new Date(Date.now() + 2000).toUTCString() } } : { status: 204 });
    const { webhook } = await roomWithWebhook({ url: r.url });
    await sendText(admin, webhook.roomId, "busy");
    const [d] = await waitForFinalDeliveries(admin, webhook, 1);
    const { attempts } = await getDelivery(admin, webhook, d!.id);
    expect(attempts.map((a) => a.responseStatus)).toEqual([503, 204]);
    // HTTP dates have whole seconds: at least 1 s, however the clock fell.
    expect(attempts[1]!.startedAt - attempts[0]!.startedAt).toBeGreaterThanOrEqual(1000);
  });
});

describe("final answers", () => {
  it("410 Gone: the delivery is dead and the webhook disabled at once", async () => {
    const r = await receiver();
    r.respond = () => ({ status: 410 });
    const { webhook } = await roomWithWebhook({ url: r.url });
    await sendText(admin, webhook.roomId, "gone?");
    const [d] = await waitForFinalDeliveries(admin, webhook, 1);
    expect(d).toMatchObject({ status: "dead", attempts: 1, lastStatusCode: 410 });
    const w = await getWebhook(admin, webhook);
    expect(w.enabled).toBe(false);
    expect(w.disabledReason).toMatch(/410/);
    expect(r.requests).toHaveLength(1);
  });

  it("a 302 redirect is not followed", async () => {
    const r = await receiver();
    const target = await receiver();
    r.respond = () => ({ status: 302, headers: { Location: `${target.url}/stolen` } });
    const { webhook } = await roomWithWebhook({ url: r.url, maxAttempts: 1 });
    await sendText(admin, webhook.roomId, "redirect me");
    const [d] = await waitForFinalDeliveries(admin, webhook, 1);
    expect(d).toMatchObject({ status: "dead", lastStatusCode: 302 });
    const { attempts } = await getDelivery(admin, webhook, d!.id);
    expect(attempts[0]!.responseHeaders).toMatchObject({ location: `${target.url}/stolen` });
    expect(target.requests).toHaveLength(0);
  });
});

describe("signatures", () => {
  it("verify with standardwebhooks and by hand, before and after a rotation; a tampered body fails", async () => {
    const r = await receiver();
    const { webhook } = await roomWithWebhook({ url: r.url });
    await sendText(admin, webhook.roomId, "signed");
    const [first] = await r.waitFor(1);
    expect(first!.headers["verification-signature"]).toBe(webhook.verificationSignature);
    expect(first!.headers["user-agent"]).toMatch(/^hookroom\/\d+\.\d+\.\d+$/);
    expect(first!.headers["x-webhook-event"]).toBe("message.created");
    expect(() => new Webhook(webhook.secret).verify(first!.body, first!.headers as Record<string, string>)).not.toThrow();
    const hex = (secret: string, body: string) => createHmac("sha256", Buffer.from(secret.slice(6), "base64")).update(body).digest("hex");
    expect(first!.headers["x-signature"]).toBe(hex(webhook.secret, first!.body));
    expect(() => new Webhook(webhook.secret).verify(first!.body.replace("signed", "forged"), first!.headers as Record<string, string>)).toThrow();
    expect(first!.headers["x-signature"]).not.toBe(hex(webhook.secret, first!.body + " "));

    const rotated = (await admin.api.post(`/api/rooms/${webhook.roomId}/webhooks/${webhook.id}/rotate`)).body.webhook as WebhookDto;
    expect(rotated.secret).not.toBe(webhook.secret);
    await sendText(admin, webhook.roomId, "signed twice");
    const [, second] = await r.waitFor(2);
    const headers = second!.headers as Record<string, string>;
    expect(headers["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(() => new Webhook(rotated.secret).verify(second!.body, headers)).not.toThrow();
    expect(() => new Webhook(webhook.secret).verify(second!.body, headers)).not.toThrow();
    expect(headers["x-signature"]).toBe(hex(rotated.secret, second!.body));
    expect(headers["verification-signature"]).toBe(rotated.verificationSignature);
    expect(() => new Webhook(rotated.secret).verify(second!.body + " ", headers)).toThrow();
  });

  it("form-encoded webhooks get payload=<JSON>, signed over the bytes sent; custom headers arrive", async () => {
    const r = await receiver();
    const { webhook } = await roomWithWebhook({
      url: r.url,
      contentType: "application/x-www-form-urlencoded",
      method: "PUT",
      headers: { "X-Team": "blue" },
    });
    await sendText(admin, webhook.roomId, "a&b=c é");
    const [req] = await r.waitFor(1);
    expect(req!.method).toBe("PUT");
    expect(req!.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(req!.headers["x-team"]).toBe("blue");
    const payload = JSON.parse(new URLSearchParams(req!.body).get("payload")!);
    expect(payload.data.message.body.text).toBe("a&b=c é");
    expect(payload.headers["Content-Type"]).toBe("application/json");
    expect(() => new Webhook(webhook.secret).verify(req!.body, req!.headers as Record<string, string>, { jsonParse: false } as never)).not.toThrow();
  });
});

describe("order and loops", () => {
  it("50 messages of one room arrive at one webhook in the order sent", async () => {
    const r = await receiver();
    const { webhook } = await roomWithWebhook({ url: r.url });
    const sent: string[] = [];
    for (let i = 0; i < 50; i++) sent.push((await sendText(admin, webhook.roomId, `m${i}`)).body.text);
    const got = await r.waitFor(50);
    expect(got.map((q) => bodyOf(q).data.message.body.text)).toEqual(sent);
  });

  it("5 dead deliveries in a row disable the webhook and post a notice that triggers no webhook", async () => {
    const failing = await receiver();
    failing.respond = () => ({ status: 500 });
    const healthy = await receiver();
    const room = await buildRoom(admin);
    const webhook = await createWebhook(admin, room.id, { url: failing.url, maxAttempts: 1 });
    await createWebhook(admin, room.id, { url: healthy.url });
    for (let i = 0; i < 5; i++) await sendText(admin, room.id, `doomed ${i}`);
    await waitForFinalDeliveries(admin, webhook, 5);
    const w = await waitUntil(async () => {
      const current = await getWebhook(admin, webhook);
      return current.enabled ? undefined : current;
    }, "webhook disabled");
    expect(w.disabledReason).toMatch(/5 deliveries in a row/);
    const notice = await waitUntil(async () => {
      const { messages } = (await admin.api.get(`/api/rooms/${room.id}/messages`)).body;
      return (messages as { fromUserId: number; type: string; body: { text: string } }[]).find((m) => m.fromUserId === w.botUserId);
    }, "the notice");
    expect(notice.type).toBe("text");
    expect(notice.body.text).toMatch(/disabled/);
    // A later message reaches the healthy webhook right after the 5 others: the notice sent nothing.
    await sendText(admin, room.id, "after the notice");
    const got = await healthy.waitFor(6);
    expect(got.map((q) => bodyOf(q).data.message.body.text)).toEqual([0, 1, 2, 3, 4].map((i) => `doomed ${i}`).concat("after the notice"));
    expect(failing.requests).toHaveLength(5);
    // The disabled webhook gets nothing more: a new message makes no delivery for it.
    expect(await listDeliveries(admin, webhook)).toHaveLength(5);
  });

  it("reply-back posts the reply as the webhook's bot, and the reply triggers no webhook", async () => {
    const r = await receiver();
    r.respond = (req) =>
      bodyOf(req).data.message.body.text === "ping"
        ? { status: 200, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ text: "pong" }) }
        : { status: 200, body: "ok" };
    const { webhook } = await roomWithWebhook({ url: r.url, replyEnabled: true });
    await sendText(admin, webhook.roomId, "ping");
    const reply = await waitUntil(async () => {
      const { messages } = (await admin.api.get(`/api/rooms/${webhook.roomId}/messages`)).body;
      return (messages as { fromUserId: number; body: { text: string } }[]).find((m) => m.fromUserId === webhook.botUserId);
    }, "the reply");
    expect(reply.body.text).toBe("pong");
    await sendText(admin, webhook.roomId, "next");
    const got = await r.waitFor(2);
    expect(got.map((q) => bodyOf(q).data.message.body.text)).toEqual(["ping", "next"]);
    expect(await listDeliveries(admin, webhook)).toHaveLength(2);
  });

  it("a webhook without replyEnabled posts nothing back", async () => {
    const r = await receiver();
    r.respond = () => ({ status: 200, body: JSON.stringify({ text: "should not appear" }) });
    const { webhook } = await roomWithWebhook({ url: r.url });
    await sendText(admin, webhook.roomId, "hello");
    await waitForFinalDeliveries(admin, webhook, 1);
    const { messages } = (await admin.api.get(`/api/rooms/${webhook.roomId}/messages`)).body;
    expect(messages).toHaveLength(1);
  });
});
