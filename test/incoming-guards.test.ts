// HMAC hooks against replays (a timestamped signature posts once, and only within 5 minutes),
// callers whose keys keep failing (429 before another HMAC is computed), and bodies refused
// without being read. Well-behaved callers still see the contract's order: 401, then 429, then the body.
import http from "node:http";
import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { createHook, expectError, hookRequests, postHook, roomTexts, signBody, type IncomingWebhookDto } from "./helpers/incoming.ts";
import { hmacKey } from "../src/webhooks/signatures.ts";

/** Standard Webhooks headers for a body, signed at `at` (unix seconds). */
function standardHeaders(secret: string, id: string, at: number, raw: string) {
  const signature = createHmac("sha256", hmacKey(secret)).update(`${id}.${at}.${raw}`).digest("base64");
  return { "webhook-id": id, "webhook-timestamp": String(at), "webhook-signature": `v1,${signature}` };
}

const nowS = () => Math.floor(Date.now() / 1000);

/** Sends headers and only `sent` bytes of a body declared `declared` long, and waits for the answer. */
function postPartially(url: string, headers: Record<string, string>, declared: number, sent: Buffer): Promise<{ status: number; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: "POST", headers: { ...headers, "content-length": String(declared) } }, (res) => {
      res.resume();
      resolve({ status: res.statusCode!, connection: res.headers.connection });
      req.destroy();
    });
    req.on("error", reject);
    req.write(sent);
  });
}

describe("replays of HMAC hooks", () => {
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ INCOMING_BURST: "2", INCOMING_RATE_PER_S: "0.01" });
    admin = await buildUser(server.url);
  });
  afterAll(() => server.close());

  const freshHook = async (body: Record<string, unknown>) => createHook(admin, (await buildRoom(admin)).id, body);

  it("posts a timestamped signature once: the same request again is 401 and posts nothing", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_base64" });
    const raw = '{"text":"deploy started"}';
    const headers = standardHeaders(hook.secret!, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", nowS(), raw);
    expect((await postHook(server.url, hook, raw, headers)).status).toBe(201);
    const replay = await postHook(server.url, hook, raw, headers);
    expectError(replay, 401, "unauthorized");
    expect(replay.body.error.message).toMatch(/already used/);
    expect(await roomTexts(admin, hook.roomId)).toEqual(["deploy started"]);
    expect((await hookRequests(admin, hook)).map((r) => r.reason)).toEqual(["replayed request", null]);
    // A new timestamp is a new signature: the sender's next request posts.
    const next = standardHeaders(hook.secret!, "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W", nowS() + 1, raw);
    expect((await postHook(server.url, hook, raw, next)).status).toBe(201);
  });

  it("verifies with the standardwebhooks library's own signer, hex hooks too (timestamp.body)", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_base64" });
    const raw = '{"text":"from the library"}';
    const at = new Date();
    const signature = new Webhook(hook.secret!).sign("msg_lib", at, raw);
    const headers = { "webhook-id": "msg_lib", "webhook-timestamp": String(Math.floor(at.getTime() / 1000)), "webhook-signature": signature };
    expect((await postHook(server.url, hook, raw, headers)).status).toBe(201);
    expectError(await postHook(server.url, hook, raw, headers), 401, "unauthorized");

    const hexHook = await freshHook({ verification: "hmac_sha256_hex", secret: "a-plain-shared-secret" });
    const ts = String(nowS());
    const hexHeaders = { "webhook-timestamp": ts, "x-signature": signBody(hexHook.secret!, `${ts}.${raw}`, "hex") };
    expect((await postHook(server.url, hexHook, raw, hexHeaders)).status).toBe(201);
    expectError(await postHook(server.url, hexHook, raw, hexHeaders), 401, "unauthorized");
  });

  it("refuses a timestamp more than 5 minutes old or ahead, and posts nothing", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_base64" });
    const raw = '{"text":"old news"}';
    for (const at of [nowS() - 600, nowS() + 600]) {
      const res = await postHook(server.url, hook, raw, standardHeaders(hook.secret!, "msg_old", at, raw));
      expectError(res, 401, "unauthorized");
      expect(res.body.error.message).toMatch(/5 minutes/);
    }
    expect((await hookRequests(admin, hook)).map((r) => r.reason)).toEqual(["stale timestamp", "stale timestamp"]);
    expect(await roomTexts(admin, hook.roomId)).toEqual([]);
  });

  it("keeps taking signatures of the body alone, repeats included (senders that sign only the body)", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_hex" });
    const raw = '{"text":"nightly build passed"}';
    const headers = { "x-signature": signBody(hook.secret!, raw, "hex") };
    expect((await postHook(server.url, hook, raw, headers)).status).toBe(201);
    expect((await postHook(server.url, hook, raw, headers)).status).toBe(201);
    expect(await roomTexts(admin, hook.roomId)).toEqual(["nightly build passed", "nightly build passed"]);
  });

  it("gives the signature back when the request posts nothing (429), so the sender may resend it", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_base64" });
    const fill = '{"text":"fill"}';
    for (let i = 0; i < 2; i++) expect((await postHook(server.url, hook, fill, { "webhook-signature": signBody(hook.secret!, fill, "base64") })).status).toBe(201);
    const raw = '{"text":"after the limit"}';
    const headers = standardHeaders(hook.secret!, "msg_limited", nowS(), raw);
    expectError(await postHook(server.url, hook, raw, headers), 429, "rate_limited");
    expect(server.app.ctx.config.incoming.ratePerSecond).toBe(0.01);
    // Not refused as a replay: the 429 gave the claim back (the bucket is still empty, so 429 again).
    const again = await postHook(server.url, hook, raw, headers);
    expectError(again, 429, "rate_limited");
    expect((await hookRequests(admin, hook)).map((r) => r.reason)).toEqual(["rate limited", "rate limited", null, null]);
  });
});

describe("a Hookroom outgoing webhook posting to a Hookroom incoming hook (Standard Webhooks)", () => {
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
    admin = await buildUser(server.url);
  });
  afterAll(() => server.close());

  it("verifies its webhook-signature with the shared secret and posts through a template", async () => {
    const from = (await buildRoom(admin, [], "Source")).id;
    const to = (await buildRoom(admin, [], "Mirror")).id;
    const secret = `whsec_${Buffer.from("s".repeat(32)).toString("base64")}`;
    const hook = await createHook(admin, to, { verification: "hmac_sha256_base64", secret, template: "{{data.fromUser.displayName}}: {{data.message.body.text}}" });
    const created = await admin.api.post(`/api/rooms/${from}/webhooks`, { url: hook.url.replace(/^http:\/\/localhost:\d+/, server.url), secret, maxAttempts: 1 });
    expect(created.status, created.text).toBe(201);
    await sendText(admin, from, "mirrored text");
    await expect.poll(() => roomTexts(admin, to), { timeout: 15_000 }).toEqual([`${admin.displayName}: mirrored text`]);
    const [logged] = await hookRequests(admin, hook);
    expect(logged).toMatchObject({ status: 201, outcome: "posted", reason: null });
    expect(logged!.headers["webhook-signature"]).toBe("[redacted]");
    expect(logged!.headers["webhook-id"]).toMatch(/^msg_/);
  });
});

describe("callers whose keys keep failing", () => {
  let server: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    // Three failures per hook and address, refilling one an hour: the fourth is refused unread.
    server = await startTestServer({ INCOMING_AUTH_FAILURE_BURST: "3", INCOMING_AUTH_FAILURE_RATE_PER_S: "0.0003", INCOMING_BURST: "2", INCOMING_RATE_PER_S: "0.01" });
    admin = await buildUser(server.url);
  });
  afterAll(() => server.close());

  const freshHook = async (body: Record<string, unknown> = {}) => createHook(admin, (await buildRoom(admin)).id, body);

  it("answers 429 after a few failures, before checking even a right signature, and logs it", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_base64" });
    const raw = '{"text":"x"}';
    for (let i = 0; i < 3; i++) expectError(await postHook(server.url, hook, raw, { "webhook-signature": signBody(hook.secret!, `wrong ${i}`, "base64") }), 401, "unauthorized");
    const blocked = await postHook(server.url, hook, raw, { "webhook-signature": signBody(hook.secret!, raw, "base64") });
    expectError(blocked, 429, "rate_limited");
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect((await hookRequests(admin, hook)).map((r) => [r.status, r.reason])[0]).toEqual([429, "too many failed attempts"]);
    // Another hook is not affected.
    const other = await freshHook({ verification: "hmac_sha256_base64" });
    expect((await postHook(server.url, other, raw, { "webhook-signature": signBody(other.secret!, raw, "base64") })).status).toBe(201);
    expect(await roomTexts(admin, hook.roomId)).toEqual([]);
  });

  it("refuses a blocked caller's 1 MiB body without reading it (no HMAC over it)", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_hex" });
    for (let i = 0; i < 3; i++) await postHook(server.url, hook, "{}", { "x-signature": "ab".repeat(32) });
    const prefix = Buffer.alloc(5000, 0x61);
    const res = await postPartially(`${server.url}/api/hooks/${hook.id}`, { "content-type": "application/json", "x-signature": "cd".repeat(32) }, 1024 * 1024, prefix);
    expect(res).toEqual({ status: 429, connection: "close" });
    const [entry] = await hookRequests(admin, hook);
    expect(entry).toMatchObject({ status: 429, reason: "too many failed attempts", size: 1024 * 1024, bodyTruncated: true });
    expect(entry!.body).toBe("a".repeat(4096));
  });

  it("refuses a bad API key, and a missing signature, after reading only what the log keeps", async () => {
    const hook = await freshHook();
    const res = await postPartially(`${server.url}/api/hooks/${hook.id}`, { "content-type": "application/json", "x-api-key": "hk_wrong-wrong-wrong" }, 1024 * 1024, Buffer.alloc(6000, 0x62));
    expect(res).toEqual({ status: 401, connection: "close" });
    const hmacHook = await freshHook({ verification: "hmac_sha256_base64" });
    const missing = await postPartially(`${server.url}/api/hooks/${hmacHook.id}`, { "content-type": "application/json" }, 1024 * 1024, Buffer.alloc(6000, 0x62));
    expect(missing).toEqual({ status: 401, connection: "close" });
    expect((await hookRequests(admin, hmacHook))[0]).toMatchObject({ reason: "missing signature", body: "b".repeat(4096) });
  });

  it("refuses a body declared over 1 MiB with 413 before reading it", async () => {
    const hook = await freshHook();
    const res = await postPartially(`${server.url}/api/hooks/${hook.id}`, { "content-type": "application/json", "x-api-key": hook.apiKey! }, 2 * 1024 * 1024, Buffer.alloc(5000, 0x20));
    expect(res).toEqual({ status: 413, connection: "close" });
    expect((await hookRequests(admin, hook))[0]).toMatchObject({ status: 413, reason: "body too large", size: 2 * 1024 * 1024 });
  });

  it("refuses a chunked body (no Content-Length) with 413 once it runs past 1 MiB, keeping its first 4,096 bytes", async () => {
    const hook = await freshHook();
    // The server answers and closes with the rest unread, so the client may see a reset
    // instead of the answer (as with any early refusal of an upload); the log shows what happened.
    const answer = await new Promise<number | string>((resolve) => {
      const req = http.request(`${server.url}/api/hooks/${hook.id}`, { method: "POST", headers: { "content-type": "application/json", "x-api-key": hook.apiKey! } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on("error", (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
      for (let i = 0; i < 17; i++) req.write(Buffer.alloc(64 * 1024, 0x63));
      req.end();
    });
    expect([413, "ECONNRESET", "EPIPE"]).toContain(answer);
    await expect.poll(async () => (await hookRequests(admin, hook)).length).toBe(1);
    const [entry] = await hookRequests(admin, hook);
    expect(entry).toMatchObject({ status: 413, reason: "body too large", body: "c".repeat(4096), bodyTruncated: true });
    expect(entry!.size).toBeGreaterThan(1024 * 1024);
  });

  it("keeps the contract's order for callers with a good key: 401 for a bad key even when the post rate is used up", async () => {
    const hook: IncomingWebhookDto = await freshHook();
    const key = { "x-api-key": hook.apiKey! };
    for (let i = 0; i < 2; i++) expect((await postHook(server.url, hook, '{"text":"ok"}', key)).status).toBe(201);
    expectError(await postHook(server.url, hook, '{"text":"ok"}', key), 429, "rate_limited");
    expectError(await postHook(server.url, hook, "{garbage", { "x-api-key": "hk_wrong-wrong-wrong" }), 401, "unauthorized");
    expectError(await postHook(server.url, hook, "{garbage", key), 429, "rate_limited");
  });
});
