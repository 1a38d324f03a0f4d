// The webhook receiver, in a process of its own: answers 200 "ok" and notes, for every
// `message.created` delivery, its path (one per webhook: /hook/<n>-<roomId>), the message id and
// createdAt from the body, the webhook-id header and the time it arrived (Date.now(), the same
// clock as the server's createdAt). /ceiling is the same handler without the note: the target
// of the raw POST loop. While paused, /hook requests are held unanswered (to build a backlog
// behind one request in flight); resume answers them and everything after at once.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "../lib/child.ts";

// Columns rather than objects: 100,000+ receipts stay small and cross IPC quickly.
const keys: string[] = [];
const ids: number[] = [];
const createdAts: number[] = [];
const ats: number[] = [];
const wids: string[] = [];
const seenByKey = new Map<string, Set<string>>();
let paused = false;
let held: http.ServerResponse[] = [];

const answer = (res: http.ServerResponse) => res.writeHead(200, { "Content-Type": "text/plain", "Content-Length": "2" }).end("ok");

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const at = Date.now();
    const path = req.url ?? "";
    let body: { type?: string; data?: { message?: { id: number; createdAt: number } } } = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      /* not JSON (a form-encoded webhook): not one of the bench's */
    }
    if (path.startsWith("/hook/") && body.type === "message.created" && body.data?.message) {
      const wid = String(req.headers["webhook-id"] ?? "");
      keys.push(path);
      ids.push(body.data.message.id);
      createdAts.push(body.data.message.createdAt);
      ats.push(at);
      wids.push(wid);
      let seen = seenByKey.get(path);
      if (!seen) seenByKey.set(path, (seen = new Set()));
      seen.add(wid);
      if (paused) {
        held.push(res);
        return;
      }
    }
    answer(res);
  });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 130_000;
server.requestTimeout = 0;
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

serve({
  url: () => base,
  pause() {
    paused = true;
  },
  /** Answers every held request; returns when it did and how many. */
  resume() {
    paused = false;
    const at = Date.now();
    const count = held.length;
    for (const res of held) answer(res);
    held = [];
    return { at, held: count };
  },
  /** Distinct webhook-ids received on these paths, and the total of receipts on them. */
  counts(paths: string[]) {
    let unique = 0;
    for (const p of paths) unique += seenByKey.get(p)?.size ?? 0;
    return { unique, total: keys.length };
  },
  /** How many of these message ids have not arrived on these paths, and when the last receipt on them came. */
  missing(args: { paths: string[]; ids: number[] }) {
    const want = new Set(args.paths);
    const got = new Set<number>();
    let lastAt = 0;
    for (let i = 0; i < keys.length; i++) {
      if (!want.has(keys[i]!)) continue;
      got.add(ids[i]!);
      lastAt = Math.max(lastAt, ats[i]!);
    }
    let missing = 0;
    for (const id of args.ids) if (!got.has(id)) missing++;
    return { missing, lastAt };
  },
  /** The receipts on these paths, as columns. */
  receipts(paths: string[]) {
    const want = new Set(paths);
    const out = { keys: [] as string[], ids: [] as number[], createdAts: [] as number[], ats: [] as number[], wids: [] as string[] };
    for (let i = 0; i < keys.length; i++) {
      if (!want.has(keys[i]!)) continue;
      out.keys.push(keys[i]!);
      out.ids.push(ids[i]!);
      out.createdAts.push(createdAts[i]!);
      out.ats.push(ats[i]!);
      out.wids.push(wids[i]!);
    }
    return out;
  },
});
