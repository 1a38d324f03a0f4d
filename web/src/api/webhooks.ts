// Outgoing webhooks, their deliveries, and incoming webhooks of a room (room admins only).
import { api } from "./http.ts";
import type { AttemptDto, DeliveryDto, HookRequestDto, IncomingVerification, IncomingWebhookDto, WebhookDto, WebhookInput } from "./types.ts";

const base = (roomId: number) => `/api/rooms/${roomId}/webhooks`;

export const webhooksApi = {
  list: (roomId: number) => api.get<{ webhooks: WebhookDto[] }>(base(roomId)),
  create: (roomId: number, input: WebhookInput) => api.post<{ webhook: WebhookDto }>(base(roomId), input),
  update: (roomId: number, id: number, input: WebhookInput) => api.patch<{ webhook: WebhookDto }>(`${base(roomId)}/${id}`, input),
  remove: (roomId: number, id: number) => api.del<unknown>(`${base(roomId)}/${id}`),
  rotate: (roomId: number, id: number) => api.post<{ webhook: WebhookDto }>(`${base(roomId)}/${id}/rotate`),
  test: (roomId: number, id: number) => api.post<{ delivery: DeliveryDto }>(`${base(roomId)}/${id}/test`),
  deliveries: (roomId: number, id: number, limit = 25) =>
    api.get<{ deliveries: DeliveryDto[] }>(`${base(roomId)}/${id}/deliveries?limit=${limit}`),
  delivery: (roomId: number, id: number, deliveryId: number) =>
    api.get<{ delivery: DeliveryDto; attempts: AttemptDto[] }>(`${base(roomId)}/${id}/deliveries/${deliveryId}`),
  redeliver: (roomId: number, id: number, deliveryId: number) =>
    api.post<{ delivery?: DeliveryDto }>(`${base(roomId)}/${id}/deliveries/${deliveryId}/redeliver`),
};

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
