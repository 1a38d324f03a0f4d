import { describe, expect, it } from "vitest";
import type { WebhookDto } from "../api/types.ts";
import { circuitNotice, parseHeaders, parseTriggerWords, toFormState, toWebhookInput, validateForm, webhookStatus } from "./webhook-form.ts";

const webhook: WebhookDto = {
  id: 1,
  roomId: 2,
  name: "CI",
  url: "https://example.test/hook",
  events: ["message.created", "member.added"],
  method: "PUT",
  contentType: "application/x-www-form-urlencoded",
  maxAttempts: 3,
  enabled: false,
  disabledReason: "5 deliveries in a row failed",
  verificationSignature: "abcdEFGH12345678",
  secret: "whsec_x",
  headers: { "X-Team": "blue" },
  replyEnabled: true,
  triggerWords: ["!deploy", "!status"],
  triggerMatch: "anywhere",
  circuit: { state: "closed", failures: 0, openUntil: null },
  createdAt: 1,
  updatedAt: 1,
  botUserId: 9,
  previousSecretExpiresAt: null,
  lastDelivery: null,
};

describe("webhook form", () => {
  it("starts a new webhook with the API's defaults", () => {
    const state = toFormState();
    expect(state).toMatchObject({ method: "POST", contentType: "application/json", maxAttempts: "8", enabled: true });
    expect(state.events).toEqual(["message.created"]);
    expect(validateForm(state).url).toMatch(/URL/);
  });

  it("round-trips an existing webhook without sending its secret back", () => {
    const input = toWebhookInput(toFormState(webhook));
    expect(input).toMatchObject({
      name: "CI",
      url: "https://example.test/hook",
      method: "PUT",
      maxAttempts: 3,
      enabled: false,
      headers: { "X-Team": "blue" },
      replyEnabled: true,
    });
    expect(input.events).toEqual(["message.created", "member.added"]);
    expect(input).not.toHaveProperty("secret");
    expect(input).toMatchObject({ triggerWords: ["!deploy", "!status"], triggerMatch: "anywhere" });
    expect(toFormState(webhook).triggerWords).toBe("!deploy, !status");
    expect(toFormState()).toMatchObject({ triggerWords: "", triggerMatch: "first_word" });
    expect(toWebhookInput(toFormState())).toMatchObject({ triggerWords: [], triggerMatch: "first_word" });
  });

  it("reads trigger words comma-separated, and refuses one with a space", () => {
    expect(parseTriggerWords(" !deploy ,, Build,")).toEqual(["!deploy", "Build"]);
    expect(validateForm({ ...toFormState(), url: "http://x.test/", triggerWords: "!deploy now, build" }).triggerWords).toMatch(/commas/);
    expect(validateForm({ ...toFormState(), url: "http://x.test/", triggerWords: "!deploy, build" })).toEqual({});
  });

  it("says what the circuit is doing, and nothing while it is closed", () => {
    const time = (ms: number) => `T${ms}`;
    expect(circuitNotice(webhook.circuit, time)).toBeNull();
    expect(circuitNotice({ state: "open", failures: 5, openUntil: 9 }, time)).toEqual({
      label: "circuit open",
      text: "Circuit open until T9 after 5 failed attempts in a row: nothing is sent meanwhile, and no attempt is used up.",
    });
    expect(circuitNotice({ state: "half_open", failures: 1, openUntil: null }, time)?.text).toMatch(/half open: one delivery is being tried after 1 failed attempt in/);
  });

  it("names each field that is wrong", () => {
    const errors = validateForm({
      ...toFormState(),
      url: "ftp://x",
      maxAttempts: "21",
      events: [],
      secret: "short",
      headers: "no colon here",
    });
    expect(Object.keys(errors).sort()).toEqual(["events", "headers", "maxAttempts", "secret", "url"]);
    expect(validateForm({ ...toFormState(), url: "http://127.0.0.1:9/x", secret: "s".repeat(16) })).toEqual({});
  });

  it("parses custom headers and refuses ones the server sets", () => {
    expect(parseHeaders("X-A: 1\n\n  X-B:two words  ")).toEqual({ headers: { "X-A": "1", "X-B": "two words" } });
    expect(parseHeaders("Bad Name: 1")).toHaveProperty("error");
    expect(parseHeaders("webhook-signature: forged")).toHaveProperty("error");
  });

  it("describes the status with the reason it was disabled", () => {
    expect(webhookStatus(webhook)).toEqual({ label: "disabled", tone: "bad", reason: "5 deliveries in a row failed" });
    expect(webhookStatus({ ...webhook, enabled: true }).label).toBe("active");
    expect(webhookStatus({ ...webhook, disabledReason: null }).label).toBe("paused");
  });
});
