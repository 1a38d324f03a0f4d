// The inspector's signature check over the API, and a room webhook delivering to a bin.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { request } from "./helpers/api.ts";
import { expectError } from "./helpers/errors.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { createBin as createBinOf, requestsOf as requestsOfBin } from "./helpers/inspector.ts";
import { signStandard, signXSignature } from "../src/webhooks/signatures.ts";
import type { BinDto, InspectorRequestDto } from "../src/contracts/inspector.ts";

let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  // A burst large enough for the 105 captures below (the rate limit: inspector-limits.test.ts).
  server = await startTestServer({ INSPECTOR_BURST: "1000" });
  owner = await buildUser(server.url);
});
afterAll(() => server.close());

type Bin = BinDto;
type Captured = InspectorRequestDto;

const createBin = (by = owner) => createBinOf(by);
const requestsOf = (bin: Bin, by = owner) => requestsOfBin(bin, by);

describe("signature check", () => {
  const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

  async function captureSigned(bin: Bin, body: string, extra: Record<string, string> = {}) {
    const ts = Math.floor(Date.now() / 1000);
    await request(server.url, "POST", `/inspect/${bin.id}`, {
      raw: body,
      headers: {
        "content-type": "application/json",
        "webhook-id": "msg_test",
        "webhook-timestamp": String(ts),
        "webhook-signature": signStandard(secret, "msg_test", ts, body),
        "x-signature": signXSignature(secret, body),
        ...extra,
      },
    });
    const [captured] = await requestsOf(bin);
    return captured!;
  }

  it("reports valid for the right secret and invalid, in words, for a wrong one", async () => {
    const bin = await createBin();
    const captured = await captureSigned(bin, '{"text":"signed é"}');
    const url = `/api/inspector/bins/${bin.id}/requests/${captured.id}/verify`;
    const good = await owner.api.post(url, { secret });
    expect(good.status).toBe(200);
    expect(good.body).toEqual({ standardWebhooks: { valid: true }, xSignature: { valid: true } });
    const bad = await owner.api.post(url, { secret: "whsec_d3Jvbmc=" });
    expect(bad.body).toEqual({
      standardWebhooks: { valid: false, reason: "signature does not match" },
      xSignature: { valid: false, reason: "signature does not match" },
    });
  });

  it("says which header is missing", async () => {
    const bin = await createBin();
    await request(server.url, "POST", `/inspect/${bin.id}`, { raw: "{}" });
    const [captured] = await requestsOf(bin);
    const res = await owner.api.post(`/api/inspector/bins/${bin.id}/requests/${captured!.id}/verify`, { secret });
    expect(res.body).toEqual({
      standardWebhooks: { valid: false, reason: "no webhook-signature header" },
      xSignature: { valid: false, reason: "no X-Signature header" },
    });
  });

  it("refuses a missing secret (400), a request of another bin or unknown (404)", async () => {
    const bin = await createBin();
    const otherBin = await createBin();
    const captured = await captureSigned(bin, "{}");
    expectError(await owner.api.post(`/api/inspector/bins/${bin.id}/requests/${captured.id}/verify`, {}), 400, "validation_failed");
    expectError(await owner.api.post(`/api/inspector/bins/${bin.id}/requests/${captured.id}/verify`, { secret: "" }), 400, "validation_failed");
    expectError(await owner.api.post(`/api/inspector/bins/${otherBin.id}/requests/${captured.id}/verify`, { secret }), 404, "not_found");
    expectError(await owner.api.post(`/api/inspector/bins/${bin.id}/requests/99999999/verify`, { secret }), 404, "not_found");
    expectError(await owner.api.post(`/api/inspector/bins/${bin.id}/requests/abc/verify`, { secret }), 404, "not_found");
  });
});

describe("a room webhook pointed at a bin (default settings: private networks refused)", () => {
  let self: TestServer;
  let admin: TestUser;
  beforeAll(async () => {
    // PUBLIC_URL is this server itself, so the bin's URL is "<PUBLIC_URL>/inspect/<binId>".
    self = await startTestServer({}, { publicUrlIsSelf: true });
    admin = await buildUser(self.url);
  });
  afterAll(() => self.close());

  async function waitForCapture(bin: Bin, count: number): Promise<Captured[]> {
    for (let i = 0; i < 400; i++) {
      const res = await admin.api.get(`/api/inspector/bins/${bin.id}/requests`);
      if (res.body.requests.length >= count) return res.body.requests;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`the bin did not get ${count} requests`);
  }

  it("delivers; the bin shows the request with its headers, and the signature check reports valid (invalid with the wrong secret)", async () => {
    expect(self.env.WEBHOOK_ALLOW_PRIVATE_NETWORKS).toBeUndefined();
    const binRes = await admin.api.post("/api/inspector/bins");
    const bin: Bin = binRes.body.bin;
    expect(bin.url).toBe(`${self.url}/inspect/${bin.id}`);
    const room = (await buildRoom(admin)).id;
    const created = await admin.api.post(`/api/rooms/${room}/webhooks`, { url: bin.url });
    expect(created.status, created.text).toBe(201);
    const webhook = created.body.webhook as { secret: string; verificationSignature: string };

    const message = await sendText(admin, room, "to the bin");
    const [captured] = await waitForCapture(bin, 1);
    expect(captured!.method).toBe("POST");
    expect(captured!.path).toBe(`/inspect/${bin.id}`);
    expect(captured!.headers).toMatchObject({
      "content-type": expect.stringMatching(/^application\/json/),
      "verification-signature": webhook.verificationSignature,
      "x-webhook-event": "message.created",
      "webhook-id": expect.any(String),
      "webhook-timestamp": expect.stringMatching(/^\d+$/),
      "webhook-signature": expect.stringMatching(/^v1,/),
      "x-signature": expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    const payload = JSON.parse(captured!.body!);
    expect(payload).toMatchObject({ type: "message.created", data: { message: { id: message.id, body: { text: "to the bin" } } } });

    const url = `/api/inspector/bins/${bin.id}/requests/${captured!.id}/verify`;
    expect((await admin.api.post(url, { secret: webhook.secret })).body).toEqual({
      standardWebhooks: { valid: true },
      xSignature: { valid: true },
    });
    const wrong = await admin.api.post(url, { secret: "whsec_bm90IHRoZSByaWdodCBzZWNyZXQ=" });
    expect(wrong.body).toEqual({
      standardWebhooks: { valid: false, reason: "signature does not match" },
      xSignature: { valid: false, reason: "signature does not match" },
    });
  });
});
