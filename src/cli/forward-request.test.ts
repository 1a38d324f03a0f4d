import { describe, expect, it } from "vitest";
import { bodyBytes, forwardedHeaders, parseBinUrl, parseTargetUrl, resultLine, targetFor } from "./forward-request.ts";

describe("bin URLs", () => {
  it("finds the server and the bin id, with a path prefix too", () => {
    expect(parseBinUrl("http://localhost:3000/inspect/V1StGXR8_Z5jdHi6B-myT")).toEqual({ baseUrl: "http://localhost:3000", binId: "V1StGXR8_Z5jdHi6B-myT" });
    expect(parseBinUrl("https://chat.example.com/hookroom/inspect/abc/")).toEqual({ baseUrl: "https://chat.example.com/hookroom", binId: "abc" });
  });

  it.each(["not a url", "ftp://x/inspect/abc", "http://x/inspect/", "http://x/bins/abc", "http://x/inspect/abc/sub"])("refuses %s", (url) => {
    expect(() => parseBinUrl(url)).toThrow();
  });

  it("takes http(s) targets only", () => {
    expect(parseTargetUrl("http://localhost:8080/hooks").href).toBe("http://localhost:8080/hooks");
    expect(() => parseTargetUrl("file:///etc/passwd")).toThrow();
    expect(() => parseTargetUrl("localhost:8080")).toThrow();
  });
});

describe("the target of a caught request", () => {
  const target = new URL("http://127.0.0.1:8080/webhooks");

  it("adds the sub-path after the bin id and the query, repeated values included", () => {
    const url = targetFor(target, "bin1", { path: "/inspect/bin1/github/push", query: { a: "1", b: ["x", "y z"] } });
    expect(url.href).toBe("http://127.0.0.1:8080/webhooks/github/push?a=1&b=x&b=y+z");
  });

  it("sends the bin URL itself to the target as given, keeping the target's own query", () => {
    expect(targetFor(new URL("http://127.0.0.1:8080/in?k=v"), "bin1", { path: "/inspect/bin1", query: {} }).href).toBe("http://127.0.0.1:8080/in?k=v");
    expect(targetFor(new URL("http://127.0.0.1:8080"), "bin1", { path: "/inspect/bin1", query: {} }).href).toBe("http://127.0.0.1:8080/");
    expect(targetFor(new URL("http://127.0.0.1:8080/"), "bin1", { path: "/prefix/inspect/bin1/x%20y", query: {} }).href).toBe("http://127.0.0.1:8080/x%20y");
  });
});

describe("forwarded headers", () => {
  it("drops Host, Content-Length, Connection and the other hop-by-hop headers, and those Connection names", () => {
    const headers = {
      host: "chat.example.com",
      "content-length": "12",
      connection: "keep-alive, x-hop",
      "keep-alive": "timeout=5",
      "transfer-encoding": "chunked",
      te: "trailers",
      upgrade: "h2c",
      "proxy-authorization": "Basic x",
      expect: "100-continue",
      "x-hop": "1",
      "content-type": "application/json",
      "webhook-id": "msg_1",
      "webhook-signature": "v1,abc",
      "x-multi": ["a", "b"],
    };
    expect(forwardedHeaders(headers)).toEqual({
      "content-type": "application/json",
      "webhook-id": "msg_1",
      "webhook-signature": "v1,abc",
      "x-multi": ["a", "b"],
    });
  });
});

describe("body bytes", () => {
  it("takes bodyBase64 byte-exact when given (bodies that are not UTF-8)", () => {
    const bytes = Buffer.from([0x00, 0xff, 0xfe, 0x80, 0x7b]);
    expect(bodyBytes({ bodyBase64: bytes.toString("base64") })).toEqual(bytes);
    expect(bodyBytes({ body: "ignored", bodyBase64: "" })).toEqual(Buffer.alloc(0));
  });

  it("takes body as UTF-8 otherwise, and nothing for no body", () => {
    expect(bodyBytes({ body: '{"text":"héllo ✓"}' })).toEqual(Buffer.from('{"text":"héllo ✓"}', "utf8"));
    expect(bodyBytes({})).toEqual(Buffer.alloc(0));
  });
});

describe("output", () => {
  it("prints time, method, path, status and duration on one line", () => {
    const at = new Date(2026, 0, 2, 13, 4, 5);
    expect(resultLine(at, "POST", "/hooks?a=1", { status: 204 }, 12.4)).toBe("13:04:05 POST /hooks?a=1 -> 204 (12 ms)");
    expect(resultLine(at, "PUT", "/x", { error: "ECONNREFUSED" }, 1)).toBe("13:04:05 PUT /x -> error: ECONNREFUSED (1 ms)");
  });
});
