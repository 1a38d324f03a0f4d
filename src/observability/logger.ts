// The pino logger, and what a logged HTTP request shows. No log line may hold a secret: request
// headers are logged from an allow-list (keys, tokens and signatures arrive in headers of any name),
// query values only for parameters known to be harmless (an incoming hook's key may come as
// ?token=), and fields named like secrets are redacted wherever they appear.
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

const REDACTED = "[redacted]";

/** Request headers whose values are logged; any other header shows as present, its value redacted. */
const LOGGED_HEADERS = new Set([
  "host",
  "user-agent",
  "content-type",
  "content-length",
  "content-encoding",
  "accept",
  "accept-encoding",
  "accept-language",
  "connection",
  "origin",
  "x-forwarded-for",
  "x-forwarded-proto",
  "x-request-id",
  "x-webhook-event",
  "webhook-id",
  "webhook-timestamp",
]);

/** Query parameters whose values are logged (the API's own); any other value is redacted. */
const LOGGED_QUERY = new Set(["limit", "before", "status", "event", "search", "since"]);

export function redactHeaders(headers: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    out[name] = LOGGED_HEADERS.has(name.toLowerCase()) ? value : REDACTED;
  }
  return out;
}

/** The URL with every query value but the harmless ones replaced: `/api/hooks/7?token=[redacted]`. */
export function redactUrl(url: string | undefined): string | undefined {
  const at = url?.indexOf("?") ?? -1;
  if (url === undefined || at < 0) return url;
  const query = url
    .slice(at + 1)
    .split("&")
    .map((pair) => {
      const eq = pair.indexOf("=");
      if (eq < 0) return pair;
      const name = pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, " "));
      } catch {
        // a malformed name is logged as sent, its value redacted
      }
      return LOGGED_QUERY.has(decoded) ? pair : `${name}=${REDACTED}`;
    })
    .join("&");
  return `${url.slice(0, at)}?${query}`;
}

type SerializedRequest = { id?: unknown; method?: string; url?: string; headers?: Record<string, unknown>; remoteAddress?: string };

/** A request object that reaches a log line anyway (`{req}`): no query or params, the URL redacted. */
function request(req: SerializedRequest) {
  return { id: req.id, method: req.method, url: redactUrl(req.url), headers: redactHeaders(req.headers), remoteAddress: req.remoteAddress };
}

const serializers = { req: request };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options = {
    level,
    serializers,
    redact: {
      paths: [
        "*.password",
        "*.secret",
        "*.previousSecret",
        "*.token",
        "*.apiKey",
        "*.verificationSignature",
        "*.authorization",
        "*.signature",
      ],
      censor: REDACTED,
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * The logger of request lines (request-log.ts): their fields are built from the allow-lists
 * above (redactUrl, redactHeaders), so no path-based redaction runs over each of them.
 */
export function createRequestLogger(level: string, destination?: DestinationStream): Logger {
  return destination ? pino({ level }, destination) : pino({ level });
}
