// The webhook as its room's admins see it (the only people who can read these routes):
// times in epoch ms, JSON columns parsed, never the previous secret.
import type { WebhookContentType, WebhookEvent, WebhookMethod } from "../../contracts/enums.ts";
import type { LastDeliveryDto, WebhookDto } from "../../contracts/webhook-settings.ts";
import { presentCircuit } from "./circuit.ts";
import { readTriggers } from "./triggers.ts";

export type { LastDeliveryDto, WebhookDto };

export type WebhookRow = {
  id: number;
  roomId: number;
  name: string;
  url: string;
  events: string;
  method: string;
  contentType: string;
  maxAttempts: number;
  enabled: boolean;
  disabledReason: string | null;
  verificationSignature: string;
  secret: string;
  previousSecretExpiresAt: Date | null;
  headers: string;
  replyEnabled: boolean;
  triggerWords: string;
  triggerMatch: string;
  circuitState: string;
  circuitFailures: number;
  circuitOpenUntil: Date | null;
  botUserId: number;
  createdAt: Date;
  updatedAt: Date;
};

export function presentWebhook(w: WebhookRow, extra: { lastDelivery?: LastDeliveryDto | null; now?: number } = {}): WebhookDto {
  const now = extra.now ?? Date.now();
  const previousExpires = w.previousSecretExpiresAt?.getTime() ?? null;
  const triggers = readTriggers(w.triggerWords, w.triggerMatch);
  return {
    id: w.id,
    roomId: w.roomId,
    name: w.name,
    url: w.url,
    events: JSON.parse(w.events) as WebhookEvent[],
    // The columns hold what the create and update schemas allowed.
    method: w.method as WebhookMethod,
    contentType: w.contentType as WebhookContentType,
    maxAttempts: w.maxAttempts,
    enabled: w.enabled,
    disabledReason: w.disabledReason,
    verificationSignature: w.verificationSignature,
    secret: w.secret,
    headers: JSON.parse(w.headers) as Record<string, string>,
    replyEnabled: w.replyEnabled,
    triggerWords: [...triggers.words],
    triggerMatch: triggers.match,
    circuit: presentCircuit({ state: w.circuitState, failures: w.circuitFailures, openUntil: w.circuitOpenUntil }),
    createdAt: w.createdAt.getTime(),
    updatedAt: w.updatedAt.getTime(),
    botUserId: w.botUserId,
    previousSecretExpiresAt: previousExpires !== null && previousExpires > now ? previousExpires : null,
    lastDelivery: extra.lastDelivery ?? null,
  } satisfies WebhookDto;
}
