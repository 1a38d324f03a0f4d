// Messages (Spika's shape, times in epoch ms): the DTO every client and receiver sees, and the
// send, edit, history and receipt requests.
import { z } from "zod";
import { MAX_MESSAGE_TEXT } from "./enums.ts";
import { count, digits, epochMs, id, idOut, jsonId } from "./primitives.ts";

/** A text message's body; other fields a client stored are kept. */
export const messageBodyDto = z.looseObject({ text: z.string() });
export type MessageBody = z.output<typeof messageBodyDto>;

export const messageDto = z.object({
  id: idOut,
  fromUserId: idOut,
  totalUserCount: count,
  deliveredCount: count,
  seenCount: count,
  roomId: idOut,
  type: z.string(),
  body: messageBodyDto,
  createdAt: epochMs,
  modifiedAt: epochMs,
  localId: z.string().nullable(),
  deleted: z.boolean(),
  replyId: idOut.nullable(),
});
export type MessageDto = z.output<typeof messageDto>;

export const messageParams = z.object({ messageId: id });

const text = z
  .string()
  .min(1, "must be 1 to 10,000 characters")
  .max(MAX_MESSAGE_TEXT, "must be 1 to 10,000 characters")
  .refine((t) => t.trim().length > 0, "must not be blank");

export const messageBody = z.object({ text });

export const sendMessageBody = z.object({
  type: z.literal("text", { error: 'only "text" messages are supported' }).default("text"),
  body: messageBody,
  localId: z.string().min(1).max(64).optional(),
  replyId: jsonId.optional(),
});

/** Socket.IO `message:send`: the body of POST /api/rooms/:roomId/messages with the room. */
export const sendMessageEvent = sendMessageBody.extend({ roomId: jsonId });

export const editMessageBody = z.object({ body: messageBody });

export const historyQuery = z.object({
  before: id.optional(),
  limit: digits(1, 100).default(50),
});

export const messageCountsDto = z.object({ roomId: idOut, messageId: idOut, deliveredCount: count, seenCount: count });
export type MessageCountsDto = z.output<typeof messageCountsDto>;

export const messageResponse = z.object({ message: messageDto });
export const messagesResponse = z.object({ messages: z.array(messageDto) });
export const roomSeenResponse = z.object({ roomId: idOut, seen: count.meta({ description: "messages newly marked seen" }) });
