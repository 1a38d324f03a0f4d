// The error contract at the HTTP edge: malformed JSON, unknown routes, oversized bodies, unexpected errors, headers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";
import { growth, readMetrics } from "./helpers/metrics.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";

let server: TestServer;
let alice: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  alice = await buildUser(server.url);
});
afterAll(() => server.close());

describe("errors", () => {
  it("answers malformed JSON with 400 in the error shape", async () => {
    const res = await request(server.url, "POST", "/api/auth/login", { raw: "{nope", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "validation_failed", message: expect.any(String) });
  });

  it("answers unknown API routes with 404 in the error shape", async () => {
    for (const [method, path] of [["GET", "/api/nothing"], ["DELETE", "/api/rooms"], ["POST", "/api"]] as const) {
      const res = await request(server.url, method, path, { token: alice.token });
      expect(res.status, path).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
  });

  it("refuses a body over 1 MiB with 413 before validation, and accepts one just under", async () => {
    const room = await buildRoom(alice);
    const big = JSON.stringify({ body: { text: "x" }, pad: "y".repeat(1024 * 1024) });
    const res = await request(server.url, "POST", `/api/rooms/${room.id}/messages`, {
      token: alice.token, raw: big, headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe("payload_too_large");
    const ok = JSON.stringify({ body: { text: "x" }, pad: "y".repeat(1000 * 1000) });
    const fine = await request(server.url, "POST", `/api/rooms/${room.id}/messages`, {
      token: alice.token, raw: ok, headers: { "content-type": "application/json" },
    });
    expect(fine.status).toBe(201);
  });

  it("hides internals of an unexpected error behind a plain 500 with a request id", async () => {
    const room = await buildRoom(alice);
    const msg = await sendText(alice, room.id, "x");
    // Break the database under the running server: the receipts table disappears.
    await server.app.ctx.db.$executeRawUnsafe('DROP TABLE "MessageReceipt"');
    const bob = await buildUser(server.url);
    await alice.api.post(`/api/rooms/${room.id}/members`, { userId: bob.id });
    const res = await bob.api.post(`/api/messages/${msg.id}/seen`);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: { code: "internal", message: "Internal server error" } });
    expect(res.text).not.toMatch(/MessageReceipt|SELECT|at .*\.ts/);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("headers", () => {
  it("sends nosniff and a CSP with frame-ancestors, and no X-Powered-By", async () => {
    for (const path of ["/api/users/me", "/healthz", "/", "/api/nothing"]) {
      const res = await request(server.url, "GET", path);
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("content-security-policy"), path).toMatch(/frame-ancestors 'none'/);
      expect(res.headers.get("content-security-policy"), path).not.toMatch(/upgrade-insecure-requests/);
      expect(res.headers.get("x-powered-by"), path).toBeNull();
    }
  });
});

describe("operations", () => {
  it("reports health, readiness and metrics", async () => {
    expect((await request(server.url, "GET", "/healthz")).body).toEqual({ status: "ok" });
    const ready = await request(server.url, "GET", "/readyz");
    expect(ready.status).toBe(200);
    expect(ready.body.checks.database).toBe(true);
    const metrics = await request(server.url, "GET", "/metrics");
    expect(metrics.text).toMatch(/^socketio_connected_sockets \d+/m);
  });

  it("counts what happened since the last read: one request, one message", async () => {
    const healthz = 'http_requests_total{method="GET",route="/healthz",status="200"}';
    const before = await readMetrics(server.url);
    await request(server.url, "GET", "/healthz");
    await sendText(alice, (await buildRoom(alice)).id, "count me");
    const after = await readMetrics(server.url);
    expect(growth(before, after, [healthz, "chat_messages_created_total"])).toEqual({ [healthz]: 1, chat_messages_created_total: 1 });
  });
});
