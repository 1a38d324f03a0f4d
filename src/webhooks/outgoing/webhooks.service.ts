// Webhook settings of a room: create, list, get, update, delete, rotate the credentials, close the
// circuit, send a ping. Every route is for room admins; a webhook posts its replies and notices as
// its own bot user. A change is announced after commit: the dispatcher re-reads the webhook, and
// the room's admins' screens get the new webhook.
import type { Db, Prisma, Tx } from "../../db/client.ts";
import { prismaTransaction } from "../../db/transaction.ts";
import type { Events } from "../../events/domain-events.ts";
import { conflict } from "../../http/errors.ts";
import { requireAdmin } from "../../rooms/rooms.policy.ts";
import { createBotUser, renameBotUser } from "../../users/bots.ts";
import { killOpenDeliveries, queueDelivery } from "./deliveries.service.ts";
import { buildPayload, newEventId } from "./outbox/payloads.ts";
import { pingEventData } from "./event-payloads.ts";
import { CLOSED } from "./circuit.ts";
import { presentWebhook, type LastDeliveryDto, type WebhookDto, type WebhookRow } from "./webhooks.presenter.ts";
import { requireRoomWebhook } from "./webhooks.policy.ts";
import type { CreateWebhookInput, DeliveryStatus, UpdateWebhookInput } from "./webhooks.schema.ts";
import { newVerificationSignature, newWebhookSecret, PREVIOUS_SECRET_TTL_MS } from "./secrets.ts";

export interface WebhookDeps {
  db: Db;
  bus: Events;
}

/** Keeps one room from fanning a single message out to an unbounded number of receivers. */
export const MAX_WEBHOOKS_PER_ROOM = 50;

export async function listWebhooks(deps: WebhookDeps, userId: number, roomId: number) {
  await requireAdmin(deps.db, roomId, userId);
  const rows = await deps.db.webhook.findMany({ where: { roomId, deletedAt: null }, orderBy: { id: "asc" } });
  const last = await lastDeliveries(deps.db, rows.map((w) => w.id));
  return { webhooks: rows.map((w) => presentWebhook(w, { lastDelivery: last.get(w.id) ?? null })) };
}

export async function getWebhook(deps: WebhookDeps, userId: number, roomId: number, webhookId: number) {
  const row = await requireRoomWebhook(deps.db, userId, roomId, webhookId);
  return { webhook: await presentOne(deps.db, row) };
}

export async function presentOne(db: Db, row: WebhookRow) {
  const last = await lastDeliveries(db, [row.id]);
  return presentWebhook(row, { lastDelivery: last.get(row.id) ?? null });
}

/** The newest delivery of each webhook, in two queries whatever the count. */
async function lastDeliveries(db: Db, webhookIds: number[]): Promise<Map<number, LastDeliveryDto>> {
  if (webhookIds.length === 0) return new Map();
  const newest = await db.webhookDelivery.groupBy({ by: ["webhookId"], where: { webhookId: { in: webhookIds } }, _max: { id: true } });
  const ids = newest.map((n) => n._max.id).filter((id): id is number => id !== null);
  const rows = await db.webhookDelivery.findMany({
    where: { id: { in: ids } },
    select: { id: true, webhookId: true, event: true, status: true, createdAt: true },
  });
  return new Map(
    rows.map((d) => [d.webhookId, { id: d.id, event: d.event, status: d.status as DeliveryStatus, createdAt: d.createdAt.getTime() }]),
  );
}

export async function createWebhook(deps: WebhookDeps, userId: number, roomId: number, input: CreateWebhookInput) {
  const row = await prismaTransaction(deps, async (tx) => {
    await requireAdmin(tx, roomId, userId);
    const count = await tx.webhook.count({ where: { roomId, deletedAt: null } });
    if (count >= MAX_WEBHOOKS_PER_ROOM) throw conflict(`A room can have at most ${MAX_WEBHOOKS_PER_ROOM} webhooks`);
    const name = input.name ?? new URL(input.url).host;
    return tx.webhook.create({
      data: {
        roomId,
        name,
        url: input.url,
        events: JSON.stringify(input.events),
        method: input.method,
        contentType: input.contentType,
        maxAttempts: input.maxAttempts,
        enabled: input.enabled,
        verificationSignature: newVerificationSignature(),
        secret: input.secret ?? newWebhookSecret(),
        headers: JSON.stringify(input.headers),
        replyEnabled: input.replyEnabled,
        triggerWords: JSON.stringify(input.triggerWords),
        triggerMatch: input.triggerMatch,
        botUserId: await createBotUser(tx, name),
      },
    });
  });
  return { webhook: presentWebhook(row, { lastDelivery: null }) };
}

export async function updateWebhook(deps: WebhookDeps, userId: number, roomId: number, webhookId: number, input: UpdateWebhookInput) {
  const row = await prismaTransaction(deps, async (tx) => {
    const current = await requireRoomWebhook(tx, userId, roomId, webhookId);
    const now = new Date();
    const data = changesOf(current, input, now);
    if (input.name !== undefined && input.name !== current.name) await renameBotUser(tx, current.botUserId, input.name);
    if (input.enabled === false) await killOpenDeliveries(tx, webhookId, now);
    return tx.webhook.update({ where: { id: webhookId }, data });
  });
  return announceChange(deps, await presentOne(deps.db, row));
}

/**
 * After commit (the webhook is presented from the committed row): the dispatcher re-reads the
 * webhook (and claims again: a closed circuit sends at once); admins' screens follow.
 */
function announceChange(deps: WebhookDeps, webhook: WebhookDto): { webhook: WebhookDto } {
  deps.bus.publish("webhook.changed", { webhookId: webhook.id });
  if (webhook.enabled) deps.bus.publish("outbox.enqueued", { webhookIds: [webhook.id] });
  deps.bus.publish("webhook.updated", { roomId: webhook.roomId, webhook });
  return { webhook };
}

/** Tells a webhook's admins' screens what it is now (after the dispatcher changed it). */
export async function announceWebhook(deps: WebhookDeps, roomId: number, webhookId: number): Promise<void> {
  const row = await deps.db.webhook.findFirst({ where: { id: webhookId, roomId, deletedAt: null } });
  if (row) deps.bus.publish("webhook.updated", { roomId, webhook: await presentOne(deps.db, row) });
}

const closedCircuit = { circuitState: CLOSED.state, circuitFailures: CLOSED.failures, circuitOpenUntil: CLOSED.openUntil };

/** Closes the circuit by hand: sending resumes at once (the deliveries that waited go out in order). */
export async function closeCircuit(deps: WebhookDeps, userId: number, roomId: number, webhookId: number) {
  const row = await prismaTransaction(deps, async (tx) => {
    await requireRoomWebhook(tx, userId, roomId, webhookId);
    return tx.webhook.update({ where: { id: webhookId }, data: closedCircuit });
  });
  return announceChange(deps, await presentOne(deps.db, row));
}

/** The column changes of a PATCH; re-enabling forgives the past (reason, dead streak and circuit cleared). */
function changesOf(current: WebhookRow, input: UpdateWebhookInput, now: Date): Prisma.WebhookUpdateInput {
  const data: Prisma.WebhookUpdateInput = {
    url: input.url,
    name: input.name,
    method: input.method,
    contentType: input.contentType,
    maxAttempts: input.maxAttempts,
    replyEnabled: input.replyEnabled,
    events: input.events && JSON.stringify(input.events),
    headers: input.headers && JSON.stringify(input.headers),
    triggerWords: input.triggerWords && JSON.stringify(input.triggerWords),
    triggerMatch: input.triggerMatch,
  };
  if (input.enabled === true && !current.enabled) Object.assign(data, { enabled: true, disabledReason: null, deadStreak: 0, ...closedCircuit });
  if (input.enabled === false && current.enabled) Object.assign(data, { enabled: false, disabledReason: null });
  // A new secret given by hand is a rotation too: receivers still holding the old one keep verifying for a day.
  if (input.secret !== undefined && input.secret !== current.secret) Object.assign(data, secretChange(current, input.secret, now));
  return data;
}

function secretChange(current: WebhookRow, secret: string, now: Date) {
  return { secret, previousSecret: current.secret, previousSecretExpiresAt: new Date(now.getTime() + PREVIOUS_SECRET_TTL_MS) };
}

/** Soft delete: the row stays for the delivery log's history, but is never sent to or shown again. */
export async function deleteWebhook(deps: WebhookDeps, userId: number, roomId: number, webhookId: number) {
  await prismaTransaction(deps, async (tx: Tx, after) => {
    await requireRoomWebhook(tx, userId, roomId, webhookId);
    const now = new Date();
    await tx.webhook.update({ where: { id: webhookId }, data: { deletedAt: now, enabled: false } });
    await killOpenDeliveries(tx, webhookId, now);
    after.publish("webhook.changed", { webhookId });
  });
}

/** New Verification-Signature and secret; the previous secret keeps signing for 24 hours. */
export async function rotateWebhook(deps: WebhookDeps, userId: number, roomId: number, webhookId: number) {
  const row = await prismaTransaction(deps, async (tx) => {
    const current = await requireRoomWebhook(tx, userId, roomId, webhookId);
    return tx.webhook.update({
      where: { id: webhookId },
      data: { verificationSignature: newVerificationSignature(), ...secretChange(current, newWebhookSecret(), new Date()) },
    });
  });
  return announceChange(deps, await presentOne(deps.db, row));
}

/** Queues a `webhook.ping`, whatever events the webhook subscribes to. */
export async function pingWebhook(deps: WebhookDeps, userId: number, roomId: number, webhookId: number) {
  return queueDelivery(deps, userId, roomId, webhookId, async (_tx, webhook, now) => ({
    eventId: newEventId(),
    event: "webhook.ping",
    payload: buildPayload({
      event: "webhook.ping",
      at: now.getTime(),
      data: pingEventData(webhook),
      verificationSignature: webhook.verificationSignature,
    }),
  }));
}
