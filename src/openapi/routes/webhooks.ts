// Outgoing webhooks' settings, their delivery log, and incoming webhooks' admin routes.
import {
  deliveriesResponse,
  deliveryDetailResponse,
  deliveryResponse,
  hookRequestsResponse,
  incomingWebhookResponse,
  incomingWebhooksResponse,
  presetsResponse,
  previewResponse,
  replayResponse,
  webhookResponse,
  webhooksResponse,
} from "../../contracts/index.ts";
import { roomParams } from "../../rooms/rooms.schema.ts";
import { createIncomingBody, incomingListParams, incomingParams, previewBody, updateIncomingBody } from "../../webhooks/incoming/incoming.schema.ts";
import { createWebhookBody, deliveriesQuery, deliveryParams, replayBody, updateWebhookBody, webhookParams } from "../../webhooks/outgoing/webhooks.schema.ts";
import type { ApiRoute } from "../route-spec.ts";

const auth = "bearer" as const;
const hooks = "/api/rooms/{roomId}/webhooks";
const hook = `${hooks}/{webhookId}`;
const incoming = "/api/rooms/{roomId}/incoming-webhooks";
// Every settings route is for room admins: members get 403, others 404.
const admin = [403];

export const webhookRoutes: ApiRoute[] = [
  { method: "get", path: hooks, tag: "webhooks", summary: "A room's webhooks", auth, params: roomParams, status: 200, response: webhooksResponse, errors: admin },
  { method: "post", path: hooks, tag: "webhooks", summary: "Create a webhook (sends nothing)", auth, params: roomParams, body: createWebhookBody, status: 201, response: webhookResponse, errors: [403, 409] },
  { method: "get", path: hook, tag: "webhooks", summary: "A webhook", auth, params: webhookParams, status: 200, response: webhookResponse, errors: admin },
  { method: "patch", path: hook, tag: "webhooks", summary: "Change a webhook", auth, params: webhookParams, body: updateWebhookBody, status: 200, response: webhookResponse, errors: admin },
  { method: "delete", path: hook, tag: "webhooks", summary: "Delete a webhook", auth, params: webhookParams, status: 204, response: null, errors: admin },
  { method: "post", path: `${hook}/rotate`, tag: "webhooks", summary: "New Verification-Signature and secret (the previous secret signs for 24 hours)", auth, params: webhookParams, status: 200, response: webhookResponse, errors: admin },
  { method: "post", path: `${hook}/test`, tag: "webhooks", summary: "Send a webhook.ping", auth, params: webhookParams, status: 202, response: deliveryResponse, errors: [403, 409] },
  { method: "post", path: `${hook}/circuit/close`, tag: "webhooks", summary: "Close the circuit: sending resumes at once", auth, params: webhookParams, status: 200, response: webhookResponse, errors: admin },
  { method: "post", path: `${hook}/replay`, tag: "webhooks", summary: "Redeliver the events whose newest delivery since a time has a listed status", auth, params: webhookParams, body: replayBody, status: 202, response: replayResponse, errors: [403, 409] },
  { method: "post", path: `${hook}/replay/preview`, tag: "webhooks", summary: "How many a replay would queue now", auth, params: webhookParams, body: replayBody, status: 200, response: replayResponse, errors: [403, 409] },
  { method: "get", path: `${hook}/deliveries`, tag: "deliveries", summary: "The delivery log, newest first", auth, params: webhookParams, query: deliveriesQuery, status: 200, response: deliveriesResponse, errors: admin },
  { method: "get", path: `${hook}/deliveries/{deliveryId}`, tag: "deliveries", summary: "A delivery with its attempts, oldest first", auth, params: deliveryParams, status: 200, response: deliveryDetailResponse, errors: admin },
  { method: "post", path: `${hook}/deliveries/{deliveryId}/redeliver`, tag: "deliveries", summary: "A new delivery of the same event (same webhook-id)", auth, params: deliveryParams, status: 202, response: deliveryResponse, errors: [403, 409] },

  { method: "post", path: incoming, tag: "incoming webhooks", summary: "Create an incoming webhook", auth, params: incomingListParams, body: createIncomingBody, status: 201, response: incomingWebhookResponse, errors: admin },
  { method: "get", path: incoming, tag: "incoming webhooks", summary: "A room's incoming webhooks", auth, params: incomingListParams, status: 200, response: incomingWebhooksResponse, errors: admin },
  { method: "get", path: `${incoming}/{id}`, tag: "incoming webhooks", summary: "An incoming webhook", auth, params: incomingParams, status: 200, response: incomingWebhookResponse, errors: admin },
  { method: "patch", path: `${incoming}/{id}`, tag: "incoming webhooks", summary: "Rename, pause or template an incoming webhook", auth, params: incomingParams, body: updateIncomingBody, status: 200, response: incomingWebhookResponse, errors: admin },
  { method: "delete", path: `${incoming}/{id}`, tag: "incoming webhooks", summary: "Delete an incoming webhook", auth, params: incomingParams, status: 204, response: null, errors: admin },
  { method: "get", path: `${incoming}/{id}/requests`, tag: "incoming webhooks", summary: "The request log, newest first (the last 100)", auth, params: incomingParams, status: 200, response: hookRequestsResponse, errors: admin },
  { method: "post", path: `${incoming}/{id}/preview`, tag: "incoming webhooks", summary: "The text a template makes of a body", auth, params: incomingParams, body: previewBody, status: 200, response: previewResponse, errors: admin },
  { method: "get", path: "/api/incoming-webhook-presets", tag: "incoming webhooks", summary: "Ready templates for common tools", auth, status: 200, response: presetsResponse },
];
