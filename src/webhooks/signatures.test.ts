import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  checkHexSignature,
  checkStandardSignature,
  decodeSignatures,
  hmacKey,
  hmacSha256,
  matchBodySignature,
  signatureHeaders,
  signStandard,
  signXSignature,
  verifyStandardWebhook,
  verifyXSignature,
} from "./signatures.ts";

// The Standard Webhooks spec's published test vector (also in svix's and the spec's own libraries).
const VECTOR = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};

const nowS = () => Math.floor(Date.now() / 1000);

describe("HMAC keys", () => {
  it("decodes whsec_ secrets from base64 and takes other secrets as UTF-8 bytes", () => {
    expect(hmacKey("whsec_AAEC")).toEqual(Buffer.from([0, 1, 2]));
    expect(hmacKey("plain-secret-1234")).toEqual(Buffer.from("plain-secret-1234", "utf8"));
  });
});

describe("webhook-signature", () => {
  it("reproduces the spec's test vector", () => {
    expect(signStandard(VECTOR.secret, VECTOR.id, VECTOR.timestamp, VECTOR.body)).toBe(VECTOR.signature);
    expect(signStandard(VECTOR.secret, VECTOR.id, VECTOR.timestamp, Buffer.from(VECTOR.body))).toBe(VECTOR.signature);
  });

  it("matches the standardwebhooks library and verifies with it", () => {
    const lib = new Webhook(VECTOR.secret);
    expect(signStandard(VECTOR.secret, "msg_x", 1700000000, "{}")).toBe(lib.sign("msg_x", new Date(1700000000 * 1000), "{}"));
    const ts = nowS();
    const body = JSON.stringify({ type: "message.created", text: "héllo 👋" });
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(ts), ...signatureHeaders({ secret: VECTOR.secret }, "msg_1", ts, body) };
    expect(() => lib.verify(body, headers)).not.toThrow();
    expect(() => lib.verify(body + " ", headers)).toThrow(/No matching signature/);
  });

  it("signs with a non-whsec secret as its UTF-8 bytes (the library's raw format agrees)", () => {
    const secret = "my-given-secret-0123";
    const ts = nowS();
    const headers = { "webhook-id": "msg_2", "webhook-timestamp": String(ts), ...signatureHeaders({ secret }, "msg_2", ts, "{}") };
    expect(() => new Webhook(secret, { format: "raw" }).verify("{}", headers)).not.toThrow();
    expect(verifyStandardWebhook(secret, headers, "{}")).toEqual({ valid: true });
  });

  it("carries the previous secret's signature while it has not expired", () => {
    const previous = "whsec_" + Buffer.from("previous-key-previous-key-000000").toString("base64");
    const current = "whsec_" + Buffer.from("current-key-current-key-00000000").toString("base64");
    const ts = nowS();
    const now = Date.now();
    const during = signatureHeaders({ secret: current, previousSecret: previous, previousSecretExpiresAt: new Date(now + 1000) }, "m", ts, "{}", now);
    expect(during["webhook-signature"].split(" ")).toHaveLength(2);
    const headers = { "webhook-id": "m", "webhook-timestamp": String(ts), ...during };
    expect(() => new Webhook(current).verify("{}", headers)).not.toThrow();
    expect(() => new Webhook(previous).verify("{}", headers)).not.toThrow();
    expect(during["X-Signature"]).toBe(signXSignature(current, "{}"));

    const after = signatureHeaders({ secret: current, previousSecret: previous, previousSecretExpiresAt: new Date(now - 1) }, "m", ts, "{}", now);
    expect(after["webhook-signature"].split(" ")).toHaveLength(1);
    expect(() => new Webhook(previous).verify("{}", { "webhook-id": "m", "webhook-timestamp": String(ts), ...after })).toThrow();
  });
});

describe("X-Signature", () => {
  it("is the hex HMAC-SHA256 of the body with the key", () => {
    const body = '{"a":1}';
    const byHand = createHmac("sha256", Buffer.from("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "base64")).update(body).digest("hex");
    expect(signXSignature(VECTOR.secret, body)).toBe(byHand);
    expect(verifyXSignature(VECTOR.secret, byHand, body)).toEqual({ valid: true });
    expect(verifyXSignature(VECTOR.secret, `sha256=${byHand}`, body)).toEqual({ valid: true });
    expect(verifyXSignature(VECTOR.secret, byHand, body + "x").valid).toBe(false);
    expect(verifyXSignature(VECTOR.secret, undefined, body).valid).toBe(false);
  });
});

describe("verifyStandardWebhook", () => {
  const ts = nowS();
  const body = '{"hello":"world"}';
  const headers = { "Webhook-Id": "msg_3", "Webhook-Timestamp": String(ts), "Webhook-Signature": signStandard(VECTOR.secret, "msg_3", ts, body) };

  it("accepts a good signature, any letter case of the header names, among other versions", () => {
    expect(verifyStandardWebhook(VECTOR.secret, headers, body)).toEqual({ valid: true });
    const listed = { ...headers, "Webhook-Signature": `v2,abc v1,bm9wZQ== ${headers["Webhook-Signature"]}` };
    expect(verifyStandardWebhook(VECTOR.secret, listed, body)).toEqual({ valid: true });
  });

  it("refuses a tampered body, another secret, an old timestamp and missing headers", () => {
    expect(verifyStandardWebhook(VECTOR.secret, headers, body + " ")).toMatchObject({ valid: false, reason: "no matching signature" });
    expect(verifyStandardWebhook("whsec_AAAAAAAAAAAAAAAAAAAAAAAA", headers, body).valid).toBe(false);
    expect(verifyStandardWebhook(VECTOR.secret, headers, body, { now: (ts + 3600) * 1000 })).toMatchObject({ valid: false });
    expect(verifyStandardWebhook(VECTOR.secret, { "webhook-id": "x" }, body)).toMatchObject({ valid: false });
    expect(
      verifyStandardWebhook(VECTOR.secret, { "webhook-id": VECTOR.id, "webhook-timestamp": String(VECTOR.timestamp), "webhook-signature": VECTOR.signature }, VECTOR.body, {
        now: VECTOR.timestamp * 1000,
      }),
    ).toEqual({ valid: true });
  });
});

// The checks the three verifiers share (incoming hooks, the inspector, verifyStandardWebhook).
describe("shared checks", () => {
  const body = Buffer.from('{"text":"héllo"}');
  const ts = 1_700_000_000;

  it("reads bare, v1, and sha256= signatures, several per header, and drops malformed ones", () => {
    const mac = hmacSha256(VECTOR.secret, body);
    for (const enc of ["base64", "hex"] as const) {
      const sig = mac.toString(enc);
      expect(decodeSignatures([sig, `v1,${sig} sha256=${sig}`, "nope"], enc)).toEqual([mac, mac, mac]);
    }
    expect(decodeSignatures([mac.toString("base64url")], "base64")).toEqual([mac]);
  });

  it("matches the timestamped body first, then the body alone", () => {
    const stamped = hmacSha256(VECTOR.secret, Buffer.concat([Buffer.from(`id_1.${ts}.`), body]));
    const noId = hmacSha256(VECTOR.secret, Buffer.concat([Buffer.from(`${ts}.`), body]));
    const plain = hmacSha256(VECTOR.secret, body);
    expect(matchBodySignature(VECTOR.secret, [stamped], body, { timestamp: String(ts), id: "id_1" })).toEqual({ matched: "timestamped", hmac: stamped, timestampS: ts });
    expect(matchBodySignature(VECTOR.secret, [noId], body, { timestamp: ` ${ts} ` })).toMatchObject({ matched: "timestamped", timestampS: ts });
    expect(matchBodySignature(VECTOR.secret, [plain], body, { timestamp: String(ts) })).toEqual({ matched: "body" });
    expect(matchBodySignature(VECTOR.secret, [stamped], body, { timestamp: "soon", id: "id_1" })).toEqual({ matched: false });
  });

  it("says which Standard Webhooks header is missing or malformed, and leaves the clock to the caller", () => {
    const signature = signStandard(VECTOR.secret, "m", ts, body);
    expect(checkStandardSignature(VECTOR.secret, { id: "m", timestamp: String(ts) }, body)).toEqual({ problem: "missing", header: "webhook-signature" });
    expect(checkStandardSignature(VECTOR.secret, { timestamp: String(ts), signature }, body)).toEqual({ problem: "missing", header: "webhook-id" });
    expect(checkStandardSignature(VECTOR.secret, { id: "m", timestamp: "1e9", signature }, body)).toEqual({ problem: "bad-timestamp" });
    expect(checkStandardSignature(VECTOR.secret, { id: "m", timestamp: String(ts), signature: "v2,abc" }, body)).toEqual({ problem: "no-v1", timestampS: ts });
    expect(checkStandardSignature(VECTOR.secret, { id: "m", timestamp: String(ts), signature: `v1,x ${signature}` }, body)).toEqual({ matched: true, offered: 2, timestampS: ts });
    expect(checkStandardSignature("other-secret-0123", { id: "m", timestamp: String(ts), signature }, body)).toMatchObject({ matched: false });
  });

  it("checks a hex X-Signature", () => {
    const hex = signXSignature(VECTOR.secret, body);
    expect(checkHexSignature(VECTOR.secret, ` SHA256=${hex.toUpperCase()} `, body)).toBe(true);
    expect(checkHexSignature(VECTOR.secret, hex, Buffer.from("x"))).toBe(false);
    expect(checkHexSignature(VECTOR.secret, "zz", body)).toBe("malformed");
    expect(checkHexSignature(VECTOR.secret, " ", body)).toBe("missing");
  });
});
