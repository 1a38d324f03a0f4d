import { describe, expect, it } from "vitest";
import { hmacSha256, signStandard, signXSignature } from "../webhooks/signatures.ts";
import { checkSignatures, type CapturedForCheck } from "./signature-check.ts";

const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const previous = "a-previous-secret-0123";
const body = '{"type":"message.created","data":{"text":"héllo"}}';
const ts = 1_700_000_000;

function captured(headers: Record<string, string>, over: Partial<CapturedForCheck> = {}): CapturedForCheck {
  return { headers, body, at: ts * 1000 + 1500, ...over };
}

const signed = (extra: Record<string, string> = {}) =>
  captured({
    "webhook-id": "msg_abc",
    "webhook-timestamp": String(ts),
    "webhook-signature": signStandard(secret, "msg_abc", ts, body),
    "x-signature": signXSignature(secret, body),
    ...extra,
  });

describe("checkSignatures", () => {
  it("reports both valid for the right secret", () => {
    expect(checkSignatures(signed(), secret)).toEqual({ standardWebhooks: { valid: true }, xSignature: { valid: true } });
  });

  it("reports both invalid, in words, for another secret", () => {
    expect(checkSignatures(signed(), "whsec_b3RoZXI=")).toEqual({
      standardWebhooks: { valid: false, reason: "signature does not match" },
      xSignature: { valid: false, reason: "signature does not match" },
    });
  });

  it("accepts any of the space-separated signatures (a rotation)", () => {
    const both = `${signStandard(secret, "msg_abc", ts, body)} ${signStandard(previous, "msg_abc", ts, body)}`;
    const req = signed({ "webhook-signature": both });
    expect(checkSignatures(req, previous).standardWebhooks).toEqual({ valid: true });
    expect(checkSignatures(req, "nobody-s-secret-000").standardWebhooks).toEqual({ valid: false, reason: "none of the signatures matches" });
  });

  it("names the missing header", () => {
    expect(checkSignatures(captured({}), secret)).toEqual({
      standardWebhooks: { valid: false, reason: "no webhook-signature header" },
      xSignature: { valid: false, reason: "no X-Signature header" },
    });
    const noId = signed();
    delete noId.headers["webhook-id"];
    expect(checkSignatures(noId, secret).standardWebhooks.reason).toBe("no webhook-id header");
    const noTs = signed();
    delete noTs.headers["webhook-timestamp"];
    expect(checkSignatures(noTs, secret).standardWebhooks.reason).toBe("no webhook-timestamp header");
  });

  it("explains malformed values", () => {
    expect(checkSignatures(signed({ "webhook-timestamp": "yesterday" }), secret).standardWebhooks.reason).toMatch(/not a number/);
    expect(checkSignatures(signed({ "webhook-signature": "v2,abc" }), secret).standardWebhooks.reason).toBe("no v1 signature in webhook-signature");
    expect(checkSignatures(signed({ "x-signature": "zz" }), secret).xSignature.reason).toMatch(/not a hex/);
  });

  it("accepts sha256= on X-Signature", () => {
    expect(checkSignatures(signed({ "x-signature": `sha256=${signXSignature(secret, body)}` }), secret).xSignature).toEqual({ valid: true });
  });

  it("detects a changed body", () => {
    const req = { ...signed(), body: body.replace("héllo", "hello") };
    expect(checkSignatures(req, secret)).toEqual({
      standardWebhooks: { valid: false, reason: "signature does not match" },
      xSignature: { valid: false, reason: "signature does not match" },
    });
  });

  it("judges the timestamp against the arrival time, not now", () => {
    const late = { ...signed(), at: (ts + 3600) * 1000 };
    const verdict = checkSignatures(late, secret).standardWebhooks;
    expect(verdict.valid).toBe(false);
    expect(verdict.reason).toMatch(/signature matches, but webhook-timestamp is 3600 s away/);
  });
});

describe("checkSignatures over bytes that are not UTF-8", () => {
  it("signs and checks the exact bytes", () => {
    const bytes = Buffer.from([0xff, 0xfe, 0x00, 0x41, 0xc3]);
    const std = `v1,${hmacSha256(secret, Buffer.concat([Buffer.from(`msg_bin.${ts}.`), bytes])).toString("base64")}`;
    const req = {
      headers: { "webhook-id": "msg_bin", "webhook-timestamp": String(ts), "webhook-signature": std, "x-signature": hmacSha256(secret, bytes).toString("hex") },
      body: bytes,
      at: ts * 1000,
    };
    expect(checkSignatures(req, secret)).toEqual({ standardWebhooks: { valid: true }, xSignature: { valid: true } });
    // The same bytes read as UTF-8 (U+FFFD for each bad byte) no longer match.
    expect(checkSignatures({ ...req, body: bytes.toString("utf8") }, secret).xSignature.valid).toBe(false);
  });
});
