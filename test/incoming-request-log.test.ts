// The request log of an incoming hook: every request to an existing hook, posted or rejected, with
// its status, outcome and reason in words, headers with every key and signature redacted, and
// exactly the first 4,096 bytes of its body; the last 100 per hook, newest first.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { request } from "./helpers/api.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";
import { createHook, expectError, hookRequests, postHook, signBody, type IncomingWebhookDto } from "./helpers/incoming.ts";

let server: TestServer;
let admin: TestUser, member: TestUser, outsider: TestUser;

beforeAll(async () => {
  server = await startTestServer({ INCOMING_BURST: "1000", INCOMING_AUTH_FAILURE_BURST: "1000" });
  [admin, member, outsider] = await Promise.all([1, 2, 3].map(() => buildUser(server.url)));
});
afterAll(() => server.close());

async function freshHook(body: Record<string, unknown> = {}): Promise<IncomingWebhookDto> {
  return createHook(admin, (await buildRoom(admin, [member])).id, body);
}

describe("what is logged", () => {
  it("logs each outcome with its status and reason, newest first; a posted one names its message", async () => {
    const hook = await freshHook();
    const key = { "x-api-key": hook.apiKey! };
    const posted = await postHook(server.url, hook, '{"text":"hello"}', key);
    expect(posted.status).toBe(201);
    await postHook(server.url, hook, '{"text":"x"}', { "x-api-key": "hk_wrong-key-wrong-key" });
    await postHook(server.url, hook, '{"text":"x"}');
    await postHook(server.url, hook, "{not json", key);
    await postHook(server.url, hook, '{"username":"ci"}', key);
    await postHook(server.url, hook, '{"text":"x"}', { ...key, "content-type": "text/plain" });
    await admin.api.patch(`/api/rooms/${hook.roomId}/incoming-webhooks/${hook.id}`, { enabled: false });
    await postHook(server.url, hook, '{"text":"x"}', key);

    const log = await hookRequests(admin, hook);
    expect(log.map((r) => [r.status, r.outcome, r.reason])).toEqual([
      [403, "rejected", "hook disabled"],
      [415, "rejected", "unsupported content type"],
      [400, "rejected", "no text"],
      [400, "rejected", "malformed JSON"],
      [401, "rejected", "missing key"],
      [401, "rejected", "bad key"],
      [201, "posted", null],
    ]);
    expect(log[6]).toMatchObject({ messageId: posted.body.message.id, body: '{"text":"hello"}', size: 16, bodyTruncated: false });
    expect(log.filter((r) => r.outcome === "rejected").every((r) => r.messageId === null)).toBe(true);
    expect(log[0]!.at).toBeGreaterThanOrEqual(log[6]!.at);
    expect(log[0]!.id).toBeGreaterThan(log[6]!.id);
    expect(log[3]!.body).toBe("{not json");
  });

  it("logs HMAC refusals: missing signature, bad signature", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_base64" });
    await postHook(server.url, hook, '{"text":"x"}');
    await postHook(server.url, hook, '{"text":"x"}', { "webhook-signature": signBody(hook.secret!, "other", "base64") });
    await postHook(server.url, hook, '{"text":"x"}', { "webhook-signature": "v1,not-base64!" });
    expect((await hookRequests(admin, hook)).map((r) => [r.status, r.reason])).toEqual([
      [401, "bad signature"],
      [401, "bad signature"],
      [401, "missing signature"],
    ]);
  });

  it("redacts every key and signature sent, right or wrong, and never shows a ?token=", async () => {
    const apiHook = await freshHook();
    const wrongKey = "hk_a-wrong-key-that-is-long-enough";
    await postHook(server.url, apiHook, '{"text":"1"}', { "x-api-key": apiHook.apiKey!, "x-trace": "t-1" });
    await postHook(server.url, apiHook, '{"text":"2"}', { "x-api-key": wrongKey, authorization: "Bearer some-token-value" });
    await postHook(server.url, apiHook, '{"text":"3"}', { "x-forwarded-note": `key=${apiHook.apiKey}` }, `?token=${apiHook.apiKey}`);
    await postHook(server.url, apiHook, '{"text":"4"}', { "x-gitlab-token": "gitlab-secret-token" }, `?token=${wrongKey}`);
    const log = await hookRequests(admin, apiHook);
    expect(log.map((r) => r.status)).toEqual([401, 201, 401, 201]);
    expect(log[3]!.headers).toMatchObject({ "x-api-key": "[redacted]", "x-trace": "t-1", "content-type": "application/json" });
    expect(log[2]!.headers).toMatchObject({ "x-api-key": "[redacted]", authorization: "[redacted]" });
    expect(log[1]!.headers["x-forwarded-note"]).toBe("[redacted]");
    expect(log[0]!.headers["x-gitlab-token"]).toBe("[redacted]");
    const all = JSON.stringify(log);
    for (const secret of [apiHook.apiKey!, wrongKey, "some-token-value", "gitlab-secret-token"]) expect(all).not.toContain(secret);

    const hmacHook = await freshHook({ verification: "hmac_sha256_hex" });
    const raw = '{"text":"signed"}';
    const good = signBody(hmacHook.secret!, raw, "hex");
    const bad = signBody(hmacHook.secret!, "other", "hex");
    expect((await postHook(server.url, hmacHook, raw, { "x-signature": `sha256=${good}` })).status).toBe(201);
    await postHook(server.url, hmacHook, raw, { "x-hub-signature-256": `sha256=${bad}`, "webhook-signature": "v1,abc" });
    const hmacLog = await hookRequests(admin, hmacHook);
    expect(hmacLog[1]!.headers["x-signature"]).toBe("[redacted]");
    expect(hmacLog[0]!.headers).toMatchObject({ "x-hub-signature-256": "[redacted]", "webhook-signature": "[redacted]" });
    const hmacAll = JSON.stringify(hmacLog);
    for (const secret of [good, bad, hmacHook.secret!]) expect(hmacAll).not.toContain(secret);
  });

  it("keeps exactly the first 4,096 bytes of a body, with its whole size", async () => {
    const hook = await freshHook();
    const raw = JSON.stringify({ text: "é".repeat(3000) + "x".repeat(3000) });
    const bytes = Buffer.from(raw);
    expect((await postHook(server.url, hook, raw, { "x-api-key": hook.apiKey! })).status).toBe(201);
    const [entry] = await hookRequests(admin, hook);
    // Byte 4,096 falls inside a two-byte "é": the bytes are kept exactly, so they come as base64.
    expect(entry!.body).toBeNull();
    expect(Buffer.from(entry!.bodyBase64!, "base64")).toEqual(bytes.subarray(0, 4096));
    expect(entry).toMatchObject({ size: bytes.length, bodyTruncated: true });

    const ascii = JSON.stringify({ text: "a".repeat(5000) });
    await postHook(server.url, hook, ascii, { "x-api-key": hook.apiKey! });
    const [second] = await hookRequests(admin, hook);
    expect(second!.body).toBe(ascii.slice(0, 4096));
    expect(second!.bodyTruncated).toBe(true);
  });

  it("keeps bytes that are not UTF-8 as base64, byte-exact", async () => {
    const hook = await freshHook();
    const raw = Buffer.from([0x7b, 0xff, 0xfe, 0x00, 0x80, 0x7d]);
    expectError(await postHook(server.url, hook, raw, { "x-api-key": hook.apiKey! }), 400, "validation_failed");
    const [entry] = await hookRequests(admin, hook);
    expect(entry).toMatchObject({ body: null, bodyBase64: raw.toString("base64"), size: 6, bodyTruncated: false, reason: "malformed JSON" });
  });

  it("keeps the last 100 requests per hook, rejected ones included, and trims on every insert", async () => {
    const hook = await freshHook();
    const other = await freshHook();
    await postHook(server.url, other, '{"text":"other hook"}', { "x-api-key": other.apiKey! });
    for (let i = 0; i < 105; i++) {
      const headers = i % 2 ? { "x-api-key": hook.apiKey! } : { "x-api-key": "hk_wrong-wrong-wrong" };
      await postHook(server.url, hook, JSON.stringify({ text: `n${i}` }), headers);
    }
    const log = await hookRequests(admin, hook);
    expect(log).toHaveLength(100);
    expect(log[0]!.body).toBe('{"text":"n104"}');
    expect(log[99]!.body).toBe('{"text":"n5"}');
    expect(log.map((r) => r.id)).toEqual([...log.map((r) => r.id)].sort((a, b) => b - a));
    expect(await server.app.ctx.db.incomingWebhookRequest.count({ where: { hookId: hook.id } })).toBe(100);
    expect(await hookRequests(admin, other)).toHaveLength(1);
  });

  it("logs nothing for an unknown or deleted hook (there is no hook to log it under)", async () => {
    const hook = await freshHook();
    await postHook(server.url, hook, '{"text":"x"}', { "x-api-key": hook.apiKey! });
    expect((await admin.api.delete(`/api/rooms/${hook.roomId}/incoming-webhooks/${hook.id}`)).status).toBe(204);
    expectError(await postHook(server.url, hook, '{"text":"x"}', { "x-api-key": hook.apiKey! }), 404, "not_found");
    expect(await server.app.ctx.db.incomingWebhookRequest.count({ where: { hookId: hook.id } })).toBe(1);
  });
});

describe("GET .../incoming-webhooks/:hookId/requests", () => {
  it("is for room admins only: members 403, outsiders and other rooms 404, no token 401, bad ids 400", async () => {
    const hook = await freshHook();
    const path = `/api/rooms/${hook.roomId}/incoming-webhooks/${hook.id}/requests`;
    expect((await admin.api.get(path)).body).toEqual({ requests: [] });
    expectError(await member.api.get(path), 403, "forbidden");
    expectError(await outsider.api.get(path), 404, "not_found");
    expectError(await request(server.url, "GET", path), 401, "unauthorized");
    const otherRoom = (await buildRoom(admin)).id;
    expectError(await admin.api.get(`/api/rooms/${otherRoom}/incoming-webhooks/${hook.id}/requests`), 404, "not_found");
    expectError(await admin.api.get(`/api/rooms/${hook.roomId}/incoming-webhooks/999999/requests`), 404, "not_found");
    expectError(await admin.api.get(`/api/rooms/${hook.roomId}/incoming-webhooks/abc/requests`), 400, "validation_failed");
    await admin.api.delete(`/api/rooms/${hook.roomId}/incoming-webhooks/${hook.id}`);
    expectError(await admin.api.get(path), 404, "not_found");
  });
});
