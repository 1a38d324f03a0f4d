// A loopback receiver whose answers a test switches while it runs: fail (500), ok (200), or hold
// (the request waits, unanswered, until the test releases it). It counts what it got and how many
// requests were in flight at once.
import http from "node:http";
import type { AddressInfo } from "node:net";

export type GateMode = "fail" | "ok" | "hold";

export interface GatedRequest {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
  status?: number;
}

export interface GatedReceiver {
  url: string;
  mode: GateMode;
  /** When set, decides the mode of each request by its index (0-based) instead of `mode`. */
  plan?: (index: number) => GateMode;
  requests: GatedRequest[];
  /** Requests held unanswered right now. */
  held(): number;
  /** Answers every held request with `status`. */
  release(status: number): void;
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startGatedReceiver(mode: GateMode = "ok"): Promise<GatedReceiver> {
  const holding: { req: GatedRequest; res: http.ServerResponse }[] = [];
  let inFlight = 0;
  const answer = (got: GatedRequest, res: http.ServerResponse, status: number) => {
    got.status = status;
    inFlight--;
    if (!res.destroyed) res.writeHead(status).end(status === 200 ? "ok" : "down");
  };
  const server = http.createServer((req, res) => {
    inFlight++;
    receiver.maxInFlight = Math.max(receiver.maxInFlight, inFlight);
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const got: GatedRequest = { url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      const index = receiver.requests.push(got) - 1;
      const mode = receiver.plan?.(index) ?? receiver.mode;
      if (mode === "hold") holding.push({ req: got, res });
      else answer(got, res, mode === "ok" ? 200 : 500);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const receiver: GatedReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    mode,
    requests: [],
    maxInFlight: 0,
    held: () => holding.length,
    release(status) {
      for (const { req, res } of holding.splice(0)) answer(req, res, status);
    },
    close: () =>
      new Promise<void>((resolve) => {
        receiver.release(500);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return receiver;
}

/** The message text of a message.* delivery body. */
export const messageText = (body: string): string => (JSON.parse(body) as { data: { message: { body: { text: string } } } }).data.message.body.text;
