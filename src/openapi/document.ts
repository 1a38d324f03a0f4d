// Builds the OpenAPI 3.1 document from the route table: the very schemas the routes validate
// their input with, and the contract's response schemas. Built once per app, on first request.
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
  type ZodOpenApiResponsesObject,
} from "zod-openapi";
import { z } from "zod";
import {
  attemptDto,
  binDto,
  circuitDto,
  deliveryDto,
  errorBody,
  hookRequestDto,
  incomingWebhookDto,
  inspectorRequestDto,
  memberEventData,
  messageDto,
  messageEventData,
  pingEventData,
  roomDto,
  roomEventData,
  roomMemberDto,
  userDto,
  webhookDto,
  webhookEnvelope,
  WEBHOOK_EVENTS,
  type WebhookEvent,
} from "../contracts/index.ts";
import { errorStatuses, type ApiRoute } from "./route-spec.ts";

const STATUS_TEXT: Record<number, string> = {
  200: "OK",
  201: "Created",
  202: "Accepted",
  204: "No content",
  400: "Invalid input (`validation_failed`; `details` name the fields), or malformed JSON",
  401: "No valid token, key or signature (`unauthorized`)",
  403: "Not allowed: not a room admin, or a paused incoming hook (`forbidden`)",
  404: "Not found, or not visible to the caller (`not_found`)",
  409: "Conflicts with the current state (`conflict`)",
  413: "Body over 1 MiB (`payload_too_large`)",
  415: "Body encoding not supported (`unsupported_media_type`)",
  429: "Rate limited (`rate_limited`); `Retry-After` says when to retry, in seconds",
  500: "Unexpected error (`internal`): no stack, no SQL",
  503: "Not ready",
};

const SECURITY: Record<ApiRoute["auth"], ZodOpenApiOperationObject["security"]> = {
  bearer: [{ bearerAuth: [] }],
  none: [],
  // Open unless METRICS_TOKEN is set.
  metrics: [{}, { metricsToken: [] }],
  hook: [{ hookApiKey: [] }, { hookToken: [] }, { hookSignature: [] }, { hookHexSignature: [] }],
};

/** The bodies a receiver gets, one per event (OpenAPI 3.1's `webhooks`). */
const EVENT_DATA: Record<WebhookEvent, z.ZodType> = {
  "message.created": messageEventData,
  "message.updated": messageEventData,
  "message.deleted": messageEventData,
  "member.added": memberEventData,
  "member.removed": memberEventData,
  "room.updated": roomEventData,
  "webhook.ping": pingEventData,
};

const json = (schema: z.ZodType) => ({ content: { "application/json": { schema } } });

function responsesOf(r: ApiRoute): ZodOpenApiResponsesObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  const description = STATUS_TEXT[r.status] ?? "Success";
  if (r.response === null) responses[`${r.status}`] = { description };
  else if ("mediaType" in r.response) {
    responses[`${r.status}`] = { description, content: { [r.response.mediaType]: { schema: r.response.schema } } };
  } else responses[`${r.status}`] = { description, ...json(r.response) };
  for (const [status, schema] of Object.entries(r.otherResponses ?? {})) {
    responses[`${Number(status)}`] = { description: STATUS_TEXT[Number(status)] ?? "Other", ...json(schema) };
  }
  for (const status of errorStatuses(r)) {
    responses[`${status}`] = {
      description: STATUS_TEXT[status] ?? "Error",
      ...json(errorBody),
      ...(status === 429 ? { headers: z.object({ "Retry-After": z.string().meta({ description: "seconds" }) }) } : {}),
    };
  }
  return responses as ZodOpenApiResponsesObject;
}

function operationOf(r: ApiRoute): ZodOpenApiOperationObject {
  const bodies = r.body ? { "application/json": r.body, ...r.bodies } : r.bodies;
  return {
    operationId: `${r.method} ${r.path}`,
    tags: [r.tag],
    summary: r.summary,
    security: SECURITY[r.auth],
    ...(r.params || r.query
      ? { requestParams: { ...(r.params ? { path: r.params as never } : {}), ...(r.query ? { query: r.query as never } : {}) } }
      : {}),
    ...(bodies
      ? { requestBody: { required: r.body !== undefined, content: Object.fromEntries(Object.entries(bodies).map(([type, schema]) => [type, { schema }])) } }
      : {}),
    responses: responsesOf(r),
  };
}

export function buildOpenApiDocument(routes: readonly ApiRoute[], version: string) {
  const paths: ZodOpenApiPathsObject = {};
  for (const r of routes) paths[r.path] = { ...paths[r.path], [r.method]: operationOf(r) };
  const webhooks: ZodOpenApiPathsObject = {};
  for (const event of WEBHOOK_EVENTS) {
    webhooks[event] = {
      post: {
        summary: `The body of ${event} (signed: webhook-id, webhook-timestamp, webhook-signature, X-Signature)`,
        requestBody: json(webhookEnvelope(event, EVENT_DATA[event])),
        responses: { "200": { description: "Any 2xx is success; a 2xx JSON `{text}` is posted back when replies are enabled" } },
      },
    };
  }
  return createDocument({
    openapi: "3.1.0",
    info: {
      title: "Hookroom API",
      version,
      description: "Chat rooms with per-room webhooks. Times are epoch milliseconds; ids are integers. Every error is `{error: {code, message, details?}}`.",
    },
    paths,
    webhooks,
    components: {
      schemas: {
        Error: errorBody,
        User: userDto,
        Message: messageDto,
        Room: roomDto,
        RoomMember: roomMemberDto,
        Webhook: webhookDto,
        Circuit: circuitDto,
        Delivery: deliveryDto,
        Attempt: attemptDto,
        IncomingWebhook: incomingWebhookDto,
        IncomingWebhookRequest: hookRequestDto,
        InspectorBin: binDto,
        InspectorRequest: inspectorRequestDto,
      },
      securitySchemes: {
        bearerAuth: { type: "http", scheme: "bearer", bearerFormat: "JWT", description: "The token from register or login" },
        metricsToken: { type: "http", scheme: "bearer", description: "METRICS_TOKEN, when it is set" },
        hookApiKey: { type: "apiKey", in: "header", name: "x-api-key" },
        hookToken: { type: "apiKey", in: "query", name: "token" },
        hookSignature: { type: "apiKey", in: "header", name: "Webhook-Signature", description: "base64 HMAC-SHA256 of the raw body (HMAC hooks)" },
        hookHexSignature: { type: "apiKey", in: "header", name: "X-Signature", description: "hex HMAC-SHA256 of the raw body (HMAC hooks)" },
      },
    },
  });
}
