// One HTTP attempt of a webhook delivery, behind a small interface so the client can be swapped.
// axios with keep-alive agents, no redirects, no environment proxy, one time limit for the whole
// exchange; unless private networks are allowed, request-filtering-agent checks the resolved
// address when it connects (DNS rebinding included) and IP literals are refused before that.
import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { Readable } from "node:stream";
import axios, { type AxiosInstance } from "axios";
import { RequestFilteringHttpAgent, RequestFilteringHttpsAgent } from "request-filtering-agent";
import { isPrivateAddress, urlHost } from "./address-check.ts";

export const LOGGED_BODY_BYTES = 4096;

export interface AttemptRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | Buffer;
  timeoutMs: number;
  /** How much of the response body to read (default 4 KiB); the rest is discarded. */
  captureBytes?: number;
}

export type AttemptOutcome = "success" | "failure" | "timeout";

export interface AttemptResult {
  outcome: AttemptOutcome;
  /** Undefined when no response came (refused, timed out, connection error). */
  status?: number;
  headers: Record<string, string>;
  /** The first `captureBytes` of the response body as UTF-8. */
  body: string;
  durationMs: number;
  error?: string;
}

export interface Sender {
  send(req: AttemptRequest): Promise<AttemptResult>;
  close(): void;
}

export interface SenderOptions {
  allowPrivateNetworks: boolean;
  /** URLs always delivered, whatever their address (this server's own inspector bins). */
  isTrusted?: (url: URL) => boolean;
}

export function createSender(opts: SenderOptions): Sender {
  const open = { keepAlive: true, keepAliveMsecs: 1000, maxFreeSockets: 64, scheduling: "lifo" as const };
  const plain = { http: new http.Agent(open), https: new https.Agent(open) };
  const filtered = opts.allowPrivateNetworks
    ? plain
    : {
        http: new RequestFilteringHttpAgent({ ...open, allowPrivateIPAddress: false, allowMetaIPAddress: false }),
        https: new RequestFilteringHttpsAgent({ ...open, allowPrivateIPAddress: false, allowMetaIPAddress: false }),
      };
  const client: AxiosInstance = axios.create({
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    responseType: "stream",
    // The body is sent byte for byte as signed: no transformation.
    transformRequest: [(data: unknown) => data],
    maxBodyLength: Infinity,
  });

  async function send(req: AttemptRequest): Promise<AttemptResult> {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    const fail = (error: string, outcome: AttemptOutcome = "failure"): AttemptResult => ({
      outcome,
      headers: {},
      body: "",
      durationMs: elapsed(),
      error,
    });

    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return fail(`invalid URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return fail(`unsupported protocol ${url.protocol}`);
    const trusted = opts.isTrusted?.(url) ?? false;
    const host = urlHost(url);
    if (!trusted && !opts.allowPrivateNetworks && net.isIP(host) && isPrivateAddress(host)) {
      return fail(refusedMessage(host));
    }
    const agents = trusted ? plain : filtered;

    const controller = new AbortController();
    let timedOut = false;
    let stream: Readable | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      stream?.destroy();
    }, req.timeoutMs);
    try {
      const res = await client.request<Readable>({
        url: url.href,
        method: req.method,
        headers: req.headers,
        data: typeof req.body === "string" ? Buffer.from(req.body, "utf8") : req.body,
        timeout: req.timeoutMs,
        signal: controller.signal,
        httpAgent: agents.http,
        httpsAgent: agents.https,
      });
      stream = res.data;
      const body = await readCapped(res.data, req.captureBytes ?? LOGGED_BODY_BYTES);
      if (timedOut) return fail(`timed out after ${req.timeoutMs} ms while reading the response`, "timeout");
      const ok = res.status >= 200 && res.status < 300;
      return {
        outcome: ok ? "success" : "failure",
        status: res.status,
        headers: flattenHeaders(res.headers as Record<string, unknown>),
        body,
        durationMs: elapsed(),
        ...(ok ? {} : { error: `HTTP ${res.status}` }),
      };
    } catch (err) {
      if (timedOut || isTimeout(err)) return fail(`timed out after ${req.timeoutMs} ms`, "timeout");
      return fail(describeError(err, url));
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    send,
    close() {
      for (const a of new Set([plain.http, plain.https, filtered.http, filtered.https])) a.destroy();
    },
  };
}

const refusedMessage = (host: string, resolved?: string) =>
  resolved && resolved !== host
    ? `destination ${host} resolves to ${resolved}, a private/loopback address: refused (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)`
    : `destination ${host} is a private/loopback address: refused (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)`;

/** Reads up to `limit` bytes, then drops the connection if more is coming (nobody waits for a huge body). */
function readCapped(stream: Readable, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => resolve(Buffer.concat(chunks).subarray(0, limit).toString("utf8"));
    stream.on("data", (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
      if (size > limit) {
        stream.removeAllListeners("data");
        stream.destroy();
        finish();
      }
    });
    stream.once("end", finish);
    stream.once("error", (err) => (size > 0 ? finish() : reject(err)));
    stream.once("close", finish);
  });
}

function flattenHeaders(h: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined || v === null) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : String(v);
  }
  return out;
}

function isTimeout(err: unknown): boolean {
  const code = (err as { code?: string }).code;
  return code === "ECONNABORTED" || code === "ETIMEDOUT";
}

/** A message for the delivery log: what went wrong, never a stack. */
function describeError(err: unknown, url: URL): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const message = e.cause?.message ?? e.message ?? String(err);
  // request-filtering-agent: "DNS lookup 127.0.0.1(family:4, host:localhost) is not allowed. Because, ..."
  const refused = /DNS lookup (\S+?)\(family:[^,]*, host:([^)]*)\) is not allowed/.exec(message);
  if (refused) {
    const host = refused[2] && refused[2] !== "undefined" ? refused[2] : urlHost(url);
    return refusedMessage(host, refused[1]);
  }
  const code = e.code ?? e.cause?.code;
  const where = `${urlHost(url)}:${url.port || (url.protocol === "https:" ? 443 : 80)}`;
  if (code === "ECONNREFUSED") return `connection refused by ${where} (ECONNREFUSED)`;
  if (code === "ECONNRESET") return `connection reset by ${where} (ECONNRESET)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot resolve ${urlHost(url)} (${code})`;
  return code ? `${message} (${code})` : message;
}
