// The webhook settings routes' schemas and the delivery log's query: the contract's
// (src/contracts/webhook-settings.ts, deliveries.ts), re-exported for the routes and services.
export {
  createWebhookBody,
  isReservedHeader,
  replayBody,
  updateWebhookBody,
  webhookParams,
  webhookUrl,
  type CreateWebhookInput,
  type ReplayInput,
  type UpdateWebhookInput,
} from "../../contracts/webhook-settings.ts";
export { deliveriesQuery, deliveryParams, type DeliveriesQuery } from "../../contracts/deliveries.ts";
export {
  DELIVERY_STATUSES,
  MAX_CUSTOM_HEADERS,
  MAX_HEADER_VALUE_LENGTH,
  MAX_REPLAY,
  REPLAY_STATUSES,
  WEBHOOK_CONTENT_TYPES,
  WEBHOOK_METHODS,
  type DeliveryStatus,
} from "../../contracts/enums.ts";
