import { describe, expect, it } from "vitest";
import { formatHeaderBlock, headerValue, prettyBody } from "./pretty.ts";

describe("prettyBody", () => {
  it("indents JSON", () => {
    expect(prettyBody('{"a":{"b":1}}')).toEqual({ kind: "json", text: '{\n  "a": {\n    "b": 1\n  }\n}' });
  });

  it("decodes a form-encoded payload holding JSON", () => {
    const body = "payload=" + encodeURIComponent('{"type":"webhook.ping"}');
    const pretty = prettyBody(body, "application/x-www-form-urlencoded");
    expect(pretty.kind).toBe("form");
    expect(pretty.text).toBe('payload =\n{\n  "type": "webhook.ping"\n}');
  });

  it("leaves other text alone and reports empty bodies", () => {
    expect(prettyBody("hello world")).toEqual({ kind: "text", text: "hello world" });
    expect(prettyBody("{not json")).toEqual({ kind: "text", text: "{not json" });
    expect(prettyBody("").kind).toBe("empty");
    expect(prettyBody(null).kind).toBe("empty");
  });
});

describe("headers", () => {
  it("finds values case-insensitively and lists them sorted", () => {
    const headers = { "X-Signature": "ab", "content-type": "application/json", accept: ["a", "b"] };
    expect(headerValue(headers, "x-signature")).toBe("ab");
    expect(headerValue(headers, "Accept")).toBe("a, b");
    expect(formatHeaderBlock(headers)).toBe("accept: a, b\ncontent-type: application/json\nX-Signature: ab");
  });
});
