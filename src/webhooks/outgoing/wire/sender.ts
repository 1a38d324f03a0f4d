// One HTTP attempt of a webhook delivery, behind a small interface so the client can be swapped.
// undici (keep-alive pools per origin; no redirects followed, no environment proxy) with one time
// limit for the whole exchange. Unless private networks are allowed, the address is checked three
// times: an IP literal before anything is opened; a name's resolved addresses in the connect-time
// lookup, before the socket connects (so DNS rebinding is covered); and the connected socket's
// peer address, before a byte is written.
import dns from "node:dns";
import net from "node:net";
import { Agent, buildConnector, type Dispatcher } from "undici";
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
  close(): Promise<void>;
}

export interface SenderOptions {
  allowPrivateNetworks: boolean;
  /** URLs always delivered, whatever their address (this server's own inspector bins). */
  isTrusted?: (url: URL) => boolean;
}

/** Thrown by the guarded connector: the destination is a private, loopback or reserved address. */
export class RefusedAddressError extends Error {
  readonly code = "ERR_REFUSED_ADDRESS";
  constructor(host: string, address: string) {
    super(refusedMessage(host, address));
  }
}

const refusedMessage = (host: string, resolved?: string) =>
  resolved && resolved !== host
    ? `destination ${host} resolves to ${resolved}, a private/loopback address: refused (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)`
    : `destination ${host} is a private/loopback address: refused (WEBHOOK_ALLOW_PRIVATE_NETWORKS is off)`;

type LookupCallback = (err: NodeJS.ErrnoException | null, address?: string | dns.LookupAddress[], family?: number) => void;

/** dns.lookup that refuses when any resolved address is private (net.connect calls it with or without `all`). */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new RefusedAddressError(hostname, bad.address) as NodeJS.ErrnoException);
    if (options.all) return callback(null, addresses);
    const first = addresses[0]!;
    callback(null, first.address, first.family);
  });
}

/** A connector that resolves through guardedLookup and re-checks the connected peer. */
export function guardedConnector(): buildConnector.connector {
  const connect = buildConnector({ lookup: guardedLookup as never });
  return (opts, callback) =>
    connect(opts, (err, socket) => {
      if (err) return callback(err, null);
      const peer = socket!.remoteAddress;
      if (peer && isPrivateAddress(peer)) {
        socket!.destroy();
        return callback(new RefusedAddressError(opts.hostname, peer), null);
      }
      callback(null, socket!);
    });
}

const POOL = { keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 };

export function createSender(opts: SenderOptions): Sender {
  const plain = new Agent(POOL);
  const guarded = opts.allowPrivateNetworks ? plain : new Agent({ ...POOL, connect: guardedConnector() });

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
      return fail("invalid URL");
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return fail(`unsupported protocol ${url.protocol}`);
    const trusted = opts.isTrusted?.(url) ?? false;
    const host = urlHost(url);
    // Node skips the lookup for IP literals: they are checked here (and again on the connected peer).
    if (!trusted && !opts.allowPrivateNetworks && net.isIP(host) && isPrivateAddress(host)) return fail(refusedMessage(host));

    return exchange(trusted ? plain : guarded, url, req, elapsed, fail);
  }

  return {
    send,
    async close() {
      await Promise.all([...new Set([plain, guarded])].map((a) => a.destroy()));
    },
  };
}

/**
 * One request on undici's handler interface (no response stream, no AbortSignal: a few times less
 * work per request than `request()`, which counts when one webhook sends thousands a second). Reads
 * up to `captureBytes` of the body; a longer body is cut and its connection dropped (nobody waits for
 * a huge body). One time limit for the whole exchange, the wait for a connection included.
 */
function exchange(
  dispatcher: Dispatcher,
  url: URL,
  req: AttemptRequest,
  elapsed: () => number,
  fail: (error: string, outcome?: AttemptOutcome) => AttemptResult,
): Promise<AttemptResult> {
  const limit = req.captureBytes ?? LOGGED_BODY_BYTES;
  return new Promise<AttemptResult>((resolve) => {
    let controller: Dispatcher.DispatchController | undefined;
    let status: number | undefined;
    let headers: Record<string, string> = {};
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const settle = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const answered = () => {
      const all = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
      const ok = status! >= 200 && status! < 300;
      settle({
        outcome: ok ? "success" : "failure",
        status,
        headers,
        body: all.subarray(0, limit).toString("utf8"),
        durationMs: elapsed(),
        ...(ok ? {} : { error: `HTTP ${status}` }),
      });
    };
    const timeout = () => {
      const reading = status !== undefined;
      settle(fail(reading ? `timed out after ${req.timeoutMs} ms while reading the response` : `timed out after ${req.timeoutMs} ms`, "timeout"));
      controller?.abort(new Error("timed out"));
    };
    const timer = setTimeout(timeout, req.timeoutMs);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        // The time ran out while the request waited for a connection.
        if (settled) c.abort(new Error("timed out"));
      },
      onResponseStart(_c, statusCode, responseHeaders) {
        status = statusCode;
        headers = flattenHeaders(responseHeaders as Record<string, string | string[] | undefined>);
      },
      onResponseData(c, chunk) {
        chunks.push(chunk);
        size += chunk.length;
        if (size > limit) {
          answered();
          c.abort(new Error("response body cut"));
        }
      },
      onResponseEnd: answered,
      onResponseError(_c, err) {
        // An error once a response came (a reset in the middle of the body): what was read is the answer.
        if (status !== undefined && size > 0) answered();
        else settle(fail(describeError(err, url)));
      },
    };
    const options = {
      origin: url.origin,
      path: url.pathname + url.search,
      method: req.method as Dispatcher.HttpMethod,
      headers: req.headers,
      body: req.body,
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (err) {
      settle(fail(describeError(err, url)));
    }
  });
}

function flattenHeaders(h: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(h)) {
    if (v === undefined) continue;
    out[k.toLowerCase()] = Array.isArray(v) ? v.join(", ") : v;
  }
  return out;
}

/** A message for the delivery log: what went wrong, never a stack. */
function describeError(err: unknown, url: URL): string {
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err instanceof RefusedAddressError) return err.message;
  if (e.cause instanceof RefusedAddressError) return e.cause.message;
  const code = e.code ?? e.cause?.code;
  const where = `${urlHost(url)}:${url.port || (url.protocol === "https:" ? 443 : 80)}`;
  if (code === "ECONNREFUSED") return `connection refused by ${where} (ECONNREFUSED)`;
  if (code === "ECONNRESET" || code === "UND_ERR_SOCKET") return `connection reset by ${where} (ECONNRESET)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `cannot resolve ${urlHost(url)} (${code})`;
  const message = e.cause?.message ?? e.message ?? String(err);
  return code ? `${message} (${code})` : message;
}
