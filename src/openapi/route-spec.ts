// One route of the public API as the OpenAPI document describes it: the schemas the server
// validates its input with, and the schema of what it answers. The document, the test that every
// mounted route is described, and the tests' response checks all read these.
import type { ZodType } from "zod";

export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** Who may call: a user's bearer token, anyone, the metrics token when set, an incoming hook's key or signature. */
export type RouteAuth = "bearer" | "none" | "metrics" | "hook";

export interface ApiRoute {
  method: HttpMethod;
  /** OpenAPI's form, with Express's parameter names: `/api/rooms/{roomId}`. */
  path: string;
  tag: string;
  summary: string;
  auth: RouteAuth;
  params?: ZodType;
  query?: ZodType;
  /** A JSON request body (hook and capture bodies are described by `bodies`). */
  body?: ZodType;
  /** Other request media types (form bodies, raw captures). */
  bodies?: Record<string, ZodType>;
  /** The answer on success; null: no body (204); `mediaType`: another media type than JSON. */
  status: number;
  response: ZodType | null | { mediaType: string; schema: ZodType };
  /** Error statuses this route answers besides the ones every route of its kind may (see errorStatuses). */
  errors?: number[];
  /** Other answers that are not in the error shape (readiness: 503 with the checks). */
  otherResponses?: Record<number, ZodType>;
}

/**
 * The error statuses a route answers, all in the error shape: 400 for bad input, 401 without a
 * valid token, 404 for what cannot be found (or seen), 413 and 415 for bodies, 500 always.
 */
export function errorStatuses(r: ApiRoute): number[] {
  const statuses = new Set<number>(r.errors ?? []);
  if (r.params || r.query || r.body) statuses.add(400);
  if (r.auth === "bearer" || r.auth === "metrics" || r.auth === "hook") statuses.add(401);
  if (r.params) statuses.add(404);
  if (r.body || r.bodies) {
    statuses.add(400);
    statuses.add(413);
    statuses.add(415);
  }
  statuses.add(500);
  return [...statuses].sort((a, b) => a - b);
}
