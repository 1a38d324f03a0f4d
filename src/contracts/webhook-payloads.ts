// What a webhook receiver gets in the body: one envelope (Spika's shape with `type` and
// `timestamp` added) around each event's `data`. The server builds each `data` in one place
// (src/webhooks/outgoing/event-payloads.ts); receivers and tests read them with these types.
import { z } from "zod";
import type { WebhookEvent } from "./enums.ts";
import { epochMs, idOut } from "./primitives.ts";
import { messageDto } from "./messages.ts";

/** The sender as Spika's `fromUser`, and the room as Spika's `room`, in message events. */
export const spikaUser = z.object({ displayName: z.string(), avatarFileId: z.number().int().nullable() });
export const spikaRoom = z.object({ name: z.string(), avatarFileId: z.number().int().nullable() });

/** The room and users of membership and room events. */
export const payloadRoom = z.object({ id: idOut, name: z.string(), avatarFileId: z.number().int().nullable() });
export const payloadUser = z.object({ id: idOut, username: z.string(), displayName: z.string(), avatarFileId: z.number().int().nullable() });

export const messageEventData = z.object({ message: messageDto, fromUser: spikaUser, room: spikaRoom });
export const memberEventData = z.object({ room: payloadRoom, user: payloadUser, byUser: payloadUser });
export const roomEventData = z.object({ room: payloadRoom, byUser: payloadUser });
export const pingEventData = z.object({ webhook: z.object({ id: idOut, name: z.string() }) });

export type SpikaUser = z.output<typeof spikaUser>;
export type SpikaRoom = z.output<typeof spikaRoom>;
export type PayloadRoom = z.output<typeof payloadRoom>;
export type PayloadUser = z.output<typeof payloadUser>;

/** Each event's `data`. */
export interface WebhookEventData {
  "message.created": z.output<typeof messageEventData>;
  "message.updated": z.output<typeof messageEventData>;
  "message.deleted": z.output<typeof messageEventData>;
  "member.added": z.output<typeof memberEventData>;
  "member.removed": z.output<typeof memberEventData>;
  "room.updated": z.output<typeof roomEventData>;
  "webhook.ping": z.output<typeof pingEventData>;
}

/** The whole body of one event (JSON; form-encoded webhooks send it as `payload=<JSON>`). */
export interface WebhookEnvelope<E extends WebhookEvent = WebhookEvent> {
  type: E;
  timestamp: number;
  data: WebhookEventData[E];
  headers: { "Content-Type": "application/json"; "Verification-Signature": string };
}

export const webhookEnvelope = <T extends z.ZodType>(event: WebhookEvent, data: T) =>
  z.object({
    type: z.literal(event),
    timestamp: epochMs,
    data,
    headers: z.object({ "Content-Type": z.literal("application/json"), "Verification-Signature": z.string() }),
  });
