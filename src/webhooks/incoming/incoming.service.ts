// Incoming webhooks: room admins create, list, rename, disable, template and delete them, read
// their request log and preview templates; posting to a hook is in receive.ts.
import type { z } from "zod";
import type { AppContext } from "../../app-context.ts";
import { prismaTransaction } from "../../db/transaction.ts";
import { notFound, validationFailed } from "../../http/errors.ts";
import { requireAdmin } from "../../rooms/rooms.policy.ts";
import { createBotUser, renameBotUser } from "../../users/bots.ts";
import { generateApiKey, generateHmacSecret } from "./hook-secrets.ts";
import { slackText } from "./hook-text.ts";
import { presentIncomingWebhook } from "./incoming.presenter.ts";
import type { createIncomingBody, previewBody, updateIncomingBody } from "./incoming.schema.ts";
import { listHookRequests } from "./request-log.ts";
import { renderTemplate } from "./template.ts";

type Deps = Pick<AppContext, "db" | "bus" | "publicUrl">;

export async function createIncomingWebhook(
  deps: Deps,
  userId: number,
  roomId: number,
  input: z.output<typeof createIncomingBody>,
) {
  const secret = input.secret ?? (input.verification === "api_key" ? generateApiKey() : generateHmacSecret());
  const row = await prismaTransaction(deps, async (tx) => {
    await requireAdmin(tx, roomId, userId);
    const botUserId = await createBotUser(tx, input.name);
    return tx.incomingWebhook.create({
      data: { roomId, name: input.name, verification: input.verification, secret, botUserId, template: input.template ?? null },
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
  const row = await prismaTransaction(deps, async (tx) => {
    await requireAdmin(tx, roomId, userId);
    const hook = await findLiveHook({ db: tx }, roomId, id);
    if (input.name !== undefined) await renameBotUser(tx, hook.botUserId, input.name);
    return tx.incomingWebhook.update({ where: { id }, data: { name: input.name, enabled: input.enabled, template: input.template } });
  });
  return { incomingWebhook: presentIncomingWebhook(row, deps.publicUrl()) };
}

/** Soft delete: the row (and the bot that signed its messages) stays, but the hook answers 404 from now on. */
export async function deleteIncomingWebhook(deps: Deps, userId: number, roomId: number, id: number) {
  await prismaTransaction(deps, async (tx) => {
    await requireAdmin(tx, roomId, userId);
    await findLiveHook({ db: tx }, roomId, id);
    await tx.incomingWebhook.update({ where: { id }, data: { deletedAt: new Date(), enabled: false } });
    await tx.incomingWebhookSample.deleteMany({ where: { hookId: id } });
  });
}

export async function listIncomingRequests(deps: Deps, userId: number, roomId: number, id: number) {
  await requireAdmin(deps.db, roomId, userId);
  await findLiveHook(deps, roomId, id);
  return { requests: await listHookRequests(deps.db, id) };
}

/**
 * The text a request would post: `template` (the hook's own when absent; Slack's rule when null)
 * over `body` (the hook's last request when absent). Refusals are 400 with the reason.
 */
export async function previewIncomingText(deps: Deps, userId: number, roomId: number, id: number, input: z.output<typeof previewBody>) {
  await requireAdmin(deps.db, roomId, userId);
  const hook = await findLiveHook(deps, roomId, id);
  const template = input.template === undefined ? hook.template : input.template;
  let body = input.body;
  if (body === undefined) {
    const sample = await deps.db.incomingWebhookSample.findUnique({ where: { hookId: id } });
    if (!sample) {
      const message = "This hook has not received a request with a JSON body yet: give a sample body";
      throw validationFailed([{ path: "body", message }], message);
    }
    body = JSON.parse(sample.body);
  }
  return { text: template ? renderTemplate(template, body) : slackText(body) };
}

/** A hook to post to (deleted ones are unknown); the room is not checked: the key decides. */
export async function findHookForPost(deps: Pick<Deps, "db">, hookId: number) {
  const hook = await deps.db.incomingWebhook.findUnique({ where: { id: hookId } });
  if (!hook || hook.deletedAt) throw notFound("Incoming webhook");
  return hook;
}

async function findLiveHook(deps: { db: Pick<Deps["db"], "incomingWebhook"> }, roomId: number, id: number) {
  const hook = await deps.db.incomingWebhook.findFirst({ where: { id, roomId, deletedAt: null } });
  if (!hook) throw notFound("Incoming webhook");
  return hook;
}
