// The load generator, in a process of its own, on undici 7 keep-alive pools (one request in
// flight per connection). closed: C connections each sending the next request when the last
// answered, for T seconds (or until enough were accepted). open: sends scheduled by the clock at
// a fixed rate, whatever the answers do; a send not answered within the timeout is a failure.
// ceiling: one connection, one request in flight, POSTing a webhook-sized body to a URL as fast
// as the answers come (undici Client, then node:http Agent for reference).
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { Client, Pool } from "undici";
import { serve } from "../lib/child.ts";

export interface Target {
  origin: string;
  path: string;
  token?: string;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  /** Failures by kind: an HTTP status or an error code. */
  failures: Record<string, number>;
  startAt: number;
  endAt: number;
  /** Ids of the accepted messages (from the answers' `message.id`), when asked for. */
  ids: number[];
  /** Request-to-answer times of the accepted requests, in ms. */
  responseMs: number[];
  /** Open loop: how late the clock-scheduled sends left, at worst (a busy generator shows here). */
  maxSendLagMs?: number;
}

interface Common {
  targets: Target[];
  connections: number;
  timeoutMs: number;
  wantIds?: boolean;
}

let seq = 0;
const bodyFor = () => JSON.stringify({ type: "text", body: { text: `bench message ${++seq} the quick brown fox` } });

function makeSender(args: Common) {
  const origins = [...new Set(args.targets.map((t) => t.origin))];
  const perOrigin = Math.max(1, Math.ceil(args.connections / origins.length));
  const pools = new Map(origins.map((o) => [o, new Pool(o, { connections: perOrigin, pipelining: 1, keepAliveTimeout: 60_000 })]));
  const result: LoadResult = { sent: 0, ok: 0, failed: 0, failures: {}, startAt: 0, endAt: 0, ids: [], responseMs: [] };
  const fail = (kind: string) => {
    result.failed++;
    result.failures[kind] = (result.failures[kind] ?? 0) + 1;
  };
  let next = 0;
  async function send(timeoutMs = args.timeoutMs): Promise<void> {
    const target = args.targets[next++ % args.targets.length]!;
    const headers: Record<string, string> = { "content-type": "application/json" };
    if (target.token) headers.authorization = `Bearer ${target.token}`;
    result.sent++;
    const t0 = performance.now();
    try {
      const res = await pools.get(target.origin)!.request({ method: "POST", path: target.path, headers, body: bodyFor(), signal: AbortSignal.timeout(Math.max(1, Math.round(timeoutMs))) });
      const text = await res.body.text();
      if (res.statusCode < 200 || res.statusCode > 299) return fail(String(res.statusCode));
      result.ok++;
      result.responseMs.push(performance.now() - t0);
      if (args.wantIds) {
        const id = (JSON.parse(text) as { message?: { id?: number } }).message?.id;
        if (typeof id === "number") result.ids.push(id);
      }
    } catch (err) {
      const e = err as { name?: string; code?: string };
      fail(e.name === "TimeoutError" || e.code === "UND_ERR_ABORTED" ? "timeout" : e.code ?? e.name ?? "error");
    }
  }
  const close = () => Promise.all([...pools.values()].map((p) => p.destroy()));
  return { send, result, close };
}

async function closed(args: Common & { durationS: number; maxOk?: number }): Promise<LoadResult> {
  const { send, result, close } = makeSender(args);
  result.startAt = Date.now();
  const end = result.startAt + args.durationS * 1000;
  const more = () => Date.now() < end && (args.maxOk === undefined || result.ok + (result.sent - result.ok - result.failed) < args.maxOk);
  await Promise.all(
    Array.from({ length: args.connections }, async () => {
      while (more()) await send();
    }),
  );
  result.endAt = Date.now();
  await close();
  return result;
}

async function open(args: Common & { rate: number; durationS: number }): Promise<LoadResult> {
  const { send, result, close } = makeSender(args);
  const total = Math.round(args.rate * args.durationS);
  const inFlight: Promise<void>[] = [];
  let maxLag = 0;
  result.startAt = Date.now();
  const t0 = performance.now();
  for (let i = 0; i < total; ) {
    const due = t0 + (i * 1000) / args.rate;
    const now = performance.now();
    if (due > now + 0.5) {
      await sleep(Math.max(1, due - now - 0.5));
      continue;
    }
    maxLag = Math.max(maxLag, now - due);
    // The time limit runs from when the send was due, so a late send does not get extra time.
    inFlight.push(send(Math.max(1, args.timeoutMs - (now - due))));
    i++;
  }
  await Promise.all(inFlight);
  result.endAt = Date.now();
  result.maxSendLagMs = Math.round(maxLag * 10) / 10;
  await close();
  return result;
}

interface CeilingArgs {
  url: string;
  body: string;
  headers: Record<string, string>;
  durationS: number;
}

async function loop(durationS: number, once: () => Promise<void>) {
  const warmEnd = performance.now() + Math.min(500, durationS * 200);
  while (performance.now() < warmEnd) await once();
  let n = 0;
  const t0 = performance.now();
  const end = t0 + durationS * 1000;
  while (performance.now() < end) {
    await once();
    n++;
  }
  const seconds = (performance.now() - t0) / 1000;
  return { requests: n, seconds: Math.round(seconds * 1000) / 1000, perSecond: Math.round(n / seconds) };
}

/** Undici first, node:http second, twice over: the better round of each (a busy machine is noisy). */
async function ceiling(args: CeilingArgs) {
  const u = new URL(args.url);
  const client = new Client(u.origin, { pipelining: 1, keepAliveTimeout: 60_000 });
  const viaUndici = async () => {
    const res = await client.request({ method: "POST", path: u.pathname, headers: args.headers, body: args.body });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`ceiling: ${res.statusCode}`);
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const headers = { ...args.headers, "content-length": String(Buffer.byteLength(args.body)) };
  const viaNodeHttp = () =>
    new Promise<void>((resolve, reject) => {
      const req = http.request(args.url, { method: "POST", agent, headers }, (res) => {
        res.resume();
        res.on("end", resolve);
      });
      req.on("error", reject);
      req.end(args.body);
    });
  const rounds = { undiciClient: [] as Awaited<ReturnType<typeof loop>>[], nodeHttpAgent: [] as Awaited<ReturnType<typeof loop>>[] };
  for (let i = 0; i < 2; i++) {
    rounds.undiciClient.push(await loop(args.durationS / 2, viaUndici));
    rounds.nodeHttpAgent.push(await loop(args.durationS / 2, viaNodeHttp));
  }
  await client.close();
  agent.destroy();
  const best = (r: Awaited<ReturnType<typeof loop>>[]) => ({ ...r.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)), rounds: r.map((x) => x.perSecond) });
  return { undiciClient: best(rounds.undiciClient), nodeHttpAgent: best(rounds.nodeHttpAgent) };
}

serve({ closed, open, ceiling });
