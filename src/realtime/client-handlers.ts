// Events a client sends: message:send (same service as the REST route), typing, inspector watching.
// message:send and typing are rate-limited per user (token buckets, as the incoming hooks').
import type { AppContext } from "../app-context.ts";
import { toAppError } from "../http/error-middleware.ts";
import { notFound, rateLimited } from "../http/errors.ts";
import { jsonId, parse } from "../http/validate.ts";
import { sendMessageEvent } from "../messages/messages.schema.ts";
import { sendMessage } from "../messages/messages.service.ts";
import type { ErrorDto } from "../contracts/primitives.ts";
import { inspectorChannel, roomChannel } from "./channels.ts";
import type { AppSocket } from "./sockets.ts";
import { z } from "zod";
import { createTokenBuckets } from "../rate-limit/rate-limit.ts";

const typingEvent = z.object({ roomId: jsonId });
const watchEvent = z.object({ binId: z.string().min(1).max(64) });

function errorAck(ctx: AppContext, err: unknown): ErrorDto {
  const appError = toAppError(err);
  if (appError) return appError.toJSON();
  ctx.log.error({ err }, "socket handler failed");
  return { error: { code: "internal", message: "Internal server error" } };
}

/** Wraps a handler: validates nothing itself, but turns any throw into an `{error}` ack. */
function withAck<P, R>(ctx: AppContext, handler: (payload: P) => Promise<R>) {
  return async (payload: P, ack?: (r: R | ErrorDto) => void) => {
    try {
      const result = await handler(payload);
      if (typeof ack === "function") ack(result);
    } catch (err) {
      if (typeof ack === "function") ack(errorAck(ctx, err));
    }
  };
}

export type ClientRateLimits = ReturnType<typeof createClientRateLimits>;

/** One set per app: the buckets are per user, so opening more sockets buys no more messages. */
export function createClientRateLimits(ctx: AppContext) {
  return {
    message: createTokenBuckets(ctx.config.socketRates.message),
    typing: createTokenBuckets(ctx.config.socketRates.typing),
  };
}

export function registerClientHandlers(ctx: AppContext, limits: ClientRateLimits, socket: AppSocket): void {
  const userId = socket.data.userId;

  socket.on(
    "message:send",
    withAck(ctx, async (payload: unknown) => {
      const rate = limits.message.take(userId);
      if (!rate.allowed) throw rateLimited(rate.retryAfterS);
      const { roomId, ...input } = parse(sendMessageEvent, payload);
      const { message } = await sendMessage(ctx, userId, roomId, input);
      return { message };
    }),
  );

  // Fire and forget: an invalid or excess typing event is dropped.
  socket.on("typing", (payload: unknown) => {
    const parsed = typingEvent.safeParse(payload);
    if (!parsed.success) return;
    const channel = roomChannel(parsed.data.roomId);
    // Only rooms this socket is in: membership decided the joins.
    if (!socket.rooms.has(channel) || !limits.typing.take(userId).allowed) return;
    socket.to(channel).emit("typing", { roomId: parsed.data.roomId, userId });
  });

  socket.on(
    "inspector:watch",
    withAck(ctx, async (payload: unknown) => {
      const { binId } = parse(watchEvent, payload);
      const bin = await ctx.db.inspectorBin.findUnique({ where: { id: binId } });
      if (!bin || bin.ownerId !== userId) throw notFound("Bin");
      await socket.join(inspectorChannel(binId));
      return { ok: true as const };
    }),
  );

  socket.on(
    "inspector:unwatch",
    withAck(ctx, async (payload: unknown) => {
      const { binId } = parse(watchEvent, payload);
      await socket.leave(inspectorChannel(binId));
      return { ok: true as const };
    }),
  );
}
