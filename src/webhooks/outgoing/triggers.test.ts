import { describe, expect, it } from "vitest";
import { readTriggers, triggersAllow } from "./triggers.ts";

const first = (...words: string[]) => ({ words, match: "first_word" as const });
const anywhere = (...words: string[]) => ({ words, match: "anywhere" as const });

describe("trigger words", () => {
  it("lets everything through without trigger words", () => {
    expect(triggersAllow(first(), "message.created", "anything at all")).toBe(true);
    expect(triggersAllow(anywhere(), "message.updated", "")).toBe(true);
  });

  it("first_word: the text's first word must equal one of them, ignoring case", () => {
    const t = first("!deploy", "Build");
    expect(triggersAllow(t, "message.created", "!deploy api to production")).toBe(true);
    expect(triggersAllow(t, "message.created", "!DEPLOY")).toBe(true);
    expect(triggersAllow(t, "message.created", "build now")).toBe(true);
    expect(triggersAllow(t, "message.created", "please !deploy")).toBe(false);
    expect(triggersAllow(t, "message.created", "!deployment started")).toBe(false);
    // Only whitespace separates words: punctuation belongs to the word it touches.
    expect(triggersAllow(t, "message.created", "!deploy, now")).toBe(false);
  });

  it("anywhere: any word of the text", () => {
    const t = anywhere("urgent");
    expect(triggersAllow(t, "message.created", "this is URGENT please")).toBe(true);
    expect(triggersAllow(t, "message.created", "not urgently")).toBe(false);
    expect(triggersAllow(t, "message.created", "urgent!")).toBe(false);
  });

  it("words are separated by any whitespace, leading whitespace included", () => {
    expect(triggersAllow(first("go"), "message.created", "  \n\tgo\u00a0now")).toBe(true);
    expect(triggersAllow(anywhere("now"), "message.created", "go\u00a0now")).toBe(true);
    expect(triggersAllow(anywhere("now"), "message.created", "go\u2003now")).toBe(true);
  });

  it("filters message.created and message.updated only", () => {
    const t = first("!deploy");
    expect(triggersAllow(t, "message.updated", "hello")).toBe(false);
    expect(triggersAllow(t, "message.updated", "!deploy again")).toBe(true);
    for (const e of ["message.deleted", "member.added", "member.removed", "room.updated", "webhook.ping"]) {
      expect(triggersAllow(t, e, undefined)).toBe(true);
    }
  });

  it("a message without text never matches", () => {
    expect(triggersAllow(anywhere("x"), "message.created", undefined)).toBe(false);
    expect(triggersAllow(anywhere("x"), "message.created", "   ")).toBe(false);
  });

  it("reads the stored columns, and anything unreadable as no filter", () => {
    expect(readTriggers('["a","b"]', "anywhere")).toEqual({ words: ["a", "b"], match: "anywhere" });
    expect(readTriggers("not json", "first_word")).toEqual({ words: [], match: "first_word" });
    expect(readTriggers('{"a":1}', "what")).toEqual({ words: [], match: "first_word" });
  });
});
