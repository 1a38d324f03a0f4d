// End to end with a real receiver on loopback: a receiver written for Spika gets exactly Spika's body
// and the Verification-Signature shown in the settings; pings and redeliveries arrive as the contract says.
import { createHmac } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { createWebhook, waitUntil } from "./helpers/webhooks.ts";

let server: TestServer;
let admin: TestUser;
let sender: TestUser;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
  admin = await buildUser(server.url, { displayName: "Admin" });
  sender = await buildUser(server.url, { displayName: "Stjepan" });
});
afterAll(() => server.close());
afterEach(() => receiver?.close());

/** The README's HMAC key rule ("Verify a request"), written out here so the test does not trust the server's signer. */
const keyOf = (secret: string) =>
  secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");

async function deliveredDelivery(roomId: number, webhookId: number, deliveryId?: number) {
  return waitUntil(async () => {
    const list = await admin.api.get(`/api/rooms/${roomId}/webhooks/${webhookId}/deliveries`);
    return list.body.deliveries.find((d: { id: number; status: string }) => d.status === "succeeded" && (deliveryId === undefined || d.id === deliveryId));
  }, "a succeeded delivery in the log");
}

describe("Spika compatibility", () => {
  it("sends Spika's message.created body and the Verification-Signature shown in the settings", async () => {
    receiver = await startReceiver();
    const room = await buildRoom(admin, [sender], "tstt");
    const created = await createWebhook(admin, room.id, { url: `${receiver.url}/spika`, headers: { "X-Team": "ops" } });
    const shown = (await admin.api.get(`/api/rooms/${room.id}/webhooks/${created.id}`)).body.webhook;

    const message = await sendText(sender, room.id, "test");
    const [got] = await receiver.waitFor(1);
    const req = got!;

    expect(req.method).toBe("POST");
    expect(req.url).toBe("/spika");
    expect(req.headers["content-type"]).toBe("application/json");
    expect(req.headers["verification-signature"]).toBe(shown.verificationSignature);
    expect(req.headers["x-webhook-event"]).toBe("message.created");
    expect(req.headers["x-team"]).toBe("ops");
    expect(req.headers["user-agent"]).toMatch(/\S+\/\S+/);

    const body = JSON.parse(req.body);
    expect(Object.keys(body).sort()).toEqual(["data", "headers", "timestamp", "type"]);
    expect(body.type).toBe("message.created");
    expect(body.timestamp).toEqual(expect.any(Number));
    expect(Object.keys(body.data).sort()).toEqual(["fromUser", "message", "room"]);
    expect(body.data.message).toEqual(message);
    expect(Object.keys(body.data.message).sort()).toEqual(
      ["id", "fromUserId", "totalUserCount", "deliveredCount", "seenCount", "roomId", "type", "body", "createdAt", "modifiedAt", "localId", "deleted", "replyId"].sort(),
    );
    expect(body.data.message).toMatchObject({ fromUserId: sender.id, totalUserCount: 2, deliveredCount: 0, seenCount: 0, roomId: room.id, type: "text", body: { text: "test" }, localId: null, deleted: false, replyId: null });
    expect(body.data.fromUser).toEqual({ displayName: "Stjepan", avatarFileId: null });
    expect(body.data.room).toEqual({ name: "tstt", avatarFileId: null });
    expect(body.headers).toEqual({ "Content-Type": "application/json", "Verification-Signature": shown.verificationSignature });

    // Both signatures verify with the secret shown in the settings, over the exact bytes received.
    const id = String(req.headers["webhook-id"]);
    const ts = String(req.headers["webhook-timestamp"]);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(300);
    const expected = createHmac("sha256", keyOf(shown.secret)).update(`${id}.${ts}.${req.body}`).digest("base64");
    expect(String(req.headers["webhook-signature"]).split(" ")).toContain(`v1,${expected}`);
    expect(req.headers["x-signature"]).toBe(createHmac("sha256", keyOf(shown.secret)).update(req.body).digest("hex"));

    // The log shows the delivery succeeded, with the attempt as sent.
    const delivery = await deliveredDelivery(room.id, created.id);
    expect(delivery).toMatchObject({ eventId: id, event: "message.created", attempts: 1, lastStatusCode: 200, nextAttemptAt: null });
    expect(delivery.completedAt).toEqual(expect.any(Number));
    const detail = await admin.api.get(`/api/rooms/${room.id}/webhooks/${created.id}/deliveries/${delivery.id}`);
    expect(detail.body.attempts).toHaveLength(1);
    const attempt = detail.body.attempts[0];
    expect(attempt).toMatchObject({ number: 1, responseStatus: 200, requestBody: req.body, error: null });
    const sentHeaders = Object.fromEntries(Object.entries(attempt.requestHeaders).map(([k, v]) => [k.toLowerCase(), v]));
    expect(sentHeaders["verification-signature"]).toBe(shown.verificationSignature);
    expect(sentHeaders["webhook-id"]).toBe(id);
  });

  it("sends the same JSON in a payload field for a form-encoded webhook", async () => {
    receiver = await startReceiver();
    const room = await buildRoom(admin, [sender], "Form room");
    const w = await createWebhook(admin, room.id, { url: receiver.url, contentType: "application/x-www-form-urlencoded" });
    await sendText(sender, room.id, "form & friends");
    const [req] = await receiver.waitFor(1);
    expect(req!.headers["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
    const payload = new URLSearchParams(req!.body).get("payload");
    const body = JSON.parse(payload!);
    expect(body.data.message.body).toEqual({ text: "form & friends" });
    expect(body.headers).toEqual({ "Content-Type": "application/json", "Verification-Signature": w.verificationSignature });
  });
});

describe("ping, redelivery and rotation on the wire", () => {
  it("a test ping arrives as webhook.ping even when the webhook does not subscribe to it", async () => {
    receiver = await startReceiver();
    const room = await buildRoom(admin, [], "Ping room");
    const w = await createWebhook(admin, room.id, { url: receiver.url, name: "Pinger", events: ["member.removed"] });
    const res = await admin.api.post(`/api/rooms/${room.id}/webhooks/${w.id}/test`);
    expect(res.status).toBe(202);
    const [req] = await receiver.waitFor(1);
    expect(req!.headers["x-webhook-event"]).toBe("webhook.ping");
    expect(req!.headers["webhook-id"]).toBe(res.body.delivery.eventId);
    expect(req!.headers["verification-signature"]).toBe(w.verificationSignature);
    const body = JSON.parse(req!.body);
    expect(body).toEqual({
      type: "webhook.ping",
      timestamp: expect.any(Number),
      data: { webhook: { id: w.id, name: "Pinger" } },
      headers: { "Content-Type": "application/json", "Verification-Signature": w.verificationSignature },
    });
    await deliveredDelivery(room.id, w.id, res.body.delivery.id);
  });

  it("a redelivery arrives with the same webhook-id and the same body", async () => {
    receiver = await startReceiver();
    const room = await buildRoom(admin, [sender], "Redeliver room");
    const w = await createWebhook(admin, room.id, { url: receiver.url });
    await sendText(sender, room.id, "once more");
    const [first] = await receiver.waitFor(1);
    const original = await deliveredDelivery(room.id, w.id);

    const res = await admin.api.post(`/api/rooms/${room.id}/webhooks/${w.id}/deliveries/${original.id}/redeliver`);
    expect(res.status).toBe(202);
    expect(res.body.delivery).toMatchObject({ eventId: original.eventId, status: "pending" });
    const requests = await receiver.waitFor(2);
    const second = requests[1]!;
    expect(second.headers["webhook-id"]).toBe(first!.headers["webhook-id"]);
    expect(second.headers["webhook-id"]).toBe(original.eventId);
    expect(second.body).toBe(first!.body);
    await deliveredDelivery(room.id, w.id, res.body.delivery.id);
  });

  it("after a rotation the new Verification-Signature is sent and both secrets verify", async () => {
    receiver = await startReceiver();
    const room = await buildRoom(admin, [sender], "Rotate room");
    const w = await createWebhook(admin, room.id, { url: receiver.url });
    const rotated = (await admin.api.post(`/api/rooms/${room.id}/webhooks/${w.id}/rotate`)).body.webhook;
    await sendText(sender, room.id, "after rotation");
    const [req] = await receiver.waitFor(1);
    expect(req!.headers["verification-signature"]).toBe(rotated.verificationSignature);
    const signed = `${req!.headers["webhook-id"]}.${req!.headers["webhook-timestamp"]}.${req!.body}`;
    const signatures = String(req!.headers["webhook-signature"]).split(" ");
    for (const secret of [rotated.secret, w.secret]) {
      expect(signatures).toContain(`v1,${createHmac("sha256", keyOf(secret)).update(signed).digest("base64")}`);
    }
    expect(req!.headers["x-signature"]).toBe(createHmac("sha256", keyOf(rotated.secret)).update(req!.body).digest("hex"));
  });
});
