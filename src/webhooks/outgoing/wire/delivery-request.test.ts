import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { buildDeliveryRequest, USER_AGENT, type WebhookForSend } from "./delivery-request.ts";
import { signXSignature } from "../../signatures.ts";

const webhook: WebhookForSend = {
  id: 1,
  roomId: 2,
  url: "http://example.invalid/hook",
  method: "POST",
  contentType: "application/json",
  verificationSignature: "9JOLCJUVylQxxdhX",
  secret: "whsec_" + Buffer.from("k".repeat(32)).toString("base64"),
  previousSecret: null,
  previousSecretExpiresAt: null,
  headers: JSON.stringify({ "X-Team": "blue", "content-type": "text/evil", "Webhook-Id": "forged" }),
};
const delivery = { eventId: "msg_abc", event: "message.created", payload: '{"type":"message.created","text":"a b&c=d é"}' };

describe("buildDeliveryRequest", () => {
  it("sets the contract's headers; custom headers never replace one of them", () => {
    const now = 1_700_000_000_123;
    const { headers, body } = buildDeliveryRequest(webhook, delivery, now);
    expect(body).toBe(delivery.payload);
    expect(headers).toMatchObject({
      "Content-Type": "application/json",
      "Verification-Signature": "9JOLCJUVylQxxdhX",
      "User-Agent": USER_AGENT,
      "webhook-id": "msg_abc",
      "webhook-timestamp": "1700000000",
      "X-Webhook-Event": "message.created",
      "X-Team": "blue",
    });
    expect(USER_AGENT).toMatch(/^[\w@/.-]+\/\d+\.\d+\.\d+/);
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === "content-type")).toEqual(["Content-Type"]);
    expect(Object.keys(headers).filter((k) => k.toLowerCase() === "webhook-id")).toEqual(["webhook-id"]);
    expect(headers["X-Signature"]).toBe(signXSignature(webhook.secret, body));
  });

  it("sends form webhooks `payload=<urlencoded JSON>` and signs those bytes", () => {
    const { headers, body } = buildDeliveryRequest({ ...webhook, contentType: "application/x-www-form-urlencoded" }, delivery);
    expect(headers["Content-Type"]).toBe("application/x-www-form-urlencoded");
    expect(body).toBe(`payload=${encodeURIComponent(delivery.payload)}`);
    expect(new URLSearchParams(body).get("payload")).toBe(delivery.payload);
    expect(headers["X-Signature"]).toBe(signXSignature(webhook.secret, body));
    expect(() => new Webhook(webhook.secret).verify(body, headers, { jsonParse: false } as never)).not.toThrow();
  });

  it("tolerates unreadable custom headers", () => {
    const { headers } = buildDeliveryRequest({ ...webhook, headers: "not json" }, delivery);
    expect(headers["X-Team"]).toBeUndefined();
  });
});
