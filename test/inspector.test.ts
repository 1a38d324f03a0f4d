// The built-in inspector: bins, capture of any request, the last 100 kept, owner-only access and
// live pushes over Socket.IO (signatures and webhooks into a bin: inspector-signatures.test.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";
import { expectError } from "./helpers/errors.ts";
import { createBin as createBinOf, requestsOf as requestsOfBin } from "./helpers/inspector.ts";
import { buildUser, type TestUser } from "./helpers/factories.ts";
import { collect, connectSocket, emitWithAck } from "./helpers/sockets.ts";
import type { BinDto } from "../src/contracts/inspector.ts";

let server: TestServer;
let owner: TestUser, other: TestUser;

beforeAll(async () => {
  // A burst large enough for the 105 captures below (the rate limit: inspector-limits.test.ts).
  server = await startTestServer({ INSPECTOR_BURST: "1000" });
  [owner, other] = await Promise.all([1, 2].map(() => buildUser(server.url)));
});
afterAll(() => server.close());

type Bin = BinDto;

const createBin = (by = owner) => createBinOf(by);
const requestsOf = (bin: Bin, by = owner) => requestsOfBin(bin, by);

describe("bins", () => {
  it("creates a bin with an unguessable URL-safe id and its public URL", async () => {
    const a = await createBin();
    const b = await createBin();
    expect(a.id).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(a.id).not.toBe(b.id);
    expect(a.url).toBe(`http://localhost:${server.port}/inspect/${a.id}`);
    const mine = await owner.api.get("/api/inspector/bins");
    expect(mine.body.bins.map((x: Bin) => x.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    const theirs = await other.api.get("/api/inspector/bins");
    expect(theirs.body.bins.map((x: Bin) => x.id)).not.toContain(a.id);
  });

  it("needs a token for every bin route", async () => {
    const bin = await createBin();
    for (const [method, path] of [
      ["POST", "/api/inspector/bins"],
      ["GET", "/api/inspector/bins"],
      ["GET", `/api/inspector/bins/${bin.id}`],
      ["DELETE", `/api/inspector/bins/${bin.id}`],
      ["GET", `/api/inspector/bins/${bin.id}/requests`],
      ["GET", `/api/inspector/bins/${bin.id}/requests/1`],
      ["POST", `/api/inspector/bins/${bin.id}/requests/1/verify`],
    ] as const) {
      expectError(await request(server.url, method, path), 401, "unauthorized");
    }
  });

  it("shows a bin, its requests and its checks to its owner only: others get 404", async () => {
    const bin = await createBin();
    await request(server.url, "POST", `/inspect/${bin.id}`, { raw: "x" });
    const [captured] = await requestsOf(bin);
    expectError(await other.api.get(`/api/inspector/bins/${bin.id}`), 404, "not_found");
    expectError(await other.api.get(`/api/inspector/bins/${bin.id}/requests`), 404, "not_found");
    expectError(await other.api.post(`/api/inspector/bins/${bin.id}/requests/${captured!.id}/verify`, { secret: "whatever" }), 404, "not_found");
    expectError(await other.api.delete(`/api/inspector/bins/${bin.id}`), 404, "not_found");
    expect((await owner.api.get(`/api/inspector/bins/${bin.id}`)).body.bin).toEqual(bin);
  });

  it("answers 404 for unknown and malformed bin ids", async () => {
    for (const id of ["nope", "a".repeat(21), "bad%20id", "x".repeat(65)]) {
      expectError(await owner.api.get(`/api/inspector/bins/${id}/requests`), 404, "not_found");
    }
  });

  it("deletes a bin with its requests; its URL then answers 404", async () => {
    const bin = await createBin();
    await request(server.url, "POST", `/inspect/${bin.id}`, { raw: "x" });
    expect((await owner.api.delete(`/api/inspector/bins/${bin.id}`)).status).toBe(204);
    expectError(await owner.api.get(`/api/inspector/bins/${bin.id}/requests`), 404, "not_found");
    expectError(await request(server.url, "POST", `/inspect/${bin.id}`, { raw: "x" }), 404, "not_found");
    expect(await server.app.ctx.db.inspectorRequest.count({ where: { binId: bin.id } })).toBe(0);
  });
});

describe("capture", () => {
  it("catches any method, sub-path, query, headers and the raw body; answers 200", async () => {
    const bin = await createBin();
    const sent = [
      { method: "POST", path: "", body: '{"a": 1,  "b":"é"}', type: "application/json" },
      { method: "PUT", path: "/deep/sub/path", body: "plain text", type: "text/plain" },
      { method: "PATCH", path: "", body: "payload=%7B%7D", type: "application/x-www-form-urlencoded" },
      { method: "DELETE", path: "/x", body: "", type: undefined },
      { method: "GET", path: "/", body: "", type: undefined },
    ];
    for (const s of sent) {
      const res = await request(server.url, s.method, `/inspect/${bin.id}${s.path}?q=1&tag=a&tag=b`, {
        raw: s.method === "GET" || s.method === "DELETE" ? undefined : s.body,
        headers: { ...(s.type ? { "content-type": s.type } : {}), "X-Custom": `v-${s.method}` },
      });
      expect(res.status, `${s.method} ${res.text}`).toBe(200);
      expect(res.body).toEqual({ ok: true });
    }
    const got = await requestsOf(bin);
    expect(got.map((r) => r.method)).toEqual(["GET", "DELETE", "PATCH", "PUT", "POST"]);
    const [get, del, patch, put, post] = got;
    expect(post).toMatchObject({ path: `/inspect/${bin.id}`, body: '{"a": 1,  "b":"é"}', query: { q: "1", tag: ["a", "b"] } });
    expect(post!.headers).toMatchObject({ "content-type": "application/json", "x-custom": "v-POST" });
    expect(post!.sourceIp).toMatch(/127\.0\.0\.1/);
    expect(post!.at).toBeGreaterThan(Date.now() - 60_000);
    expect(put).toMatchObject({ path: `/inspect/${bin.id}/deep/sub/path`, body: "plain text" });
    expect(patch!.body).toBe("payload=%7B%7D");
    expect(del).toMatchObject({ path: `/inspect/${bin.id}/x`, body: "" });
    expect(get!.path).toBe(`/inspect/${bin.id}/`);
  });

  it("answers 404 for an unknown bin and keeps nothing", async () => {
    expectError(await request(server.url, "POST", "/inspect/no-such-bin", { raw: "x" }), 404, "not_found");
    expectError(await request(server.url, "GET", "/inspect/no-such-bin/sub"), 404, "not_found");
    expectError(await request(server.url, "GET", "/inspect/"), 404, "not_found");
  });

  it("refuses a body over 1 MiB with 413 and keeps exactly 1 MiB", async () => {
    const bin = await createBin();
    expectError(await request(server.url, "POST", `/inspect/${bin.id}`, { raw: Buffer.alloc(1024 * 1024 + 1, 0x61) }), 413, "payload_too_large");
    const ok = await request(server.url, "POST", `/inspect/${bin.id}`, { raw: Buffer.alloc(1024 * 1024, 0x61) });
    expect(ok.status).toBe(200);
    const got = await requestsOf(bin);
    expect(got).toHaveLength(1);
    expect(got[0]!.bodySize).toBe(1024 * 1024);
    const whole = await owner.api.get(`/api/inspector/bins/${bin.id}/requests/${got[0]!.id}`);
    expect(whole.body.request.body).toHaveLength(1024 * 1024);
  });

  it("keeps the last 100 per bin, newest first", async () => {
    const bin = await createBin();
    const otherBin = await createBin();
    await request(server.url, "POST", `/inspect/${otherBin.id}`, { raw: "kept elsewhere" });
    for (let i = 1; i <= 105; i++) {
      expect((await request(server.url, "POST", `/inspect/${bin.id}`, { raw: `n${i}` })).status).toBe(200);
    }
    const got = await requestsOf(bin);
    expect(got).toHaveLength(100);
    expect(got[0]!.body).toBe("n105");
    expect(got[99]!.body).toBe("n6");
    expect(await server.app.ctx.db.inspectorRequest.count({ where: { binId: bin.id } })).toBe(100);
    expect(await requestsOf(otherBin)).toHaveLength(1);
  });
});

describe("watching over Socket.IO", () => {
  it("pushes inspector:request live to the owner; a non-owner's watch acknowledges {error}", async () => {
    const bin = await createBin();
    const mine = await connectSocket(server.url, owner.token);
    const theirs = await connectSocket(server.url, other.token);
    try {
      expect(await emitWithAck(mine, "inspector:watch", { binId: bin.id })).toEqual({ ok: true });
      const denied = await emitWithAck(theirs, "inspector:watch", { binId: bin.id });
      expect(denied.error.code).toBe("not_found");
      expect((await emitWithAck(theirs, "inspector:watch", { binId: "" })).error.code).toBe("validation_failed");
      const ownerEvents = collect(mine, "inspector:request");
      const otherEvents = collect(theirs, "inspector:request");

      await request(server.url, "PUT", `/inspect/${bin.id}/live?x=1`, { raw: "live body", headers: { "x-live": "yes" } });
      const [event] = await ownerEvents.waitFor(1);
      expect(event!.binId).toBe(bin.id);
      expect(event!.request).toMatchObject({ method: "PUT", path: `/inspect/${bin.id}/live`, query: { x: "1" }, body: "live body" });
      expect(event!.request.headers["x-live"]).toBe("yes");
      const [stored] = await requestsOf(bin);
      expect(event!.request).toEqual(stored);

      // After unwatch, nothing more arrives; a later event on a watched bin proves the socket is live.
      expect(await emitWithAck(mine, "inspector:unwatch", { binId: bin.id })).toEqual({ ok: true });
      const second = await createBin();
      expect(await emitWithAck(mine, "inspector:watch", { binId: second.id })).toEqual({ ok: true });
      await request(server.url, "POST", `/inspect/${bin.id}`, { raw: "unwatched" });
      await request(server.url, "POST", `/inspect/${second.id}`, { raw: "watched" });
      const events = await ownerEvents.waitFor(2);
      expect(events.map((e) => e.request.body)).toEqual(["live body", "watched"]);
      expect(otherEvents.items).toEqual([]);
    } finally {
      mine.close();
      theirs.close();
    }
  });
});
