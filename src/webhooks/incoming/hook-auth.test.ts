import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkHookRequest, offeredSignatures, type HookCredentials } from "./hook-auth.ts";
import { hmacKey } from "../signatures.ts";
import { generateApiKey, generateHmacSecret } from "./hook-secrets.ts";

const body = Buffer.from('{"text":"héllo"}', "utf8");

function request(headers: Record<string, string>, opts: { token?: string; rawBody?: Buffer } = {}) {
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return { header: (n: string) => lower[n.toLowerCase()], token: opts.token, rawBody: opts.rawBody ?? body };
}

const mac = (secret: string, data: Buffer) => createHmac("sha256", hmacKey(secret)).update(data).digest();

describe("api_key", () => {
  const hook: HookCredentials = { verification: "api_key", secret: "hk_the-right-key-0123456789" };
  it("accepts the key in x-api-key or ?token=", () => {
    expect(checkHookRequest(hook, request({ "X-Api-Key": hook.secret }))).toEqual({ ok: true });
    expect(checkHookRequest(hook, request({}, { token: hook.secret }))).toEqual({ ok: true });
  });
  it("refuses a missing, wrong, shorter or longer key", () => {
    expect(checkHookRequest(hook, request({})).ok).toBe(false);
    for (const key of ["hk_the-wrong-key-0123456789", "hk_", `${hook.secret}x`, hook.secret.slice(0, -1)]) {
      expect(checkHookRequest(hook, request({ "x-api-key": key })).ok, key).toBe(false);
    }
  });
  it("makes long URL-safe keys", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey()).not.toBe(key);
  });
});

describe.each([
  ["hmac_sha256_base64", "Webhook-Signature", "base64"],
  ["hmac_sha256_hex", "X-Signature", "hex"],
] as const)("%s", (verification, header, encoding) => {
  for (const secret of [generateHmacSecret(), "a-pasted-secret-from-tiki"]) {
    const hook: HookCredentials = { verification, secret };
    const sig = mac(secret, body).toString(encoding);

    it(`accepts the bare digest and the v1, / sha256= prefixes (${secret.slice(0, 6)}...)`, () => {
      for (const value of [sig, `v1,${sig}`, `sha256=${sig}`, `v1,bm9wZQ== ${sig}`]) {
        expect(checkHookRequest(hook, request({ [header]: value })), value).toEqual({ ok: true });
      }
    });

    it(`refuses a missing header, a signature of another body, another key, or garbage (${secret.slice(0, 6)}...)`, () => {
      expect(checkHookRequest(hook, request({})).ok).toBe(false);
      const otherBody = mac(secret, Buffer.from('{"text":"hello"}')).toString(encoding);
      const otherKey = mac(secret.startsWith("whsec_") ? generateHmacSecret() : `${secret}x`, body).toString(encoding);
      for (const value of [otherBody, otherKey, "nope", sig.slice(0, -2), `${sig}00`]) {
        expect(checkHookRequest(hook, request({ [header]: value })).ok, value).toBe(false);
      }
    });
  }

  it("reads only its own header", () => {
    const secret = generateHmacSecret();
    const other = header === "X-Signature" ? "Webhook-Signature" : "X-Signature";
    expect(checkHookRequest({ verification, secret }, request({ [other]: mac(secret, body).toString(encoding) })).ok).toBe(false);
  });
});

describe("HMAC keys", () => {
  it("decodes whsec_ secrets and uses other secrets' UTF-8 bytes", () => {
    expect(hmacKey("whsec_AAEC")).toEqual(Buffer.from([0, 1, 2]));
    expect(hmacKey("plain-secret")).toEqual(Buffer.from("plain-secret", "utf8"));
    expect(generateHmacSecret()).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  });
});

describe("timestamped signatures (replay protection)", () => {
  const secret = generateHmacSecret();
  const base64: HookCredentials = { verification: "hmac_sha256_base64", secret };
  const hex: HookCredentials = { verification: "hmac_sha256_hex", secret };
  const now = 1_700_000_000_000;
  const ts = String(now / 1000);
  const signed = (content: string) => mac(secret, Buffer.concat([Buffer.from(content), body]));

  it("accepts the Standard Webhooks scheme (id.timestamp.body) and reports a replay key that expires 5 minutes after the timestamp", () => {
    const sig = signed(`msg_1.${ts}.`).toString("base64");
    const result = checkHookRequest(base64, request({ "webhook-id": "msg_1", "webhook-timestamp": ts, "webhook-signature": `v1,${sig}` }), now);
    expect(result).toEqual({ ok: true, replay: { key: expect.any(String), expiresAtMs: now + 300_000 } });
  });

  it("accepts timestamp.body without an id, in hex too", () => {
    const sig = signed(`${ts}.`).toString("hex");
    const result = checkHookRequest(hex, request({ "webhook-timestamp": ts, "x-signature": sig }), now);
    expect(result.ok && result.replay).toBeTruthy();
  });

  it("gives each signature its own replay key", () => {
    const a = checkHookRequest(hex, request({ "webhook-timestamp": ts, "x-signature": signed(`${ts}.`).toString("hex") }), now);
    const later = String(now / 1000 + 1);
    const b = checkHookRequest(hex, request({ "webhook-timestamp": later, "x-signature": signed(`${later}.`).toString("hex") }), now);
    expect(a.ok && b.ok && a.replay!.key !== b.replay!.key).toBe(true);
  });

  it("refuses a timestamp more than 5 minutes away, either way", () => {
    for (const offsetS of [-301, 301]) {
      const t = String(now / 1000 + offsetS);
      const result = checkHookRequest(hex, request({ "webhook-timestamp": t, "x-signature": signed(`${t}.`).toString("hex") }), now);
      expect(result).toMatchObject({ ok: false, reason: "stale timestamp" });
    }
    const edge = String(now / 1000 - 300);
    expect(checkHookRequest(hex, request({ "webhook-timestamp": edge, "x-signature": signed(`${edge}.`).toString("hex") }), now).ok).toBe(true);
  });

  it("refuses a timestamped signature sent with another timestamp or id", () => {
    const sig = signed(`msg_1.${ts}.`).toString("base64");
    const otherTs = String(now / 1000 + 1);
    expect(checkHookRequest(base64, request({ "webhook-id": "msg_1", "webhook-timestamp": otherTs, "webhook-signature": sig }), now)).toMatchObject({ ok: false, reason: "bad signature" });
    expect(checkHookRequest(base64, request({ "webhook-id": "msg_2", "webhook-timestamp": ts, "webhook-signature": sig }), now)).toMatchObject({ ok: false, reason: "bad signature" });
  });

  it("still accepts a signature of the body alone, timestamp header or not, without a replay key", () => {
    const sig = mac(secret, body).toString("hex");
    expect(checkHookRequest(hex, request({ "x-signature": sig }), now)).toEqual({ ok: true });
    // As a Hookroom outgoing webhook sends it: webhook-timestamp, and X-Signature over the body.
    expect(checkHookRequest(hex, request({ "webhook-timestamp": "12", "x-signature": sig }), now)).toEqual({ ok: true });
  });
});

describe("GitHub's header", () => {
  it("takes X-Hub-Signature-256 (sha256=<hex>) for hex hooks", () => {
    const secret = "github-webhook-secret";
    const sig = mac(secret, body).toString("hex");
    expect(checkHookRequest({ verification: "hmac_sha256_hex", secret }, request({ "X-Hub-Signature-256": `sha256=${sig}` }))).toEqual({ ok: true });
    expect(checkHookRequest({ verification: "hmac_sha256_base64", secret }, request({ "X-Hub-Signature-256": `sha256=${sig}` })).ok).toBe(false);
  });
});

describe("offeredSignatures", () => {
  it("refuses without an HMAC when no header, or nothing well formed, is offered", () => {
    const hook: HookCredentials = { verification: "hmac_sha256_hex", secret: generateHmacSecret() };
    expect(offeredSignatures(hook, request({}))).toMatchObject({ ok: false, reason: "missing signature" });
    expect(offeredSignatures(hook, request({ "x-signature": "sha256=zz" }))).toMatchObject({ ok: false, reason: "bad signature" });
    expect(offeredSignatures(hook, request({ "x-signature": `v1,${"ab".repeat(32)} junk` }))).toMatchObject({ ok: true, signatures: [expect.any(Buffer)] });
  });
});
