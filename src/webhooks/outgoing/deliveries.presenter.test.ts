import { describe, expect, it } from "vitest";
import { presentAttempt, presentDelivery, presentDeliveryDetail, type DeliveryRow } from "./deliveries.presenter.ts";
import { presentWebhook, type WebhookRow } from "./webhooks.presenter.ts";

const t = (ms: number) => new Date(ms);

const delivery: DeliveryRow & { durationMs: number | null } = {
  id: 5,
  webhookId: 2,
  eventId: "msg_abc",
  event: "message.created",
  payload: '{"type":"message.created","data":{}}',
  status: "failed",
  attempts: 2,
  nextAttemptAt: t(3000),
  lastStatusCode: 500,
  createdAt: t(1000),
  completedAt: null,
  durationMs: 42,
};

describe("presentDelivery", () => {
  it("has exactly the contract's fields plus the last attempt's durationMs, times in ms", () => {
    expect(presentDelivery(delivery)).toEqual({
      id: 5,
      webhookId: 2,
      eventId: "msg_abc",
      event: "message.created",
      status: "failed",
      attempts: 2,
      nextAttemptAt: 3000,
      lastStatusCode: 500,
      createdAt: 1000,
      completedAt: null,
      durationMs: 42,
    });
  });

  it("has a null durationMs before the first attempt", () => {
    expect(presentDelivery({ ...delivery, status: "pending", attempts: 0, durationMs: null }).durationMs).toBeNull();
  });

  it("has no next attempt once final", () => {
    expect(presentDelivery({ ...delivery, status: "succeeded", completedAt: t(4000) })).toMatchObject({ nextAttemptAt: null, completedAt: 4000 });
    expect(presentDelivery({ ...delivery, status: "dead" }).nextAttemptAt).toBeNull();
  });

  it("adds the parsed payload in the detail view", () => {
    expect(presentDeliveryDetail(delivery)).toMatchObject({ durationMs: 42, payload: { type: "message.created", data: {} } });
  });
});

describe("presentAttempt", () => {
  it("parses the stored headers and keeps the body as sent", () => {
    const attempt = presentAttempt({
      number: 1,
      startedAt: t(2000),
      durationMs: 12,
      requestHeaders: '{"webhook-id":"msg_abc"}',
      requestBody: "payload=%7B%7D",
      responseStatus: 500,
      responseHeaders: '{"content-type":"text/plain"}',
      responseBody: "oops",
      error: null,
    }, "{}");
    expect(attempt).toEqual({
      number: 1,
      startedAt: 2000,
      durationMs: 12,
      requestHeaders: { "webhook-id": "msg_abc" },
      requestBody: "payload=%7B%7D",
      responseStatus: 500,
      responseHeaders: { "content-type": "text/plain" },
      responseBody: "oops",
      error: null,
    });
  });

  it("survives a refused connection (no response) and odd stored text", () => {
    const attempt = presentAttempt({
      number: 2, startedAt: t(0), durationMs: 0, requestHeaders: "not json", requestBody: "{}",
      responseStatus: null, responseHeaders: null, responseBody: null, error: "ECONNREFUSED",
    }, "{}");
    expect(attempt.requestHeaders).toEqual({ raw: "not json" });
    expect(attempt.responseHeaders).toBeNull();
    expect(attempt.error).toBe("ECONNREFUSED");
  });

  it("shows the delivery's payload as the body of an attempt that kept none of its own", () => {
    const attempt = presentAttempt({
      number: 1, startedAt: t(0), durationMs: 3, requestHeaders: "{}", requestBody: null,
      responseStatus: 200, responseHeaders: "{}", responseBody: "", error: null,
    }, '{"type":"message.created"}');
    expect(attempt.requestBody).toBe('{"type":"message.created"}');
  });
});

describe("presentWebhook", () => {
  const row: WebhookRow = {
    id: 1, roomId: 9, name: "n", url: "http://127.0.0.1/x", events: '["message.created"]', method: "POST",
    contentType: "application/json", maxAttempts: 8, enabled: true, disabledReason: null,
    verificationSignature: "abcdefghijklmnop", secret: "whsec_x", previousSecretExpiresAt: t(10_000),
    headers: '{"X-A":"1"}', replyEnabled: false, botUserId: 4, createdAt: t(100), updatedAt: t(200),
    triggerWords: '["!deploy"]', triggerMatch: "anywhere", circuitState: "closed", circuitFailures: 2, circuitOpenUntil: null,
  };

  it("parses JSON columns, gives ms, never the previous secret", () => {
    const dto = presentWebhook({ ...row, previousSecret: "whsec_old" } as WebhookRow, { now: 5000 });
    expect(dto).toMatchObject({ events: ["message.created"], headers: { "X-A": "1" }, createdAt: 100, previousSecretExpiresAt: 10_000 });
    expect(JSON.stringify(dto)).not.toContain("whsec_old");
    expect(dto).not.toHaveProperty("previousSecret");
    expect(dto).not.toHaveProperty("deadStreak");
    expect(dto).toMatchObject({ triggerWords: ["!deploy"], triggerMatch: "anywhere", circuit: { state: "closed", failures: 2, openUntil: null } });
  });

  it("shows openUntil only while the circuit is open", () => {
    expect(presentWebhook({ ...row, circuitState: "open", circuitFailures: 5, circuitOpenUntil: t(9000) }).circuit).toEqual({ state: "open", failures: 5, openUntil: 9000 });
    expect(presentWebhook({ ...row, circuitState: "half_open", circuitFailures: 5, circuitOpenUntil: t(9000) }).circuit).toEqual({ state: "half_open", failures: 5, openUntil: null });
  });

  it("hides an expired rotation window", () => {
    expect(presentWebhook(row, { now: 20_000 }).previousSecretExpiresAt).toBeNull();
  });
});
