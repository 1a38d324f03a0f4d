import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkHookRequest, type HookCredentials } from "./hook-auth.ts";
import { generateApiKey, generateHmacSecret, hmacKey } from "./hmac.ts";
import { isJsonType } from "./incoming.routes.ts";

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

describe("isJsonType", () => {
  it.each([
    ["application/json", true],
    ["application/json; charset=utf-8", true],
    ["Application/JSON", true],
    ["application/vnd.api+json", true],
    ["text/plain", false],
    ["application/x-www-form-urlencoded", false],
    [undefined, false],
  ])("%s -> %s", (type, expected) => {
    expect(isJsonType(type)).toBe(expected);
  });
});
