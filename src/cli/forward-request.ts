// Pure parts of `hookroom forward`: where a bin lives, and the request to send to the local target
// for each request the bin caught (same method, sub-path, query, headers and exact body bytes).

export interface BinLocation {
  /** The server's base URL (everything before /inspect/). */
  baseUrl: string;
  binId: string;
}

/** `http://host[:port][/prefix]/inspect/<binId>`, as the inspector shows a bin's URL. */
export function parseBinUrl(binUrl: string): BinLocation {
  let url: URL;
  try {
    url = new URL(binUrl);
  } catch {
    throw new Error(`Not a URL: ${binUrl}`);
  }
  const match = /^(.*)\/inspect\/([A-Za-z0-9_-]{1,64})\/?$/.exec(url.pathname);
  if (!/^https?:$/.test(url.protocol) || !match) throw new Error(`Not a bin URL (…/inspect/<binId>): ${binUrl}`);
  return { baseUrl: `${url.origin}${match[1]}`, binId: match[2]! };
}

export function parseTargetUrl(targetUrl: string): URL {
  let url: URL;
  try {
    url = new URL(targetUrl);
  } catch {
    throw new Error(`Not a URL: ${targetUrl}`);
  }
  if (!/^https?:$/.test(url.protocol)) throw new Error(`The target must be an http:// or https:// URL: ${targetUrl}`);
  return url;
}

/** A request as the inspector presents it (a body as text, or as base64 when it is not UTF-8). */
export interface CaughtRequest {
  id: number;
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string | string[]>;
  body?: string;
  bodyBase64?: string;
  bodyTruncated?: boolean;
  at: number;
}

/** The target URL for a caught request: the target plus the sub-path after the bin id, and the query. */
export function targetFor(target: URL, binId: string, caught: Pick<CaughtRequest, "path" | "query">): URL {
  const marker = `/inspect/${binId}`;
  const at = caught.path.indexOf(marker);
  const subPath = at === -1 ? "" : caught.path.slice(at + marker.length);
  const url = new URL(target.href);
  url.pathname = (url.pathname.replace(/\/+$/, "") + subPath) || "/";
  for (const [name, value] of Object.entries(caught.query)) {
    for (const v of Array.isArray(value) ? value : [value]) url.searchParams.append(name, v);
  }
  return url;
}

/** Hop-by-hop headers (RFC 9110 7.6.1) and those the new connection sets itself. */
const DROPPED = new Set([
  "host",
  "content-length",
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "expect",
  "http2-settings",
]);

export function forwardedHeaders(headers: Record<string, string | string[]>): Record<string, string | string[]> {
  const named = String(headers.connection ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (!DROPPED.has(lower) && !named.includes(lower)) out[name] = value;
  }
  return out;
}

/** The exact body bytes: `bodyBase64` when the body was not UTF-8, else the UTF-8 of `body`. */
export function bodyBytes(caught: Pick<CaughtRequest, "body" | "bodyBase64">): Buffer {
  if (typeof caught.bodyBase64 === "string") return Buffer.from(caught.bodyBase64, "base64");
  return Buffer.from(caught.body ?? "", "utf8");
}

/** One line per forwarded request: time, method, path, the target's status (or error) and duration. */
export function resultLine(at: Date, method: string, path: string, outcome: { status: number } | { error: string }, durationMs: number): string {
  const time = at.toTimeString().slice(0, 8);
  const result = "status" in outcome ? String(outcome.status) : `error: ${outcome.error}`;
  return `${time} ${method} ${path} -> ${result} (${Math.round(durationMs)} ms)`;
}
