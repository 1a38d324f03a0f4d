// Outgoing webhooks, their deliveries, and incoming webhooks of a room (room admins only).
import { api } from "./http.ts";
import type {
  AttemptDto,
  CircuitDto,
  DeliveryDto,
  DeliveryFilter,
  HookRequestDto,
  IncomingVerification,
  IncomingWebhookDto,
  ReplayStatus,
  WebhookDto,
  WebhookInput,
} from "./types.ts";

const base = (roomId: number) => `/api/rooms/${roomId}/webhooks`;

export const webhooksApi = {
  list: (roomId: number) => api.get<{ webhooks: WebhookDto[] }>(base(roomId)),
  create: (roomId: number, input: WebhookInput) => api.post<{ webhook: WebhookDto }>(base(roomId), input),
  update: (roomId: number, id: number, input: WebhookInput) => api.patch<{ webhook: WebhookDto }>(`${base(roomId)}/${id}`, input),
  remove: (roomId: number, id: number) => api.del<unknown>(`${base(roomId)}/${id}`),
  rotate: (roomId: number, id: number) => api.post<{ webhook: WebhookDto }>(`${base(roomId)}/${id}/rotate`),
  test: (roomId: number, id: number) => api.post<{ delivery: DeliveryDto }>(`${base(roomId)}/${id}/test`),
  deliveries: (roomId: number, id: number, filter: DeliveryFilter = {}) =>
    api.get<{ deliveries: DeliveryDto[] }>(`${base(roomId)}/${id}/deliveries?${deliveriesQuery(filter)}`),
  delivery: (roomId: number, id: number, deliveryId: number) =>
    api.get<{ delivery: DeliveryDto; attempts: AttemptDto[]; circuit?: CircuitDto }>(`${base(roomId)}/${id}/deliveries/${deliveryId}`),
  closeCircuit: (roomId: number, id: number) => api.post<{ webhook: WebhookDto }>(`${base(roomId)}/${id}/circuit/close`),
  /** How many deliveries a replay would queue now (nothing is sent). */
  replayPreview: (roomId: number, id: number, since: number, statuses: ReplayStatus[]) =>
    api.post<{ count: number }>(`${base(roomId)}/${id}/replay/preview`, { since, statuses }),
  replay: (roomId: number, id: number, since: number, statuses: ReplayStatus[]) =>
    api.post<{ count: number }>(`${base(roomId)}/${id}/replay`, { since, statuses }),
  redeliver: (roomId: number, id: number, deliveryId: number) =>
    api.post<{ delivery?: DeliveryDto }>(`${base(roomId)}/${id}/deliveries/${deliveryId}/redeliver`),
};

export function deliveriesQuery(filter: DeliveryFilter): string {
  const q = new URLSearchParams({ limit: String(filter.limit ?? 25) });
  if (filter.status) q.set("status", filter.status);
  if (filter.event) q.set("event", filter.event);
  if (filter.before !== undefined) q.set("before", String(filter.before));
  return q.toString();
}

const incoming = (roomId: number) => `/api/rooms/${roomId}/incoming-webhooks`;

export const incomingApi = {
  list: (roomId: number) => api.get<{ incomingWebhooks: IncomingWebhookDto[] }>(incoming(roomId)),
  create: (roomId: number, body: { name: string; verification: IncomingVerification; secret?: string }) =>
    api.post<{ incomingWebhook: IncomingWebhookDto }>(incoming(roomId), body),
  setEnabled: (roomId: number, id: number, enabled: boolean) =>
    api.patch<{ incomingWebhook: IncomingWebhookDto }>(`${incoming(roomId)}/${id}`, { enabled }),
  remove: (roomId: number, id: number) => api.del<unknown>(`${incoming(roomId)}/${id}`),
  setTemplate: (roomId: number, id: number, template: string | null) =>
    api.patch<{ incomingWebhook: IncomingWebhookDto }>(`${incoming(roomId)}/${id}`, { template }),
  /** `body` undefined: over the hook's last request; `template` null: Slack's rule. */
  preview: (roomId: number, id: number, template: string | null, body?: unknown) =>
    api.post<{ text: string }>(`${incoming(roomId)}/${id}/preview`, body === undefined ? { template } : { template, body }),
  requests: (roomId: number, id: number) => api.get<{ requests: HookRequestDto[] }>(`${incoming(roomId)}/${id}/requests`),
};
