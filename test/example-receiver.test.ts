// The README's example receiver (examples/receiver.mjs), run as its own process against the real
// server: it verifies and accepts what a webhook sends (JSON and form-encoded), acknowledges a repeat
// of a webhook-id without handling it again, and answers 401 to requests that fail a check.
// Loopback only; every wait is a bounded poll.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import path from "node:path";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "./helpers/ports.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { getDelivery, listDeliveries, type WebhookDto, waitUntil } from "./helpers/webhooks.ts";

const EXAMPLE = path.resolve(import.meta.dirname, "../examples/receiver.mjs");

interface PrintedEvent {
  webhookId: string;
  type: string;
  timestamp: number;
  duplicate: boolean;
  data: any;
}

interface Example {
  child: ChildProcess;
  url: string;
  events: PrintedEvent[];
  stderr: string[];
  exited: Promise<number | string>;
}


/** Starts the example on 127.0.0.1:port; resolves once it says it is listening. */
async function startExample(port: number, env: Record<string, string>): Promise<Example> {
  const child = spawn(process.execPath, [EXAMPLE], {
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const example: Example = {
    child,
    url: `http://127.0.0.1:${port}/hook`,
    events: [],
    stderr: [],
    exited: new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal ?? -1))),
  };
  const lines = (stream: NodeJS.ReadableStream, onLine: (line: string) => void) => {
    let buffer = "";
    stream.on("data", (chunk: Buffer) => {
      buffer += chunk.toString("utf8");
      let nl;
      while ((nl = buffer.indexOf("\n")) >= 0) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
  };
  lines(child.stdout!, (line) => example.events.push(JSON.parse(line) as PrintedEvent));
  lines(child.stderr!, (line) => example.stderr.push(line));
  let exitCode: number | string | undefined;
  void example.exited.then((code) => (exitCode = code));
  await waitUntil(() => {
    if (exitCode !== undefined) throw new Error(`example exited (${exitCode}):\n${example.stderr.join("\n")}`);
    return example.stderr.some((l) => l.startsWith(`listening on http://127.0.0.1:${port}`));
  }, "the example receiver to listen", 10_000);
  return example;
}

/** The README's HMAC key rule ("Verify a request"), written out here so the test trusts neither the server nor the example. */
const keyOf = (secret: string) => (secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8"));
const standardSignature = (secret: string, id: string, ts: string, body: string) =>
  `v1,${createHmac("sha256", keyOf(secret)).update(`${id}.${ts}.${body}`).digest("base64")}`;

let server: TestServer;
let admin: TestUser;
let sender: TestUser;
let roomId: number;
let webhook: WebhookDto;
let example: Example;

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
  admin = await buildUser(server.url, { displayName: "Admin" });
  sender = await buildUser(server.url, { displayName: "Stjepan" });
  roomId = (await buildRoom(admin, [sender], "Receivers")).id;
  const port = await freePort();
  const res = await admin.api.post(`/api/rooms/${roomId}/webhooks`, {
    url: `http://127.0.0.1:${port}/hook`,
    name: "Example receiver",
    events: ["message.created", "message.updated"],
  });
  expect(res.status).toBe(201);
  webhook = res.body.webhook;
  example = await startExample(port, { WEBHOOK_SECRET: webhook.secret, WEBHOOK_VERIFICATION_SIGNATURE: webhook.verificationSignature });
});

afterAll(async () => {
  if (example && example.child.exitCode === null && example.child.signalCode === null) {
    example.child.kill("SIGTERM");
    await example.exited;
  }
  await server?.close();
});

/** The message.created delivery of `messageId` once it succeeded, and its one attempt as sent. */
async function succeededDelivery(messageId: number) {
  return waitUntil(async () => {
    for (const d of await listDeliveries(admin, webhook, "?status=succeeded")) {
      const detail = await getDelivery(admin, webhook, d.id);
      if ((detail.delivery as any).payload?.data?.message?.id === messageId) return detail;
    }
    return undefined;
  }, "the succeeded delivery of the message");
}

const send = (headers: Record<string, string>, body: string) =>
  fetch(example.url, { method: "POST", headers, body });

describe("examples/receiver.mjs", () => {
  it("verifies and accepts a message.created the server sends; the delivery succeeds", async () => {
    const message = await sendText(sender, roomId, "hello receiver");
    const printed = await waitUntil(
      () => example.events.find((e) => e.type === "message.created" && e.data?.message?.id === message.id),
      "the example to print the message.created",
    );
    expect(printed).toMatchObject({
      duplicate: false,
      timestamp: message.createdAt,
      data: { message: { id: message.id, body: { text: "hello receiver" } }, fromUser: { displayName: "Stjepan" }, room: { name: "Receivers" } },
    });

    const { delivery, attempts } = await succeededDelivery(message.id);
    expect(delivery).toMatchObject({ eventId: printed.webhookId, attempts: 1, lastStatusCode: 200 });
    expect(attempts[0]!.responseBody).toBe('{"ok":true}');
    expect(example.stderr.filter((l) => l.startsWith("refused"))).toEqual([]);
  });

  it("answers 401 to tampered requests and prints nothing for them; a replay is acknowledged as a duplicate", async () => {
    const message = await sendText(sender, roomId, "original text");
    const { attempts } = await succeededDelivery(message.id);
    const sent = attempts[0]!;
    const headers = sent.requestHeaders as Record<string, string>;
    const body = sent.requestBody;
    const id = headers["webhook-id"]!;
    const printedBefore = example.events.length;

    // The README's alternative, the standardwebhooks package, accepts the same request.
    expect(new Webhook(webhook.secret).verify(body, headers)).toEqual(JSON.parse(body));

    const staleTs = String(Math.floor(Date.now() / 1000) - 6 * 60);
    const tampered: [string, Record<string, string>, string][] = [
      ["an altered body", headers, body.replace("original text", "forged text")],
      ["a wrong Verification-Signature", { ...headers, "Verification-Signature": "AAAAAAAAAAAAAAAA" }, body],
      ["a webhook-signature by another secret", { ...headers, "webhook-signature": standardSignature("whsec_" + Buffer.alloc(32, 7).toString("base64"), id, headers["webhook-timestamp"]!, body) }, body],
      ["a wrong X-Signature", { ...headers, "X-Signature": createHmac("sha256", "wrong key").update(body).digest("hex") }, body],
      // Correctly signed, but six minutes old: outside the five-minute tolerance.
      ["a stale webhook-timestamp", { ...headers, "webhook-timestamp": staleTs, "webhook-signature": standardSignature(webhook.secret, id, staleTs, body) }, body],
      ["no webhook-id", Object.fromEntries(Object.entries(headers).filter(([k]) => k !== "webhook-id")), body],
    ];
    for (const [what, h, b] of tampered) {
      const res = await send(h, b);
      expect(res.status, what).toBe(401);
      expect(((await res.json()) as { error: string }).error, what).toEqual(expect.any(String));
    }
    expect(example.events.length).toBe(printedBefore);
    expect(example.stderr.filter((l) => l.startsWith("refused")).length).toBeGreaterThanOrEqual(tampered.length);

    // The untouched request again (within the tolerance): accepted, and flagged as already handled.
    const replay = await send(headers, body);
    expect(replay.status).toBe(200);
    const again = await waitUntil(() => example.events.slice(printedBefore).find((e) => e.webhookId === id), "the replay to be printed");
    expect(again).toMatchObject({ duplicate: true, type: "message.created" });
  });

  it("handles a form-encoded webhook.ping, and a redelivery arrives with the same webhook-id", async () => {
    const base = `/api/rooms/${roomId}/webhooks/${webhook.id}`;
    expect((await admin.api.patch(base, { contentType: "application/x-www-form-urlencoded" })).status).toBe(200);
    try {
      const ping = await admin.api.post(`${base}/test`);
      expect(ping.status).toBe(202);
      const printed = await waitUntil(() => example.events.find((e) => e.webhookId === ping.body.delivery.eventId), "the ping to be printed");
      expect(printed).toMatchObject({ type: "webhook.ping", duplicate: false, data: { webhook: { id: webhook.id, name: "Example receiver" } } });
      const { attempts } = await waitUntil(async () => {
        const detail = await getDelivery(admin, webhook, ping.body.delivery.id);
        return detail.delivery.status === "succeeded" ? detail : undefined;
      }, "the ping to succeed");
      expect(attempts[0]!.requestBody).toMatch(/^payload=%7B/);

      const redelivered = await admin.api.post(`${base}/deliveries/${ping.body.delivery.id}/redeliver`);
      expect(redelivered.status).toBe(202);
      expect(redelivered.body.delivery.eventId).toBe(ping.body.delivery.eventId);
      await waitUntil(
        () => example.events.filter((e) => e.webhookId === ping.body.delivery.eventId).length === 2,
        "the redelivery to be printed",
      );
      expect(example.events.filter((e) => e.webhookId === ping.body.delivery.eventId).map((e) => e.duplicate)).toEqual([false, true]);
    } finally {
      await admin.api.patch(base, { contentType: "application/json" });
    }
  });
});
