// Webhook delivery benchmark (npm run bench:webhooks): one room, one webhook to a receiver in this
// process, the server in a child process (its own event loop, as in production). Measures
// 1. a raw keep-alive POST loop to the same receiver, one request in flight (the ceiling for one
//    webhook, whose deliveries go one at a time): axios keep-alive and node:http Agent;
// 2. N messages at a fixed rate; 3. N messages as fast as the API takes them.
// Prints one JSON document. Loopback only; bounded; stops by itself.
// Knobs: BENCH_MESSAGES (as fast as possible, default 1000), BENCH_FIXED_MESSAGES (default 250) at
// BENCH_RATE (messages/s, default 25: below what the API takes here), BENCH_CONCURRENCY (default 16),
// BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile the server).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import axios from "axios";
import { client } from "../test/helpers/api.ts";
import { freePort, startChildServer, type ChildServer } from "../test/helpers/child-server.ts";

const N = Number(process.env.BENCH_MESSAGES ?? 1000);
const FIXED_N = Number(process.env.BENCH_FIXED_MESSAGES ?? 250);
const RATE = Number(process.env.BENCH_RATE ?? 25);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const CEILING_REQUESTS = 3000;
const PHASE_TIMEOUT_MS = 120_000;

interface Receipt {
  at: number;
  createdAt: number;
  messageId: number;
}

/** The receiver: answers 200 at once and notes when each message arrived. */
async function startReceiver() {
  const receipts: Receipt[] = [];
  let waiter: { count: number; resolve: () => void } | undefined;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const at = Date.now();
      res.writeHead(200, { "Content-Type": "text/plain" }).end("ok");
      if (req.headers["x-webhook-event"] !== "message.created") return; // the ceiling loop's requests
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { data: { message: { id: number; createdAt: number } } };
      receipts.push({ at, createdAt: body.data.message.createdAt, messageId: body.data.message.id });
      if (waiter && receipts.length >= waiter.count) waiter.resolve();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return {
    url,
    receipts,
    waitFor(count: number) {
      if (receipts.length >= count) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`receiver got ${receipts.length} of ${count}`)), PHASE_TIMEOUT_MS);
        waiter = {
          count,
          resolve: () => {
            clearTimeout(timer);
            waiter = undefined;
            resolve();
          },
        };
      });
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** One request at a time for CEILING_REQUESTS requests; requests per second. */
async function ceiling(url: string, body: string) {
  const headers = { "Content-Type": "application/json" };
  const ax = axios.create({ httpAgent: new http.Agent({ keepAlive: true }), proxy: false, maxRedirects: 0, validateStatus: () => true });
  let start = performance.now();
  for (let i = 0; i < CEILING_REQUESTS; i++) await ax.post(url, body, { headers });
  const axiosRps = CEILING_REQUESTS / ((performance.now() - start) / 1000);

  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(url, { method: "POST", agent, headers: { ...headers, "Content-Length": Buffer.byteLength(body) } }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(body);
    });
  start = performance.now();
  for (let i = 0; i < CEILING_REQUESTS; i++) await once();
  const nodeRps = CEILING_REQUESTS / ((performance.now() - start) / 1000);
  agent.destroy();
  return { axiosKeepAlive: round(axiosRps), nodeHttpAgent: round(nodeRps) };
}

type Api = ReturnType<typeof client>;

/** Sends `count` messages, either paced at `rate`/s or with `concurrency` in flight; measures to the last receipt. */
async function phase(api: Api, roomId: number, receiver: Awaited<ReturnType<typeof startReceiver>>, name: string, count: number, mode: { rate: number } | { concurrency: number }) {
  const first = receiver.receipts.length;
  const texts = Array.from({ length: count }, (_, i) => `${name} ${i}`);
  const send = async (text: string) => {
    const res = await api.post(`/api/rooms/${roomId}/messages`, { body: { text } });
    if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
  };
  const start = Date.now();
  if ("rate" in mode) {
    const pending: Promise<void>[] = [];
    for (let i = 0; i < count; i++) {
      const due = start + (i * 1000) / mode.rate;
      const wait = due - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      pending.push(send(texts[i]!));
    }
    await Promise.all(pending);
  } else {
    let next = 0;
    await Promise.all(
      Array.from({ length: mode.concurrency }, async () => {
        while (next < count) await send(texts[next++]!);
      }),
    );
  }
  const accepted = Date.now();
  const deliveredWhileAccepting = receiver.receipts.length - first;
  await receiver.waitFor(first + count);
  const done = Date.now();
  const got = receiver.receipts.slice(first, first + count);
  const latencies = got.map((r) => r.at - r.createdAt).sort((a, b) => a - b);
  // Sends overlap, so the order is the messages' (their ids), not the order the bench issued them.
  const inOrder = got.every((r, i) => i === 0 || r.messageId > got[i - 1]!.messageId);
  return {
    messages: count,
    mode,
    messagesPerSecondAccepted: round(count / ((accepted - start) / 1000)),
    deliveriesPerSecond: round(count / ((done - start) / 1000)),
    deliveredWhileAccepting,
    drainAfterLastAcceptMs: done - accepted,
    // The backlog left when the API stopped, drained with the server otherwise idle: the dispatcher's own rate.
    drainDeliveriesPerSecond: count - deliveredWhileAccepting >= 50 ? round((count - deliveredWhileAccepting) / ((done - accepted) / 1000)) : null,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) },
    inOrder,
  };
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-bench-"));
  const dbFile = path.join(dir, "bench.db");
  execFileSync("npx", ["prisma", "migrate", "deploy"], { env: { ...process.env, DATABASE_URL: `file:${dbFile}` }, stdio: "pipe" });
  const receiver = await startReceiver();
  let server: ChildServer | undefined;
  try {
    server = await startChildServer(await freePort(), {
      DATABASE_URL: `file:${dbFile}`,
      JWT_SECRET: "bench-secret-0123456789abcdef",
      WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true",
      LOG_LEVEL: "warn",
    }, { nodeArgs: process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter(Boolean) });
    const reg = await client(server.url).post("/api/auth/register", { username: "bench", password: "password123", displayName: "Bench" });
    const api = client(server.url, reg.body.token as string);
    const room = (await api.post("/api/rooms", { name: "bench" })).body.room as { id: number };
    const hook = await api.post(`/api/rooms/${room.id}/webhooks`, { url: receiver.url });
    if (hook.status !== 201) throw new Error(`webhook: ${hook.status} ${hook.text}`);

    // Warm-up (JIT, connections, prepared statements), not measured.
    await phase(api, room.id, receiver, "warmup", 100, { concurrency: 4 });
    const sampleBody = JSON.stringify({ type: "message.created", timestamp: Date.now(), data: { message: { id: 1, body: { text: "x".repeat(40) } } } }).padEnd(520);
    const raw = await ceiling(receiver.url, sampleBody);
    const fixed = await phase(api, room.id, receiver, "fixed", FIXED_N, { rate: RATE });
    const burst = await phase(api, room.id, receiver, "burst", N, { concurrency: CONCURRENCY });
    const best = Math.max(raw.axiosKeepAlive, raw.nodeHttpAgent);
    console.log(
      JSON.stringify(
        {
          bench: "webhooks",
          machine: { cpus: os.cpus().length, node: process.version },
          ceilingOneInFlightRequestsPerSecond: raw,
          fixedRate: fixed,
          asFastAsPossible: burst,
          shareOfCeiling: {
            endToEnd: {
              vsAxiosKeepAlive: round(burst.deliveriesPerSecond / raw.axiosKeepAlive, 3),
              vsNodeHttpAgent: round(burst.deliveriesPerSecond / raw.nodeHttpAgent, 3),
              vsBest: round(burst.deliveriesPerSecond / best, 3),
            },
            backlogDrain: burst.drainDeliveriesPerSecond === null ? null : {
              vsAxiosKeepAlive: round(burst.drainDeliveriesPerSecond / raw.axiosKeepAlive, 3),
              vsNodeHttpAgent: round(burst.drainDeliveriesPerSecond / raw.nodeHttpAgent, 3),
              vsBest: round(burst.drainDeliveriesPerSecond / best, 3),
            },
          },
        },
        null,
        2,
      ),
    );
  } finally {
    await server?.kill("SIGTERM");
    await receiver.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
