import { describe, expect, it } from "vitest";
import { GIVEN_SECRET_PATTERN, newVerificationSignature, newWebhookSecret } from "./secrets.ts";

describe("newVerificationSignature", () => {
  it("makes 16 alphanumeric characters, different every time", () => {
    const tokens = Array.from({ length: 2000 }, newVerificationSignature);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it("uses the whole alphabet (upper, lower case and digits)", () => {
    const all = Array.from({ length: 500 }, newVerificationSignature).join("");
    expect(all).toMatch(/[A-Z]/);
    expect(all).toMatch(/[a-z]/);
    expect(all).toMatch(/[0-9]/);
    expect(new Set(all).size).toBe(62);
  });
});

describe("newWebhookSecret", () => {
  it("is whsec_ + base64 of 32 random bytes", () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice("whsec_".length), "base64")).toHaveLength(32);
    expect(newWebhookSecret()).not.toBe(secret);
  });

  it("would itself be accepted as a given secret", () => {
    expect(GIVEN_SECRET_PATTERN.test(newWebhookSecret())).toBe(true);
  });
});

describe("GIVEN_SECRET_PATTERN", () => {
  it.each([
    ["x".repeat(16), true],
    ["x".repeat(128), true],
    ["!~" + "a".repeat(14), true],
    ["x".repeat(15), false],
    ["x".repeat(129), false],
    ["with a space 1234", false],
    ["tab\there-12345678", false],
    ["ünicode-secret-1234", false],
    ["line\nbreak-12345678", false],
  ])("%j -> %s", (secret, ok) => {
    expect(GIVEN_SECRET_PATTERN.test(secret)).toBe(ok);
  });
});
