// /metrics behind METRICS_TOKEN, and a Content-Security-Policy whose connect-src names only the
// server's own origin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";

const METRICS_TOKEN = "metrics-token-for-the-scraper-only";

let guarded: TestServer;
let open: TestServer;
beforeAll(async () => {
  [guarded, open] = await Promise.all([startTestServer({ METRICS_TOKEN }), startTestServer({ PUBLIC_URL: "https://chat.example.com" })]);
});
afterAll(() => Promise.all([guarded.close(), open.close()]));

describe("/metrics with METRICS_TOKEN", () => {
  it("answers 401 in the error shape without the token or with a wrong one", async () => {
    for (const authorization of [undefined, "Bearer wrong-token", `Bearer ${METRICS_TOKEN}x`, METRICS_TOKEN, `Basic ${METRICS_TOKEN}`, `Bearer ${METRICS_TOKEN.slice(1)}`]) {
      const res = await request(guarded.url, "GET", "/metrics", { headers: authorization ? { authorization } : {} });
      expect(res.status, String(authorization)).toBe(401);
      expect(res.body.error).toMatchObject({ code: "unauthorized", message: expect.any(String) });
      expect(res.text).not.toMatch(/http_requests_total/);
    }
  });

  it("serves the metrics with the token, and leaves /healthz and /readyz open", async () => {
    const res = await request(guarded.url, "GET", "/metrics", { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^http_requests_total\{/m);
    expect((await request(guarded.url, "GET", "/healthz")).status).toBe(200);
    expect((await request(guarded.url, "GET", "/readyz")).status).toBe(200);
  });

  it("is open when METRICS_TOKEN is unset", async () => {
    expect((await request(open.url, "GET", "/metrics")).status).toBe(200);
  });
});

describe("Content-Security-Policy connect-src", () => {
  const connectSrc = (csp: string | null) => /connect-src ([^;]*)/.exec(csp ?? "")?.[1]?.split(" ");

  it("is 'self' only without PUBLIC_URL: no ws: or wss: wildcard for any host", async () => {
    const res = await request(guarded.url, "GET", "/");
    expect(connectSrc(res.headers.get("content-security-policy"))).toEqual(["'self'"]);
  });

  it("names PUBLIC_URL's origin and its WebSocket form, nothing else", async () => {
    const res = await request(open.url, "GET", "/");
    expect(connectSrc(res.headers.get("content-security-policy"))).toEqual(["'self'", "https://chat.example.com", "wss://chat.example.com"]);
  });
});
