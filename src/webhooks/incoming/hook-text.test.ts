import { describe, expect, it } from "vitest";
import { bodyKind, decodeHookBody, slackText } from "./hook-text.ts";
import { HookRefusal } from "./refusal.ts";

function refusal(fn: () => unknown): { status: number; reason: string; paths: string[] } {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof HookRefusal)) throw err;
    return { status: err.status, reason: err.reason, paths: (err.details as { path: string }[] | undefined)?.map((d) => d.path) ?? [] };
  }
  throw new Error("expected a refusal");
}

describe("Slack's text rule", () => {
  it("takes text alone", () => {
    expect(slackText({ text: "Build 42 passed", username: "ci", icon_emoji: ":x:", channel: "#x", blocks: [] })).toBe("Build 42 passed");
  });

  it("puts text, then each attachment's pretext, title and text, each on its own line", () => {
    const body = {
      text: "Deploy finished",
      attachments: [
        { pretext: "Production", title: "v1.4.2", text: "3 services", fallback: "never shown", color: "good", fields: [{ title: "x" }] },
        { title: "Rollback plan", fallback: "not this either" },
      ],
    };
    expect(slackText(body)).toBe("Deploy finished\nProduction\nv1.4.2\n3 services\nRollback plan");
  });

  it("uses an attachment's fallback only when none of pretext, title and text is a non-empty string", () => {
    expect(slackText({ attachments: [{ pretext: "", title: null, fallback: "Fallback line", color: "#f00" }, { text: "second" }] })).toBe(
      "Fallback line\nsecond",
    );
    expect(slackText({ text: "", attachments: [{ fallback: "only this" }] })).toBe("only this");
  });

  it("skips empty parts and attachments that give nothing", () => {
    expect(slackText({ text: "top", attachments: [{}, { fallback: "" }, { image_url: "https://x" }] })).toBe("top");
  });

  it.each([
    ["no text at all", {}, "no text", "text"],
    ["only empty strings", { text: "", attachments: [{ title: "" }] }, "no text", "text"],
    ["blank lines", { text: "  ", attachments: [{ title: "\n" }] }, "no text", "text"],
    ["a number as text", { text: 42 }, "invalid body", "text"],
    ["attachments that are not a list", { text: "x", attachments: { title: "y" } }, "invalid body", "attachments"],
    ["an attachment that is not an object", { attachments: ["x"] }, "invalid body", "attachments.0"],
    ["a title that is not a string", { attachments: [{ title: 7 }] }, "invalid body", "attachments.0.title"],
    ["a list", [{ text: "x" }], "invalid body", ""],
    ["a string", "text", "invalid body", ""],
    ["null", null, "invalid body", ""],
    ["10,001 characters", { text: "x".repeat(10_001) }, "text too long", "text"],
    ["a lone surrogate", { text: "bad \ud800 text" }, "invalid text", "text"],
  ])("refuses %s with 400", (_label, body, reason, path) => {
    expect(refusal(() => slackText(body))).toEqual({ status: 400, reason, paths: [path] });
  });

  it("counts the joined text against the 10,000-character limit", () => {
    expect(slackText({ text: "a".repeat(4999), attachments: [{ text: "b".repeat(5000) }] })).toHaveLength(10_000);
    expect(refusal(() => slackText({ text: "a".repeat(5000), attachments: [{ text: "b".repeat(5000) }] })).reason).toBe("text too long");
  });
});

describe("decoding the body", () => {
  it.each([
    ["application/json", "json"],
    ["application/json; charset=utf-8", "json"],
    ["Application/JSON", "json"],
    ["application/vnd.api+json", "json"],
    ["application/x-www-form-urlencoded", "form"],
    ["application/x-www-form-urlencoded; charset=utf-8", "form"],
    ["text/plain", "other"],
    ["multipart/form-data; boundary=x", "other"],
    [undefined, "other"],
  ] as const)("%s is %s", (type, kind) => {
    expect(bodyKind(type)).toBe(kind);
  });

  it("reads JSON, and a form's payload field (URL-encoded JSON)", () => {
    expect(decodeHookBody(Buffer.from('{"text":"hi"}'), "json")).toEqual({ json: { text: "hi" }, text: '{"text":"hi"}' });
    const form = `payload=${encodeURIComponent('{"text":"a+b & c"}')}&other=1`;
    expect(decodeHookBody(Buffer.from(form), "form").json).toEqual({ text: "a+b & c" });
    // '+' is a space in a form, as Slack's clients send it.
    expect(decodeHookBody(Buffer.from('payload={"text":"two+words"}'), "form").json).toEqual({ text: "two words" });
  });

  it.each([
    ["malformed JSON", "{nope", "json", 400, "malformed JSON"],
    ["a form without payload", "text=hello", "form", 400, "no payload field"],
    ["a form with payload twice", "payload=%7B%7D&payload=%7B%7D", "form", 400, "no payload field"],
    ["a form whose payload is not JSON", "payload=hello", "form", 400, "malformed JSON"],
    ["another content type", '{"text":"x"}', "other", 415, "unsupported content type"],
  ] as const)("refuses %s", (_label, raw, kind, status, reason) => {
    expect(refusal(() => decodeHookBody(Buffer.from(raw), kind))).toMatchObject({ status, reason });
  });
});
