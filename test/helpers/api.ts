// A small HTTP client for tests: JSON in, { status, body, headers } out. Every response is checked
// against the OpenAPI document (openapi-check.ts): a route that answers what its document does not
// say fails the test that called it.
import { checkResponse } from "./openapi-check.ts";
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
  text: string;
}

export async function request<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; raw?: string | Buffer; headers?: Record<string, string>; unchecked?: boolean } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let payload: string | Buffer | undefined;
  if (opts.raw !== undefined) payload = opts.raw;
  else if (opts.body !== undefined) {
    payload = JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await fetch(baseUrl + path, { method, headers, body: payload as BodyInit | undefined });
  const text = await res.text();
  let body: any = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  if (!opts.unchecked) checkResponse(method, path, res.status, res.headers.get("content-type"), text ? body : undefined);
  return { status: res.status, body, headers: res.headers, text };
}

/** The paths a 400's `error.details` names (none when it names none). */
export const errorFields = (res: { body: any }): string[] => (res.body?.error?.details ?? []).map((d: { path: string }) => d.path);

/**
 * A client bound to one server and, optionally, one user's token. `unchecked`: answers are not
 * checked against this checkout's document (the bench drives servers of other commits too).
 */
export function client(baseUrl: string, token?: string, opts: { unchecked?: boolean } = {}) {
  const call =
    (method: string) =>
    <T = any>(path: string, body?: unknown, headers?: Record<string, string>) =>
      request<T>(baseUrl, method, path, { token, body, headers, unchecked: opts.unchecked });
  return { get: call("GET"), post: call("POST"), patch: call("PATCH"), put: call("PUT"), delete: call("DELETE"), token };
}

export type Client = ReturnType<typeof client>;
