// The inspector, the incoming-hook endpoint, operations, and this document itself.
import { z } from "zod";
import {
  binResponse,
  binsResponse,
  captureResponse,
  healthResponse,
  hookPostBody,
  inspectorRequestResponse,
  inspectorRequestsResponse,
  messageResponse,
  readyResponse,
  verifyResultDto,
} from "../../contracts/index.ts";
import { binParams, requestParams, verifyBody } from "../../inspector/inspector.schema.ts";
import { hookParams } from "../../webhooks/incoming/incoming.schema.ts";
import type { ApiRoute, HttpMethod } from "../route-spec.ts";

const auth = "bearer" as const;
const bin = "/api/inspector/bins/{binId}";

/** A capture answers any method; the document lists the usual ones. */
const CAPTURE_METHODS: HttpMethod[] = ["get", "post", "put", "patch", "delete"];

export const inspectorAndOpsRoutes: ApiRoute[] = [
  { method: "post", path: "/api/inspector/bins", tag: "inspector", summary: "Create a bin", auth, status: 201, response: binResponse, errors: [409] },
  { method: "get", path: "/api/inspector/bins", tag: "inspector", summary: "The caller's bins", auth, status: 200, response: binsResponse },
  { method: "get", path: bin, tag: "inspector", summary: "A bin", auth, params: binParams, status: 200, response: binResponse },
  { method: "delete", path: bin, tag: "inspector", summary: "Delete a bin and its requests", auth, params: binParams, status: 204, response: null },
  { method: "get", path: `${bin}/requests`, tag: "inspector", summary: "The requests a bin caught (bodies cut at 64 KiB)", auth, params: binParams, status: 200, response: inspectorRequestsResponse },
  { method: "get", path: `${bin}/requests/{requestId}`, tag: "inspector", summary: "One request with its whole body", auth, params: requestParams, status: 200, response: inspectorRequestResponse },
  { method: "post", path: `${bin}/requests/{requestId}/verify`, tag: "inspector", summary: "Check a request's signatures against a secret", auth, params: requestParams, body: verifyBody, status: 200, response: verifyResultDto },
  ...CAPTURE_METHODS.map(
    (method): ApiRoute => ({
      method,
      path: "/inspect/{binId}",
      tag: "inspector",
      summary: "Caught and kept by the bin (any method, any body; sub-paths too)",
      auth: "none",
      params: binParams,
      bodies: method === "get" || method === "delete" ? undefined : { "*/*": z.string().meta({ format: "binary" }) },
      status: 200,
      response: captureResponse,
      errors: [429],
    }),
  ),

  {
    method: "post",
    path: "/api/hooks/{hookId}",
    tag: "incoming webhooks",
    summary: "Post into the room (key or signature first, then the rate limit, then the body)",
    auth: "hook",
    params: hookParams,
    bodies: { "application/json": hookPostBody, "application/x-www-form-urlencoded": z.object({ payload: z.string().meta({ description: "the same JSON" }) }) },
    status: 201,
    response: messageResponse,
    errors: [403, 429],
  },

  { method: "get", path: "/healthz", tag: "operations", summary: "The process is up", auth: "none", status: 200, response: healthResponse },
  { method: "get", path: "/readyz", tag: "operations", summary: "Database reachable and workers running (else 503)", auth: "none", status: 200, response: readyResponse, otherResponses: { 503: readyResponse } },
  { method: "get", path: "/metrics", tag: "operations", summary: "Prometheus metrics", auth: "metrics", status: 200, response: { mediaType: "text/plain", schema: z.string() } },
  { method: "get", path: "/api/openapi.json", tag: "reference", summary: "This document (OpenAPI 3.1)", auth: "none", status: 200, response: { mediaType: "application/json", schema: z.looseObject({ openapi: z.string() }) } },
  { method: "get", path: "/api/docs", tag: "reference", summary: "A browsable reference of this document", auth: "none", status: 200, response: { mediaType: "text/html", schema: z.string() } },
];
