// Sends one request to the local target as given (no redirects followed, the body as exact bytes)
// and reports the status, or the error, with how long it took.
import http from "node:http";
import https from "node:https";

export interface TargetResult {
  status?: number;
  error?: string;
  durationMs: number;
}

export function sendToTarget(
  url: URL,
  init: { method: string; headers: Record<string, string | string[]>; body: Buffer },
  timeoutMs = 30_000,
): Promise<TargetResult> {
  const started = performance.now();
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve) => {
    const done = (r: { status?: number; error?: string }) => resolve({ ...r, durationMs: performance.now() - started });
    const req = client.request(url, { method: init.method, headers: { ...init.headers, "content-length": String(init.body.length) }, timeout: timeoutMs });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => done({ status: res.statusCode }));
      res.on("error", (err) => done({ error: err.message }));
    });
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on("error", (err: NodeJS.ErrnoException) => done({ error: err.code ?? err.message }));
    req.end(init.body);
  });
}
