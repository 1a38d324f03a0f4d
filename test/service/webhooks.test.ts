// Webhook settings through the service, on SQLite: credentials and the bot at creation, a test
// ping queued and announced after its commit, nothing queued for a disabled webhook, and a
// disabled webhook's open deliveries dying with it.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createRoom } from "../../src/rooms/rooms.service.ts";
import { replay } from "../../src/webhooks/outgoing/replay.service.ts";
import { closeCircuit, createWebhook, pingWebhook, updateWebhook } from "../../src/webhooks/outgoing/webhooks.service.ts";
import { createWebhookBody, replayBody, updateWebhookBody } from "../../src/webhooks/outgoing/webhooks.schema.ts";
import { sqlite } from "../sql/dialects.ts";
import { names, openHarness, type Harness } from "./harness.ts";

describe("webhook settings", () => {
  let h: Harness;
  let alice: number, bob: number, roomId: number;
  beforeEach(async () => {
    h = await openHarness(sqlite);
    [alice, bob] = [await h.user("alice"), await h.user("bob")];
    roomId = (await createRoom(h.deps, alice, { name: "R", memberIds: [bob] })).room.id;
    h.drain();
  });
  afterEach(() => h.close());

  const create = (body: Record<string, unknown> = {}) =>
    createWebhook(h.deps, alice, roomId, createWebhookBody.parse({ url: "https://example.com/hook", ...body })).then((r) => r.webhook);

  it("creates a webhook with fresh credentials and its own bot user, announcing nothing", async () => {
    const w = await create({ name: "Support bot" });
    expect(w).toMatchObject({ name: "Support bot", enabled: true, events: ["message.created"], lastDelivery: null });
    expect(w.secret).toMatch(/^whsec_/);
    expect(w.verificationSignature).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(await h.database.prisma.user.findUniqueOrThrow({ where: { id: w.botUserId } })).toMatchObject({ isBot: true, displayName: "Support bot" });
    expect(h.published).toEqual([]);
    await expect(createWebhook(h.deps, bob, roomId, createWebhookBody.parse({ url: "https://example.com/x" }))).rejects.toMatchObject({ status: 403 });
  });

  it("queues a test ping and announces it after the commit: the dispatcher's wake and the admins' live log", async () => {
    const w = await create();
    const { delivery } = await pingWebhook(h.deps, alice, roomId, w.id);
    expect(delivery).toMatchObject({ webhookId: w.id, event: "webhook.ping", status: "pending" });
    const events = h.drain();
    expect(names(events)).toEqual(["outbox.enqueued", "webhook.delivery"]);
    expect(events[1]).toMatchObject({ payload: { roomId, webhookId: w.id, delivery: { id: delivery.id } } });
  });

  it("queues and announces nothing for a disabled webhook; disabling kills its open deliveries", async () => {
    const w = await create();
    const { delivery } = await pingWebhook(h.deps, alice, roomId, w.id);
    h.drain();
    await updateWebhook(h.deps, alice, roomId, w.id, updateWebhookBody.parse({ enabled: false }));
    expect(await h.database.prisma.webhookDelivery.findUniqueOrThrow({ where: { id: delivery.id } })).toMatchObject({ status: "dead" });
    // The change itself is announced: the dispatcher re-reads the webhook, the admins' screens show it
    // (a disabled webhook wakes no claim).
    expect(names(h.drain())).toEqual(["webhook.changed", "webhook.updated"]);
    await expect(pingWebhook(h.deps, alice, roomId, w.id)).rejects.toMatchObject({ status: 409 });
    expect(await h.database.prisma.webhookDelivery.count({ where: { webhookId: w.id } })).toBe(1);
    expect(h.published).toEqual([]);
  });

  it("closes a circuit by hand and announces it: the dispatcher re-reads and claims again, the admins' screens follow", async () => {
    const w = await create();
    await h.database.prisma.webhook.update({ where: { id: w.id }, data: { circuitState: "open", circuitFailures: 5, circuitOpenUntil: new Date(Date.now() + 60_000) } });
    const { webhook } = await closeCircuit(h.deps, alice, roomId, w.id);
    expect(webhook.circuit).toEqual({ state: "closed", failures: 0, openUntil: null });
    const events = h.drain();
    expect(names(events)).toEqual(["webhook.changed", "outbox.enqueued", "webhook.updated"]);
    expect(events[2]).toMatchObject({ payload: { roomId, webhook: { id: w.id, circuit: { state: "closed" } } } });
    await expect(closeCircuit(h.deps, bob, roomId, w.id)).rejects.toMatchObject({ status: 403 });
    expect(h.published).toEqual([]);
  });

  it("wakes the dispatcher after a replay that queued something, and only then", async () => {
    const w = await create();
    const input = replayBody.parse({ since: 0 });
    expect(await replay(h.deps, alice, roomId, w.id, input)).toEqual({ count: 0 });
    expect(h.drain()).toEqual([]);
    await h.database.prisma.webhookDelivery.create({ data: { webhookId: w.id, eventId: "evt_1", event: "webhook.ping", payload: "{}", status: "dead", attempts: 8 } });
    expect(await replay(h.deps, alice, roomId, w.id, input)).toEqual({ count: 1 });
    expect(h.drain()).toEqual([{ event: "outbox.enqueued", payload: { webhookIds: [w.id] } }]);
  });
});
