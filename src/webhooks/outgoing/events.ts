// The webhook event names of the contract.
export const WEBHOOK_EVENTS = [
  "message.created",
  "message.updated",
  "message.deleted",
  "member.added",
  "member.removed",
  "room.updated",
  "webhook.ping",
] as const;

export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];
