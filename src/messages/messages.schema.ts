import { z } from "zod";
import { digits, id, jsonId } from "../http/validate.ts";

export const messageParams = z.object({ messageId: id });

const text = z
  .string()
  .min(1, "must be 1 to 10,000 characters")
  .max(10_000, "must be 1 to 10,000 characters")
  .refine((t) => t.trim().length > 0, "must not be blank");

export const messageBody = z.object({ text });

export const sendMessageBody = z.object({
  type: z.literal("text", { error: 'only "text" messages are supported' }).default("text"),
  body: messageBody,
  localId: z.string().min(1).max(64).optional(),
  replyId: jsonId.optional(),
});

export const sendMessageEvent = sendMessageBody.extend({ roomId: jsonId });

export const editMessageBody = z.object({ body: messageBody });

export const historyQuery = z.object({
  before: id.optional(),
  limit: digits(1, 100).default(50),
});
