// Incoming webhooks: room admins create, list, rename, disable and delete them; anyone holding
// the key (or signing with the secret) posts into the room as the hook's bot.
import type { z } from "zod";
import type { AppContext } from "../../app-context.ts";
import { transaction } from "../../db/client.ts";
import { forbidden, notFound, rateLimited, unauthorized, unsupportedMediaType, validationFailed } from "../../http/errors.ts";
import { parse } from "../../http/validate.ts";
import { createMessage } from "../../messages/messages.service.ts";
import { requireAdmin } from "../../rooms/rooms.policy.ts";
import { createBotUser, renameBotUser } from "../../users/bots.ts";
import { checkHookRequest, type HookRequest, type Verification } from "./hook-auth.ts";
import { generateApiKey, generateHmacSecret } from "./hmac.ts";
import { presentIncomingWebhook } from "./incoming.presenter.ts";
import { hookPostBody, type createIncomingBody, type updateIncomingBody } from "./incoming.schema.ts";
import type { RateLimiter } from "../../rate-limit/rate-limit.ts";

type Deps = Pick<AppContext, "db" | "bus" | "metrics" | "publicUrl">;

export async function createIncomingWebhook(
  deps: Deps,
  userId: number,
  roomId: number,
  input: z.output<typeof createIncomingBody>,
) {
  const secret = input.secret ?? (input.verification === "api_key" ? generateApiKey() : generateHmacSecret());
  const row = await transaction(deps.db, async (tx) => {
    await requireAdmin(tx, roomId, userId);
    const botUserId = await createBotUser(tx, input.name);
    return tx.incomingWebhook.create({
      data: { roomId, name: input.name, verification: input.verification, secret, botUserId },
    });
  });
  return { incomingWebhook: presentIncomingWebhook(row, deps.publicUrl()) };
}

export async function listIncomingWebhooks(deps: Deps, userId: number, roomId: number) {
  await requireAdmin(deps.db, roomId, userId);
  const rows = await deps.db.incomingWebhook.findMany({ where: { roomId, deletedAt: null }, orderBy: { id: "asc" } });
  return { incomingWebhooks: rows.map((r) => presentIncomingWebhook(r, deps.publicUrl())) };
}

export async function getIncomingWebhook(deps: Deps, userId: number, roomId: number, id: number) {
  await requireAdmin(deps.db, roomId, userId);
  return { incomingWebhook: presentIncomingWebhook(await findLiveHook(deps, roomId, id), deps.publicUrl()) };
}

export async function updateIncomingWebhook(
  deps: Deps,
  userId: number,
  roomId: number,
  id: number,
  input: z.output<typeof updateIncomingBody>,
) {
  const row = await transaction(deps.db, async (tx) => {
    await requireAdmin(tx, roomId, userId);
    const hook = await findLiveHook({ db: tx }, roomId, id);
    if (input.name !== undefined) await renameBotUser(tx, hook.botUserId, input.name);
    return tx.incomingWebhook.update({ where: { id }, data: { name: input.name, enabled: input.enabled } });
  });
  return { incomingWebhook: presentIncomingWebhook(row, deps.publicUrl()) };
}

/** Soft delete: the row (and the bot that signed its messages) stays, but the hook answers 404 from now on. */
export async function deleteIncomingWebhook(deps: Deps, userId: number, roomId: number, id: number) {
  await transaction(deps.db, async (tx) => {
    await requireAdmin(tx, roomId, userId);
    await findLiveHook({ db: tx }, roomId, id);
    await tx.incomingWebhook.update({ where: { id }, data: { deletedAt: new Date(), enabled: false } });
  });
}

async function findLiveHook(deps: { db: Pick<Deps["db"], "incomingWebhook"> }, roomId: number, id: number) {
  const hook = await deps.db.incomingWebhook.findFirst({ where: { id, roomId, deletedAt: null } });
  if (!hook) throw notFound("Incoming webhook");
  return hook;
}

export interface HookPost {
  hookId: number;
  request: HookRequest;
  /** Whether the Content-Type says JSON. */
  isJson: boolean;
}

/**
 * A post to /api/hooks/:hookId, in the contract's order: the hook and its key or signature
 * (404 / 401), then the rate limit (429), then the body (415 / 400). Nothing is posted on any refusal.
 */
export async function receiveHookPost(deps: Deps, buckets: RateLimiter, post: HookPost) {
  const hook = await deps.db.incomingWebhook.findUnique({ where: { id: post.hookId } });
  if (!hook || hook.deletedAt) throw notFound("Incoming webhook");
  const auth = checkHookRequest({ verification: hook.verification as Verification, secret: hook.secret }, post.request);
  if (!auth.ok) throw unauthorized(auth.reason);
  if (!hook.enabled) throw forbidden("This incoming webhook is disabled");

  const rate = await buckets.take(hook.id);
  if (!rate.allowed) throw rateLimited(rate.retryAfterS);

  if (!post.isJson) throw unsupportedMediaType("Send the body as application/json");
  const { text } = parse(hookPostBody, parseJson(post.request.rawBody));
  const { message } = await createMessage(deps, {
    roomId: hook.roomId,
    fromUserId: hook.botUserId,
    source: "incoming",
    body: { text },
  });
  return { message };
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw validationFailed([{ path: "", message: "Malformed JSON body" }], "Malformed JSON body");
  }
}
