// `hookroom forward`: watches an inspector bin over Socket.IO (as the web client does) and sends
// each request it catches from then on to a local target, like smee.io or `stripe listen`, so a
// signature made for the bin's URL verifies at the target. After a lost connection it watches
// again and sends what the bin caught meanwhile (from its list), each request once, in order.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../contracts/socket-events.ts";
import { bodyBytes, forwardedHeaders, parseBinUrl, parseTargetUrl, resultLine, targetFor, type CaughtRequest } from "./forward-request.ts";
import { sendToTarget } from "./send-to-target.ts";

export interface ForwardOptions {
  binUrl: string;
  targetUrl: string;
  token: string;
  /** Where lines go (stdout), and problems (stderr). */
  print(line: string): void;
  warn(line: string): void;
}

export interface Forwarder {
  /** Resolves when forwarding stops by itself (the server refused the token or the bin): the reason. */
  ended: Promise<string>;
  stop(): void;
}

export function startForwarding(opts: ForwardOptions): Forwarder {
  const { baseUrl, binId } = parseBinUrl(opts.binUrl);
  const target = parseTargetUrl(opts.targetUrl);
  const api = `${baseUrl}/api/inspector/bins/${encodeURIComponent(binId)}/requests`;
  const authorization = { authorization: `Bearer ${opts.token}` };

  /** Requests at or below this id were in the bin before it was watched. */
  let floor: number | undefined;
  const handled = new Set<number>();
  let queue = Promise.resolve();
  let stopped = false;
  let end!: (reason: string) => void;
  const ended = new Promise<string>((resolve) => (end = resolve));

  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(new URL(baseUrl).origin, {
    path: `${new URL(baseUrl).pathname.replace(/\/+$/, "")}/socket.io`,
    auth: { token: opts.token },
    transports: ["websocket"],
    reconnectionDelayMax: 2_000,
  });

  async function fetchJson<T>(url: string): Promise<T> {
    const res = await fetch(url, { headers: authorization });
    const body = (await res.json().catch(() => null)) as ({ error?: { message?: string } } & T) | null;
    if (!res.ok) throw new Error(body?.error?.message ?? `HTTP ${res.status}`);
    return body as T;
  }

  /** The whole request when a list or a push carried only the start of its body. */
  async function whole(caught: CaughtRequest): Promise<CaughtRequest> {
    if (!caught.bodyTruncated) return caught;
    return (await fetchJson<{ request: CaughtRequest }>(`${api}/${caught.id}`)).request;
  }

  function enqueue(caught: CaughtRequest) {
    if (stopped || floor === undefined || caught.id <= floor || handled.has(caught.id)) return;
    handled.add(caught.id);
    queue = queue.then(() => forward(caught)).catch((err) => opts.warn(`Request ${caught.id} not forwarded: ${(err as Error).message}`));
  }

  async function forward(caught: CaughtRequest) {
    const request = await whole(caught);
    const url = targetFor(target, binId, request);
    const result = await sendToTarget(url, { method: request.method, headers: forwardedHeaders(request.headers), body: bodyBytes(request) });
    const outcome = result.status !== undefined ? { status: result.status } : { error: result.error ?? "failed" };
    opts.print(resultLine(new Date(), request.method, url.pathname + url.search, outcome, result.durationMs));
  }

  /** What the bin caught while no push could reach us: ids above the floor not sent yet. */
  async function catchUp() {
    const { requests } = await fetchJson<{ requests: CaughtRequest[] }>(api);
    for (const r of [...requests].sort((a, b) => a.id - b.id)) enqueue(r);
    // The bin lists its last 100: ids below the oldest listed can never come again.
    const oldest = Math.min(...requests.map((r) => r.id));
    for (const id of handled) if (id < oldest) handled.delete(id);
  }

  let connectedOnce = false;
  socket.on("connect", async () => {
    // "From now on" starts here: what the bin holds before it is watched is not sent.
    if (floor === undefined) {
      try {
        const { requests } = await fetchJson<{ requests: CaughtRequest[] }>(api);
        floor = Math.max(0, ...requests.map((r) => r.id));
      } catch (err) {
        stop();
        end(`Cannot read the bin: ${(err as Error).message}`);
        return;
      }
    }
    socket.emit("inspector:watch", { binId }, (ack) => {
      if ("error" in ack) {
        stop();
        end(`The server refused to watch this bin: ${ack.error.message}`);
        return;
      }
      opts.print(connectedOnce ? "Reconnected: watching the bin again." : `Forwarding ${opts.binUrl} -> ${target.href} (Ctrl-C to stop)`);
      connectedOnce = true;
      catchUp().catch((err) => opts.warn(`Could not list the bin's requests: ${(err as Error).message}`));
    });
  });
  socket.on("inspector:request", ({ binId: from, request }) => {
    if (from === binId) enqueue(request as CaughtRequest);
  });
  socket.on("disconnect", (reason) => {
    if (!stopped) opts.warn(`Connection lost (${reason}); reconnecting…`);
  });
  socket.on("connect_error", (err) => {
    // A refusal by the server's middleware is final: Socket.IO does not retry it.
    if (!socket.active) {
      stop();
      end(err.message === "unauthorized" ? "The server refused the token (log in again, or check --token / HOOKROOM_TOKEN)" : err.message);
    } else if (!connectedOnce) {
      opts.warn(`Cannot reach ${baseUrl} (${err.message}); retrying…`);
    }
  });

  function stop() {
    stopped = true;
    socket.close();
  }

  return { ended, stop };
}
