// No log line holds a secret: a real server logging at trace level into a file, driven through
// register and login, incoming hooks (?token=, x-api-key, both HMAC headers, a wrong key), webhook
// creation and rotation, and deliveries of signed requests to its own inspector. Then the log text
// is searched for every secret value that passed through it.
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, inject, it } from "vitest";
import { startChildServer, freePort, type ChildServer } from "./helpers/child-server.ts";
import { client, request } from "./helpers/api.ts";
import { connectSocket } from "./helpers/sockets.ts";
import { waitUntil } from "./helpers/webhooks.ts";
import { hmacKey } from "../src/webhooks/signatures.ts";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-logs-"));
const logFile = path.join(dir, "server.log");
let child: ChildServer | undefined;
afterAll(async () => {
  await child?.kill("SIGKILL");
  fs.rmSync(dir, { recursive: true, force: true });
});

it("keeps passwords, tokens, keys, secrets and signatures out of a trace-level log", async () => {
  const dbFile = path.join(dir, "chat.db");
  fs.copyFileSync(inject("templateDb"), dbFile);
  const port = await freePort();
  child = await startChildServer(
    port,
    { DATABASE_URL: `file:${dbFile}`, LOG_LEVEL: "trace", PUBLIC_URL: `http://127.0.0.1:${port}`, WEBHOOK_POLL_MS: "50" },
    { logFile },
  );
  const url = child.url;
  const secrets = new Map<string, string>();
  const keep = (what: string, value: unknown) => {
    expect(typeof value === "string" && value.length >= 8, what).toBe(true);
    secrets.set(what, value as string);
  };

  // Register, log in (right and wrong password), use the tokens.
  const password = "Correct-Horse-Battery-77";
  const registered = await client(url).post("/api/auth/register", { username: `logs${Date.now() % 1e6}`, password, displayName: "Logger" });
  expect(registered.status).toBe(201);
  keep("password", password);
  keep("register token", registered.body.token);
  const login = await client(url).post("/api/auth/login", { username: registered.body.user.username, password });
  keep("login token", login.body.token);
  keep("wrong password", "Wrong-Password-Guess-99");
  expect((await client(url).post("/api/auth/login", { username: registered.body.user.username, password: "Wrong-Password-Guess-99" })).status).toBe(401);
  const api = client(url, login.body.token);
  expect((await api.get("/api/users/me")).status).toBe(200);
  (await connectSocket(url, registered.body.token)).close();
  const roomId = (await api.post("/api/rooms", { name: "Logged" })).body.room.id as number;

  // Incoming hooks: a key as ?token= and as x-api-key, a wrong key, and both HMAC headers.
  const keyHook = (await api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: "key" })).body.incomingWebhook;
  keep("incoming api key", keyHook.apiKey);
  const hookPost = (hookId: number, query: string, headers: Record<string, string>, raw = JSON.stringify({ text: "hi" })) =>
    request(url, "POST", `/api/hooks/${hookId}${query}`, { raw, headers: { "content-type": "application/json", ...headers } });
  expect((await hookPost(keyHook.id, `?token=${encodeURIComponent(keyHook.apiKey)}`, {})).status).toBe(201);
  expect((await hookPost(keyHook.id, `?other=1&token=${encodeURIComponent(keyHook.apiKey)}&limit=5`, {})).status).toBe(201);
  expect((await hookPost(keyHook.id, "", { "x-api-key": keyHook.apiKey })).status).toBe(201);
  keep("wrong api key", "not-the-key-but-secret-anyway");
  expect((await hookPost(keyHook.id, "?token=not-the-key-but-secret-anyway", {})).status).toBe(401);

  const hmacSecret = "incoming-hmac-secret-0123456789";
  keep("incoming hmac secret", hmacSecret);
  const b64Hook = (await api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: "b64", verification: "hmac_sha256_base64", secret: hmacSecret })).body
    .incomingWebhook;
  const hexHook = (await api.post(`/api/rooms/${roomId}/incoming-webhooks`, { name: "hex", verification: "hmac_sha256_hex", secret: hmacSecret })).body
    .incomingWebhook;
  const raw = JSON.stringify({ text: "signed" });
  const b64 = createHmac("sha256", hmacKey(hmacSecret)).update(raw).digest("base64");
  const hex = createHmac("sha256", hmacKey(hmacSecret)).update(raw).digest("hex");
  keep("incoming Webhook-Signature", b64);
  keep("incoming X-Signature", hex);
  expect((await hookPost(b64Hook.id, "", { "webhook-signature": b64 }, raw)).status).toBe(201);
  expect((await hookPost(hexHook.id, "", { "x-signature": `sha256=${hex}` }, raw)).status).toBe(201);

  // An outgoing webhook aimed at this server's own inspector, created with a secret, then rotated:
  // its signed deliveries are requests this server receives and logs.
  const bin = (await api.post("/api/inspector/bins")).body.bin;
  const given = "whsec_" + Buffer.from("outgoing-webhook-secret-bytes-32!").toString("base64");
  keep("outgoing given secret", given);
  const created = await api.post(`/api/rooms/${roomId}/webhooks`, {
    url: bin.url,
    secret: given,
    headers: { "X-Custom-Auth": "custom-header-credential-42" },
  });
  expect(created.status, created.text).toBe(201);
  keep("outgoing custom header value", "custom-header-credential-42");
  keep("verification signature", created.body.webhook.verificationSignature);
  const webhookId = created.body.webhook.id as number;
  const rotated = await api.post(`/api/rooms/${roomId}/webhooks/${webhookId}/rotate`);
  expect(rotated.status).toBe(200);
  keep("rotated secret", rotated.body.webhook.secret);
  keep("rotated verification signature", rotated.body.webhook.verificationSignature);
  expect((await api.post(`/api/rooms/${roomId}/messages`, { body: { text: "deliver me" } })).status).toBe(201);
  expect((await api.post(`/api/rooms/${roomId}/webhooks/${webhookId}/test`)).status).toBe(202);

  const captured = await waitUntil(async () => {
    const list = (await api.get(`/api/inspector/bins/${bin.id}/requests`)).body.requests as { headers: Record<string, string> }[];
    return list.length >= 2 ? list : undefined;
  }, "two deliveries captured by the inspector");
  for (const [i, r] of captured.entries()) {
    keep(`delivery ${i} webhook-signature`, r.headers["webhook-signature"]);
    keep(`delivery ${i} x-signature`, r.headers["x-signature"]);
    keep(`delivery ${i} verification-signature`, r.headers["verification-signature"]);
  }

  await child.kill("SIGTERM");
  const log = fs.readFileSync(logFile, "utf8");
  const leaked = [...secrets].filter(([, value]) => log.includes(value)).map(([what]) => what);
  expect(leaked).toEqual([]);
  // The log is real and detailed: request lines with their URL and headers, and the dispatcher's trace.
  expect(log).toMatch(/"url":"\/api\/hooks\/\d+\?token=\[redacted\]"/);
  expect(log).toMatch(/"url":"\/api\/hooks\/\d+\?other=\[redacted\]&token=\[redacted\]&limit=5"/);
  expect(log).toMatch(/"x-api-key":"\[redacted\]"/);
  expect(log).toMatch(/"authorization":"\[redacted\]"/);
  expect(log).toMatch(/"url":"\/inspect\/[^"]+"/);
  expect(log).toMatch(/"webhook attempt"/);
}, 120_000);
