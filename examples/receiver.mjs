// A Hookroom webhook receiver in plain Node (no dependencies): it checks the Verification-Signature
// token, the Standard Webhooks signature (webhook-id / webhook-timestamp / webhook-signature, with
// a 5-minute timestamp tolerance) and X-Signature, skips events it has already handled (webhook-id),
// and prints one JSON line per verified event on stdout. Anything that fails a check gets 401.
//
//   WEBHOOK_SECRET='whsec_...' WEBHOOK_VERIFICATION_SIGNATURE='9JOLCJUVylQxxdhX' PORT=8080 node examples/receiver.mjs
//
// Environment:
//   WEBHOOK_SECRET                  the webhook's `secret` (required)
//   WEBHOOK_VERIFICATION_SIGNATURE  the webhook's `verificationSignature` (optional: checked when set)
//   PORT                            default 8080 (0 = any free port; the chosen one is logged)
//   HOST                            default 127.0.0.1 (use 0.0.0.0 to accept requests from other machines)
import { createHmac, timingSafeEqual } from "node:crypto";
import http from "node:http";

const SECRET = process.env.WEBHOOK_SECRET;
const TOKEN = process.env.WEBHOOK_VERIFICATION_SIGNATURE || undefined;
const PORT = Number(process.env.PORT ?? 8080);
const HOST = process.env.HOST || "127.0.0.1";
const TOLERANCE_S = 5 * 60;
const MAX_BODY_BYTES = 1024 * 1024;

if (!SECRET) {
  console.error("Set WEBHOOK_SECRET to the webhook's secret (whsec_... or the one you chose).");
  process.exit(2);
}

// ---- verification (the part to copy) -------------------------------------------------------

/** The HMAC key: for `whsec_...` the base64-decoded rest, for any other secret its UTF-8 bytes. */
const hmacKey = (secret) =>
  secret.startsWith("whsec_") ? Buffer.from(secret.slice(6), "base64") : Buffer.from(secret, "utf8");

/** Constant-time string comparison (false when the lengths differ). */
const same = (a, b) => {
  const x = Buffer.from(String(a));
  const y = Buffer.from(String(b));
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Returns null when the request is genuine, else why not. `body`: the raw bytes, exactly as received. */
function verify(headers, body, secret, token, nowS = Math.floor(Date.now() / 1000)) {
  // 1. Spika's static token (optional: only when you configured it).
  if (token !== undefined && !same(headers["verification-signature"] ?? "", token)) return "bad Verification-Signature";

  // 2. Standard Webhooks: base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>".
  const id = headers["webhook-id"];
  const ts = headers["webhook-timestamp"];
  const sigs = headers["webhook-signature"];
  if (!id || !ts || !sigs) return "missing webhook-id, webhook-timestamp or webhook-signature";
  if (!/^\d+$/.test(ts) || Math.abs(nowS - Number(ts)) > TOLERANCE_S) return "webhook-timestamp too old or too new";
  const key = hmacKey(secret);
  const expected = "v1," + createHmac("sha256", key).update(`${id}.${ts}.`).update(body).digest("base64");
  // Space-separated list: during a rotation it holds one signature per secret; one match is enough.
  if (!sigs.split(" ").some((s) => same(s, expected))) return "bad webhook-signature";

  // 3. X-Signature: hex HMAC-SHA256 of the body alone (always by the current secret).
  const hex = createHmac("sha256", key).update(body).digest("hex");
  if (!same(headers["x-signature"] ?? "", hex)) return "bad X-Signature";
  return null;
}

/** The event: the JSON body, or for form-encoded webhooks the JSON in its `payload` field. */
function parseEvent(headers, body) {
  const text = body.toString("utf8");
  const form = (headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded");
  return JSON.parse(form ? new URLSearchParams(text).get("payload") ?? "" : text);
}

// ---- the server ----------------------------------------------------------------------------

/** webhook-ids already handled: a retry or a redelivery of one of them is acknowledged, not redone. */
const seen = new Set();
const SEEN_MAX = 10_000;
function firstTime(id) {
  if (seen.has(id)) return false;
  seen.add(id);
  if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value); // forget the oldest
  return true;
}

function answer(res, status, body) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

const server = http.createServer((req, res) => {
  const chunks = [];
  let size = 0;
  req.on("data", (chunk) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > MAX_BODY_BYTES) return answer(res, 413, { error: "body too large" });
    const body = Buffer.concat(chunks);
    const problem = verify(req.headers, body, SECRET, TOKEN);
    if (problem) {
      console.error(`refused ${req.method} ${req.url}: ${problem}`);
      return answer(res, 401, { error: problem });
    }
    let event;
    try {
      event = parseEvent(req.headers, body);
    } catch {
      return answer(res, 400, { error: "body is not the expected JSON" });
    }
    const webhookId = req.headers["webhook-id"];
    const duplicate = !firstTime(webhookId);
    // Your work goes here (quickly: answer within the webhook timeout, 10 s by default; queue
    // anything slow). This example prints one line per verified request.
    console.log(JSON.stringify({ webhookId, type: event.type, timestamp: event.timestamp, duplicate, data: event.data }));
    answer(res, 200, { ok: true });
  });
});

server.listen(PORT, HOST, () => {
  const { port } = server.address();
  console.error(`listening on http://${HOST}:${port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));
