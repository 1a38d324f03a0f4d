// The inspector's limits (README, "Inspect what a webhook sends"): bodies kept byte-exact (bodyBase64 for bytes that
// are not UTF-8), lists and pushes cut at 64 KiB, the whole body by id, 10 MiB of bodies per bin,
// and a capture rate limit per bin. Sizes are asserted, not memory or time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";
import { buildUser, type TestUser } from "./helpers/factories.ts";
import { collect, connectSocket, emitWithAck } from "./helpers/sockets.ts";
import type { BinDto, InspectorRequestDto } from "../src/contracts/inspector.ts";

const KiB = 1024;
const MiB = 1024 * KiB;

let server: TestServer;
let owner: TestUser, other: TestUser;

beforeAll(async () => {
  // A burst large enough for the many captures below; the limit itself has its own server.
  server = await startTestServer({ INSPECTOR_BURST: "10000" });
  [owner, other] = await Promise.all([1, 2].map(() => buildUser(server.url)));
});
afterAll(() => server.close());

type Bin = BinDto;

async function createBin(on = server, by = owner): Promise<Bin> {
  const res = await by.api.post("/api/inspector/bins");
  expect(res.status, res.text).toBe(201);
  return res.body.bin;
}

async function capture(bin: Bin, raw: Buffer | string, on = server) {
  const res = await request(on.url, "POST", `/inspect/${bin.id}`, { raw, headers: { "content-type": "application/octet-stream" } });
  expect(res.status, res.text).toBe(200);
}

async function list(bin: Bin) {
  const res = await owner.api.get(`/api/inspector/bins/${bin.id}/requests`);
  expect(res.status, res.text).toBe(200);
  return { requests: res.body.requests as InspectorRequestDto[], bytes: Buffer.byteLength(res.text) };
}

async function byId(bin: Bin, id: number): Promise<InspectorRequestDto> {
  const res = await owner.api.get(`/api/inspector/bins/${bin.id}/requests/${id}`);
  expect(res.status, res.text).toBe(200);
  return res.body.request;
}

/** Every byte value, twice: not UTF-8 (0x80 alone, 0xff, ...). */
const binary = Buffer.concat([Buffer.from(Array.from({ length: 256 }, (_, i) => i)), Buffer.from(Array.from({ length: 256 }, (_, i) => 255 - i))]);

describe("bodies are kept byte-exact", () => {
  it("bytes that are not UTF-8 come as bodyBase64 (no body) in the list, the push and by id", async () => {
    const bin = await createBin();
    const socket = await connectSocket(server.url, owner.token);
    try {
      expect(await emitWithAck(socket, "inspector:watch", { binId: bin.id })).toEqual({ ok: true });
      const pushed = collect(socket, "inspector:request");
      await capture(bin, binary);
      const [event] = await pushed.waitFor(1);
      const [listed] = (await list(bin)).requests;
      const whole = await byId(bin, listed!.id);
      for (const shown of [event!.request, listed!, whole]) {
        expect(shown).not.toHaveProperty("body");
        expect(Buffer.from(shown.bodyBase64!, "base64").equals(binary)).toBe(true);
        expect(shown).toMatchObject({ bodyTruncated: false, bodySize: binary.length });
      }
    } finally {
      socket.close();
    }
  });

  it("stores exactly the bytes received (no U+FFFD inflation)", async () => {
    const bin = await createBin();
    await capture(bin, binary);
    const [row] = await server.app.ctx.db.$queryRawUnsafe<{ stored: number }[]>(
      'SELECT length("bodyHead") + length("bodyTail") AS "stored" FROM "InspectorRequest" WHERE "binId" = ?',
      bin.id,
    );
    expect(Number(row!.stored)).toBe(binary.length);
  });

  it("valid UTF-8 comes as body text; an empty body as an empty string", async () => {
    const bin = await createBin();
    await capture(bin, "héllo 👋");
    await capture(bin, "");
    const [empty, text] = (await list(bin)).requests;
    expect(text).toMatchObject({ body: "héllo 👋", bodyTruncated: false, bodySize: Buffer.byteLength("héllo 👋") });
    expect(text).not.toHaveProperty("bodyBase64");
    expect(empty).toMatchObject({ body: "", bodyTruncated: false, bodySize: 0 });
  });
});

describe("64 KiB in lists and pushes, the whole body by id", () => {
  // "é" (2 bytes) straddles the 64 KiB boundary: the preview stops before it, never at half a character.
  const text = "a".repeat(64 * KiB - 1) + "é" + "b".repeat(100 * KiB);

  it("cuts text at 64 KiB with bodyTruncated in the list and the push; GET by id has all of it", async () => {
    const bin = await createBin();
    const socket = await connectSocket(server.url, owner.token);
    try {
      await emitWithAck(socket, "inspector:watch", { binId: bin.id });
      const pushed = collect(socket, "inspector:request");
      await capture(bin, text);
      const [event] = await pushed.waitFor(1);
      const [listed] = (await list(bin)).requests;
      for (const shown of [event!.request, listed!]) {
        expect(shown.bodyTruncated).toBe(true);
        expect(shown.body).toBe("a".repeat(64 * KiB - 1));
        expect(shown.bodySize).toBe(Buffer.byteLength(text));
      }
      const whole = await byId(bin, listed!.id);
      expect(whole).toMatchObject({ body: text, bodyTruncated: false, bodySize: Buffer.byteLength(text) });
    } finally {
      socket.close();
    }
  });

  it("cuts bytes that are not UTF-8 at exactly 64 KiB, base64-encoded", async () => {
    const bin = await createBin();
    const bytes = Buffer.alloc(200 * KiB);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7 + 0x80) & 0xff;
    await capture(bin, bytes);
    const [listed] = (await list(bin)).requests;
    expect(listed!.bodyTruncated).toBe(true);
    expect(Buffer.from(listed!.bodyBase64!, "base64").equals(bytes.subarray(0, 64 * KiB))).toBe(true);
    const whole = await byId(bin, listed!.id);
    expect(Buffer.from(whole.bodyBase64!, "base64").equals(bytes)).toBe(true);
  });

  it("shows a request to its bin's owner only: others, unknown ids, another bin's request and no token are refused", async () => {
    const bin = await createBin();
    const otherBin = await createBin();
    await capture(bin, "mine");
    const [mine] = (await list(bin)).requests;
    const path = `/api/inspector/bins/${bin.id}/requests/${mine!.id}`;
    for (const res of [
      await other.api.get(path),
      await owner.api.get(`/api/inspector/bins/${otherBin.id}/requests/${mine!.id}`),
      await owner.api.get(`/api/inspector/bins/${bin.id}/requests/99999999`),
      await owner.api.get(`/api/inspector/bins/${bin.id}/requests/abc`),
      await owner.api.get(`/api/inspector/bins/no-such-bin/requests/${mine!.id}`),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    const anonymous = await request(server.url, "GET", path);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe("unauthorized");
  });
});

describe("a bin keeps at most 10 MiB of bodies", () => {
  it("drops the oldest requests once the bodies pass 10 MiB; the list stays small", async () => {
    const bin = await createBin();
    const bodies = Array.from({ length: 14 }, (_, i) => Buffer.alloc(MiB, 0x61 + i));
    for (const body of bodies) await capture(bin, body);

    const { requests, bytes } = await list(bin);
    // 10 bodies of exactly 1 MiB fill the budget: the four oldest went.
    expect(requests.map((r) => r.body![0])).toEqual(bodies.slice(4).reverse().map((b) => String.fromCharCode(b[0]!)));
    const [{ total }] = await server.app.ctx.db.$queryRawUnsafe<{ total: number }[]>(
      'SELECT sum("bodySize") AS "total" FROM "InspectorRequest" WHERE "binId" = ?',
      bin.id,
    );
    expect(Number(total)).toBe(10 * MiB);
    // The list carries 64 KiB of each, not 10 MiB.
    expect(bytes).toBeLessThan(10 * 65 * KiB);
    expect(requests.every((r) => r.bodyTruncated && r.body!.length === 64 * KiB)).toBe(true);
    expect((await byId(bin, requests[0]!.id)).body).toBe(bodies[13]!.toString());
  });

  it("keeps the 100-request cap for small bodies, and evicts by size across mixed ones", async () => {
    const bin = await createBin();
    for (let i = 0; i < 9; i++) await capture(bin, Buffer.alloc(MiB, 0x41));
    for (let i = 0; i < 3; i++) await capture(bin, Buffer.alloc(512 * KiB, 0x42));
    // 9 MiB + 1.5 MiB is over: the first 1 MiB body goes, 8 MiB + 1.5 MiB stay.
    const { requests } = await list(bin);
    expect(requests.map((r) => r.bodySize)).toEqual([...Array(3).fill(512 * KiB), ...Array(8).fill(MiB)]);
    for (let i = 0; i < 105; i++) await capture(bin, `n${i}`);
    const after = (await list(bin)).requests;
    expect(after).toHaveLength(100);
    expect(after[0]!.body).toBe("n104");
    expect(after[99]!.body).toBe("n5");
  });
});

describe("capture rate limit per bin", () => {
  let limited: TestServer;
  let user: TestUser;
  beforeAll(async () => {
    // The contract's burst (50) with a refill so slow that nothing comes back during the test.
    limited = await startTestServer({ INSPECTOR_RATE_PER_S: "0.001" });
    user = await buildUser(limited.url);
  });
  afterAll(() => limited.close());

  it("answers 429 rate_limited with Retry-After after a burst of 50, keeps nothing more; other bins are unaffected", async () => {
    const bin = await createBin(limited, user);
    const otherBin = await createBin(limited, user);
    for (let i = 0; i < 50; i++) {
      const res = await request(limited.url, "POST", `/inspect/${bin.id}`, { raw: `r${i}` });
      expect(res.status, `capture ${i}`).toBe(200);
    }
    const refused = await request(limited.url, "PUT", `/inspect/${bin.id}/sub`, { raw: Buffer.alloc(MiB) });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(refused.headers.get("retry-after")).toMatch(/^\d+$/);

    const kept = await user.api.get(`/api/inspector/bins/${bin.id}/requests`);
    expect(kept.body.requests).toHaveLength(50);
    expect((await request(limited.url, "POST", `/inspect/${otherBin.id}`, { raw: "fine" })).status).toBe(200);
  });
});
