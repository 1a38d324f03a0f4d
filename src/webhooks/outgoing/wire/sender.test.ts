// The HTTP attempt against real receivers on loopback (never any other address).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReceiver, type Receiver } from "../../../../test/helpers/receiver.ts";
import { inspectorUrlMatcher } from "./address-check.ts";
import { createSender, guardedConnector, guardedLookup, RefusedAddressError, type Sender } from "./sender.ts";
import { freePort } from "../../../../test/helpers/ports.ts";

let receiver: Receiver;
let receiver6: Receiver | undefined;
let open: Sender;
let guarded: Sender;

beforeAll(async () => {
  receiver = await startReceiver();
  receiver6 = await startReceiver(0, "::1").catch(() => undefined);
  open = createSender({ allowPrivateNetworks: true });
  guarded = createSender({ allowPrivateNetworks: false });
});
afterAll(async () => {
  await open.close();
  await guarded.close();
  await receiver.close();
  await receiver6?.close();
});

const post = (sender: Sender, url: string, extra: { timeoutMs?: number; body?: string | Buffer } = {}) =>
  sender.send({ url, method: "POST", headers: { "Content-Type": "application/json" }, body: extra.body ?? "{}", timeoutMs: extra.timeoutMs ?? 5000 });


describe("sender with private networks allowed", () => {
  it("sends the exact bytes and keeps the first 4 KiB of the answer", async () => {
    receiver.respond = () => ({ status: 201, headers: { "X-Answer": "yes" }, body: "a".repeat(10_000) });
    const body = Buffer.from('  {"text":"héllo 👋"}\n');
    const before = receiver.requests.length;
    const r = await post(open, `${receiver.url}/hook?x=1`, { body });
    expect(r).toMatchObject({ outcome: "success", status: 201 });
    expect(r.headers["x-answer"]).toBe("yes");
    expect(r.body).toHaveLength(4096);
    const got = receiver.requests[before]!;
    expect(Buffer.from(got.body)).toEqual(body);
    expect(got.url).toBe("/hook?x=1");
    expect(got.headers["content-type"]).toBe("application/json");
  });

  it("does not follow a redirect", async () => {
    const target = await startReceiver();
    try {
      receiver.respond = () => ({ status: 302, headers: { Location: `${target.url}/elsewhere` } });
      const r = await post(open, receiver.url);
      expect(r).toMatchObject({ outcome: "failure", status: 302, error: "HTTP 302" });
      expect(r.headers.location).toBe(`${target.url}/elsewhere`);
      expect(target.requests).toHaveLength(0);
    } finally {
      await target.close();
    }
  });

  it("gives up at the time limit", async () => {
    receiver.respond = () => ({ status: 200, delayMs: 3000 });
    const r = await post(open, receiver.url, { timeoutMs: 200 });
    expect(r.outcome).toBe("timeout");
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/timed out after 200 ms/);
  });

  it("reports a refused connection", async () => {
    const port = await freePort() /* nobody listens there */;
    const r = await post(open, `http://127.0.0.1:${port}/`);
    expect(r).toMatchObject({ outcome: "failure", error: `connection refused by 127.0.0.1:${port} (ECONNREFUSED)` });
  });

  describe("answers that stop halfway", () => {
    // A receiver that writes the status line and part of a body, then stalls or drops the connection.
    let half: http.Server;
    let halfUrl: string;
    beforeAll(async () => {
      half = http.createServer((req, res) => {
        req.resume();
        // /flood announces 2 MiB and sends half: the sender must not wait for the rest.
        const flood = req.url === "/flood";
        res.writeHead(200, { "Content-Length": String(flood ? 2 << 20 : 100) });
        res.write(flood ? "y".repeat(1 << 20) : "partial");
        if (req.url === "/reset") setTimeout(() => res.socket?.destroy(), 20);
      });
      await new Promise<void>((r) => half.listen(0, "127.0.0.1", r));
      halfUrl = `http://127.0.0.1:${(half.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((r) => half.close(() => r())));

    it("times out while reading a body that stalls, saying so", async () => {
      const r = await post(open, `${halfUrl}/stall`, { timeoutMs: 300 });
      expect(r).toMatchObject({ outcome: "timeout", error: "timed out after 300 ms while reading the response" });
    });

    it("keeps what was read when the connection drops in the middle of the body", async () => {
      const r = await post(open, `${halfUrl}/reset`);
      expect(r).toMatchObject({ outcome: "success", status: 200, body: "partial" });
    });

    it("cuts a body longer than it keeps without waiting for the rest, and sends again afterwards", async () => {
      const r = await post(open, `${halfUrl}/flood`, { timeoutMs: 2000 });
      expect(r.outcome).toBe("success");
      expect(r.body).toHaveLength(4096);
      receiver.respond = () => ({ status: 200, body: "ok" });
      expect(await post(open, receiver.url)).toMatchObject({ outcome: "success", body: "ok" });
    });
  });

  it("refuses other protocols", async () => {
    expect((await post(open, "ftp://127.0.0.1/")).error).toMatch(/unsupported protocol/);
  });
});

describe("sender with private networks refused", () => {
  const spellings = ["127.0.0.1", "localhost", "127.1", "2130706433", "0x7f000001", "[::ffff:127.0.0.1]", "0.0.0.0", "[::1]"];

  it.each(spellings)("sends nothing to http://%s and says why", async (host) => {
    receiver.respond = () => ({ status: 200 });
    const port = host === "[::1]" ? receiver6?.port ?? receiver.port : receiver.port;
    const before = receiver.requests.length + (receiver6?.requests.length ?? 0);
    const r = await post(guarded, `http://${host}:${port}/hook`);
    expect(r.outcome).toBe("failure");
    expect(r.status).toBeUndefined();
    expect(r.error).toMatch(/is a private\/loopback address|resolves to .*, a private\/loopback address/);
    expect(receiver.requests.length + (receiver6?.requests.length ?? 0)).toBe(before);
  });

  it("refuses at connect time alone, for every spelling (the literal pre-check aside)", async () => {
    const connect = guardedConnector();
    const before = receiver.requests.length;
    for (const host of spellings) {
      const port = host === "[::1]" ? receiver6?.port ?? receiver.port : receiver.port;
      const hostname = new URL(`http://${host}:${port}/`).hostname.replace(/^\[|\]$/g, "");
      const err = await new Promise<Error | null>((resolve) =>
        connect({ hostname, protocol: "http:", port: String(port) }, (e, socket) => {
          socket?.destroy();
          resolve(e);
        }),
      );
      expect(err, host).toBeInstanceOf(RefusedAddressError);
    }
    expect(receiver.requests.length).toBe(before);
  });

  it("refuses a name whose lookup gives a private address, before connecting", async () => {
    const err = await new Promise<Error | null>((resolve) => guardedLookup("localhost", {}, (e) => resolve(e)));
    expect(err).toBeInstanceOf(RefusedAddressError);
    expect(err?.message).toMatch(/destination localhost resolves to .*, a private\/loopback address/);
  });

  it("still delivers to a trusted URL (this server's own inspector)", async () => {
    receiver.respond = () => ({ status: 200, body: "ok" });
    const trusted = createSender({ allowPrivateNetworks: false, isTrusted: (u) => u.pathname === "/inspect/bin1" });
    try {
      expect((await post(trusted, `${receiver.url}/inspect/bin1`)).outcome).toBe("success");
      expect((await post(trusted, `${receiver.url}/inspect/bin1/sub`)).error).toMatch(/private\/loopback/);
    } finally {
      await trusted.close();
    }
  });

  it("reaches an IPv6 loopback receiver when allowed", async () => {
    if (!receiver6) return; // no ::1 on this machine
    expect((await post(open, `${receiver6.url}/`)).outcome).toBe("success");
  });
});

describe("inspectorUrlMatcher", () => {
  it("matches only <publicUrl>/inspect/<binId>", () => {
    const match = inspectorUrlMatcher(() => "http://localhost:3000");
    expect(match(new URL("http://localhost:3000/inspect/V1StGXR8_Z5jdHi6B-myT"))).toBe(true);
    expect(match(new URL("http://localhost:3000/inspect/abc?x=1"))).toBe(true);
    expect(match(new URL("http://localhost:3000/inspect/abc/more"))).toBe(false);
    expect(match(new URL("http://localhost:3000/inspect/"))).toBe(false);
    expect(match(new URL("http://localhost:3000/inspect/abc/"))).toBe(false);
    expect(match(new URL("http://localhost:3000/api/rooms"))).toBe(false);
    expect(match(new URL("http://localhost:3001/inspect/abc"))).toBe(false);
    expect(match(new URL("https://localhost:3000/inspect/abc"))).toBe(false);
    expect(match(new URL("http://127.0.0.1:3000/inspect/abc"))).toBe(false);
    expect(match(new URL("http://user:pw@localhost:3000/inspect/abc"))).toBe(false);
    expect(match(new URL("http://localhost:3000/inspect/%2e%2e/api"))).toBe(false);
    const withPath = inspectorUrlMatcher(() => "https://chat.example.com/base");
    expect(withPath(new URL("https://chat.example.com/base/inspect/abc"))).toBe(true);
    expect(withPath(new URL("https://chat.example.com/inspect/abc"))).toBe(false);
  });
});
