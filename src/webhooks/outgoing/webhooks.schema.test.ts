import { describe, expect, it } from "vitest";
import type { ZodType } from "zod";
import { createWebhookBody, deliveriesQuery, isReservedHeader, replayBody, updateWebhookBody } from "./webhooks.schema.ts";

/** The field paths a schema complains about, or [] when the input passes. */
function failingPaths(schema: ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  return result.success ? [] : result.error.issues.map((i) => i.path.join("."));
}

const url = "https://example.com/hook";

describe("createWebhookBody", () => {
  it("fills the contract's defaults", () => {
    expect(createWebhookBody.parse({ url })).toEqual({
      url,
      events: ["message.created"],
      method: "POST",
      contentType: "application/json",
      maxAttempts: 8,
      enabled: true,
      headers: {},
      replyEnabled: false,
      triggerWords: [],
      triggerMatch: "first_word",
    });
  });

  it("keeps trigger words trimmed, once each whatever their case", () => {
    const parsed = createWebhookBody.parse({ url, triggerWords: [" !deploy ", "Build", "build", "!DEPLOY"], triggerMatch: "anywhere" });
    expect(parsed).toMatchObject({ triggerWords: ["!deploy", "Build"], triggerMatch: "anywhere" });
  });

  it("drops unknown fields and repeated events", () => {
    const parsed = createWebhookBody.parse({ url, events: ["room.updated", "room.updated"], id: 7, botUserId: 1 });
    expect(parsed.events).toEqual(["room.updated"]);
    expect(parsed).not.toHaveProperty("id");
    expect(parsed).not.toHaveProperty("botUserId");
  });

  it.each([
    "ftp://example.com/x",
    "javascript:alert(1)",
    "file:///etc/passwd",
    "http://",
    "example.com/hook",
    "",
    "https://" + "a".repeat(2048) + ".com",
  ])("refuses the url %j", (bad) => {
    expect(failingPaths(createWebhookBody, { url: bad })).toEqual(["url"]);
  });

  it("accepts http and https URLs with a port, path and query", () => {
    for (const good of ["http://127.0.0.1:8080/a?b=c", "https://hooks.example.org/x/y", "http://[::1]:9/"]) {
      expect(failingPaths(createWebhookBody, { url: good })).toEqual([]);
    }
  });

  it.each([
    [{ url, events: [] }, "events"],
    [{ url, events: ["message.sent"] }, "events.0"],
    [{ url, events: "message.created" }, "events"],
    [{ url, method: "GET" }, "method"],
    [{ url, method: "post" }, "method"],
    [{ url, contentType: "text/plain" }, "contentType"],
    [{ url, maxAttempts: 0 }, "maxAttempts"],
    [{ url, maxAttempts: 21 }, "maxAttempts"],
    [{ url, maxAttempts: 2.5 }, "maxAttempts"],
    [{ url, maxAttempts: "3" }, "maxAttempts"],
    [{ url, enabled: "yes" }, "enabled"],
    [{ url, replyEnabled: 1 }, "replyEnabled"],
    [{ url, secret: "short" }, "secret"],
    [{ url, secret: "x".repeat(129) }, "secret"],
    [{ url, secret: "has spaces in it, sadly" }, "secret"],
    [{ url, name: "" }, "name"],
    [{ url, name: "   " }, "name"],
    [{ url, name: "n".repeat(101) }, "name"],
    [{ url, headers: [] }, "headers"],
    [{ url, headers: "X-A: 1" }, "headers"],
    [{ url, headers: { "X-Num": 1 } }, "headers.X-Num"],
    [{ url, headers: { "Bad Name": "1" } }, "headers.Bad Name"],
    [{ url, headers: { "X-Evil": "a\r\nInjected: 1" } }, "headers.X-Evil"],
    [{ url, headers: { "X-Long": "v".repeat(4097) } }, "headers.X-Long"],
    [{ url, headers: { "X-A": "1", "x-a": "2" } }, "headers.x-a"],
    [{ url, triggerWords: "!deploy" }, "triggerWords"],
    [{ url, triggerWords: "!deploy, build" }, "triggerWords"],
    [{ url, triggerWords: [1] }, "triggerWords.0"],
    [{ url, triggerWords: [""] }, "triggerWords.0"],
    [{ url, triggerWords: ["  "] }, "triggerWords.0"],
    [{ url, triggerWords: ["two words"] }, "triggerWords.0"],
    [{ url, triggerWords: ["x".repeat(101)] }, "triggerWords.0"],
    [{ url, triggerWords: Array.from({ length: 51 }, (_, i) => `w${i}`) }, "triggerWords"],
    [{ url, triggerMatch: "exact" }, "triggerMatch"],
    [{ url, triggerMatch: "FIRST_WORD" }, "triggerMatch"],
  ])("refuses %j naming %s", (input, field) => {
    expect(failingPaths(createWebhookBody, input)).toContain(field);
  });

  it.each([
    "Content-Type",
    "content-type",
    "Content-Length",
    "Verification-Signature",
    "webhook-id",
    "Webhook-Signature",
    "WEBHOOK-TIMESTAMP",
    "webhook-anything",
    "X-Signature",
    "x-webhook-event",
    "User-Agent",
    "Host",
    "Transfer-Encoding",
  ])("refuses a custom header %s that would override ours", (name) => {
    expect(failingPaths(createWebhookBody, { url, headers: { [name]: "x" } })).toEqual([`headers.${name}`]);
  });

  it("accepts ordinary custom headers", () => {
    const headers = { Authorization: "Bearer abc", "X-Team": "ops", "X-Empty": "" };
    expect(createWebhookBody.parse({ url, headers }).headers).toEqual(headers);
  });

  it("refuses more than 20 custom headers", () => {
    const headers = Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, "v"]));
    expect(failingPaths(createWebhookBody, { url, headers })).toEqual(["headers"]);
  });
});

describe("isReservedHeader", () => {
  it("covers the sender's headers in any case, and nothing ordinary", () => {
    expect(isReservedHeader("WEBHOOK-ID")).toBe(true);
    expect(isReservedHeader("x-signature")).toBe(true);
    expect(isReservedHeader("X-Signature-Extra")).toBe(false);
    expect(isReservedHeader("Authorization")).toBe(false);
  });
});

describe("updateWebhookBody", () => {
  it("needs at least one field", () => {
    expect(updateWebhookBody.safeParse({}).success).toBe(false);
    expect(updateWebhookBody.safeParse({ unknown: 1 }).success).toBe(false);
    expect(updateWebhookBody.parse({ enabled: false })).toEqual({ enabled: false });
  });

  it("validates the fields it is given like create does", () => {
    expect(failingPaths(updateWebhookBody, { url: "ftp://x" })).toEqual(["url"]);
    expect(failingPaths(updateWebhookBody, { events: [] })).toEqual(["events"]);
    expect(failingPaths(updateWebhookBody, { headers: { Host: "evil" } })).toEqual(["headers.Host"]);
  });
});

describe("deliveriesQuery", () => {
  it("defaults limit to 50 and coerces query strings", () => {
    expect(deliveriesQuery.parse({})).toEqual({ limit: 50 });
    expect(deliveriesQuery.parse({ status: "dead", before: "12", limit: "100" })).toEqual({ status: "dead", before: 12, limit: 100 });
    expect(deliveriesQuery.parse({ event: "member.added" })).toEqual({ event: "member.added", limit: 50 });
  });

  it.each([
    [{ status: "done" }, "status"],
    [{ event: "message.sent" }, "event"],
    [{ event: "" }, "event"],
    [{ limit: "0" }, "limit"],
    [{ limit: "101" }, "limit"],
    [{ limit: "ten" }, "limit"],
    [{ before: "0" }, "before"],
    [{ before: "-1" }, "before"],
    [{ before: "x" }, "before"],
  ])("refuses %j naming %s", (input, field) => {
    expect(failingPaths(deliveriesQuery, input)).toEqual([field]);
  });
});

describe("replayBody", () => {
  it("defaults statuses to dead, once each", () => {
    expect(replayBody.parse({ since: 0 })).toEqual({ since: 0, statuses: ["dead"] });
    expect(replayBody.parse({ since: 1767000000000, statuses: ["failed", "dead", "failed"] })).toEqual({ since: 1767000000000, statuses: ["failed", "dead"] });
  });

  it.each([
    [{}, "since"],
    [{ since: "1767000000000" }, "since"],
    [{ since: 1.5 }, "since"],
    [{ since: -1 }, "since"],
    [{ since: 8.64e15 + 1 }, "since"],
    [{ since: 0, statuses: [] }, "statuses"],
    [{ since: 0, statuses: "dead" }, "statuses"],
    [{ since: 0, statuses: ["pending"] }, "statuses.0"],
    [{ since: 0, statuses: ["DEAD"] }, "statuses.0"],
  ])("refuses %j naming %s", (input, field) => {
    expect(failingPaths(replayBody, input)).toEqual([field]);
  });
});
