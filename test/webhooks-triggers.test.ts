// Trigger words (README "Trigger words", docs/api.md): with a non-empty triggerWords, message.created and
// message.updated are sent only for a text whose first word (first_word) or any word (anywhere)
// equals one of them, ignoring case, words separated by whitespace; other events are unaffected.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorFields } from "./helpers/api.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { createWebhook, getWebhook, listDeliveries, waitUntil } from "./helpers/webhooks.ts";

let server: TestServer;
let receiver: Receiver;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true" });
  receiver = await startReceiver();
  admin = await buildUser(server.url);
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

const texts = (path: string) =>
  receiver.requests.filter((r) => r.url === path).map((r) => {
    const body = JSON.parse(r.body);
    return `${body.type}:${body.data.message?.body.text ?? body.data.user?.username ?? ""}`;
  });
/** Waits until `path` got a request whose text is `marker` (a webhook's requests arrive in order). */
const reached = (path: string, marker: string) => waitUntil(async () => texts(path).some((t) => t.endsWith(`:${marker}`)), `${path} to get "${marker}"`);

describe("trigger words", () => {
  it("are on the webhook: [] and first_word by default, set on create, changed and cleared with PATCH", async () => {
    const room = await buildRoom(admin);
    const plain = await createWebhook(admin, room.id, { url: `${receiver.url}/plain` });
    expect(plain).toMatchObject({ triggerWords: [], triggerMatch: "first_word" });
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/set`, triggerWords: ["!deploy", " Build "], triggerMatch: "anywhere" });
    expect(w).toMatchObject({ triggerWords: ["!deploy", "Build"], triggerMatch: "anywhere" });
    expect(await getWebhook(admin, w)).toMatchObject({ triggerWords: ["!deploy", "Build"], triggerMatch: "anywhere" });
    const patched = await admin.api.patch(`/api/rooms/${room.id}/webhooks/${w.id}`, { triggerWords: ["ship"] });
    expect(patched.status).toBe(200);
    expect(patched.body.webhook).toMatchObject({ triggerWords: ["ship"], triggerMatch: "anywhere" });
    const listed = await admin.api.get(`/api/rooms/${room.id}/webhooks`);
    expect(listed.body.webhooks.find((x: { id: number }) => x.id === w.id)).toMatchObject({ triggerWords: ["ship"] });
    const cleared = await admin.api.patch(`/api/rooms/${room.id}/webhooks/${w.id}`, { triggerWords: [], triggerMatch: "first_word" });
    expect(cleared.body.webhook).toMatchObject({ triggerWords: [], triggerMatch: "first_word" });
  });

  it("send message.created only for a matching first word, or any word, case-insensitively", async () => {
    const room = await buildRoom(admin);
    const first = await createWebhook(admin, room.id, { url: `${receiver.url}/first`, triggerWords: ["!deploy"] });
    const anywhere = await createWebhook(admin, room.id, { url: `${receiver.url}/anywhere`, triggerWords: ["urgent", "Deploy"], triggerMatch: "anywhere" });
    await createWebhook(admin, room.id, { url: `${receiver.url}/all` });
    const sent = ["!deploy api to prod", "please deploy now", "URGENT: disk", "this is Urgent", "  !DEPLOY\tweb", "deploy! now", "nothing here", "!deploy urgent marker"];
    for (const text of sent) await sendText(admin, room.id, text);
    for (const path of ["/first", "/anywhere", "/all"]) await reached(path, "!deploy urgent marker");
    const created = (list: string[]) => list.map((t) => `message.created:${t}`);
    expect(texts("/first")).toEqual(created(["!deploy api to prod", "  !DEPLOY\tweb", "!deploy urgent marker"]));
    expect(texts("/anywhere")).toEqual(created(["please deploy now", "this is Urgent", "!deploy urgent marker"]));
    expect(texts("/all")).toEqual(created(sent));
    // The others were never queued: the log holds only what was sent.
    expect((await listDeliveries(admin, first)).map((d) => d.event)).toHaveLength(3);
    expect(await listDeliveries(admin, anywhere)).toHaveLength(3);
  });

  it("filter message.updated too, and leave message.deleted and membership events alone", async () => {
    const member = await buildUser(server.url);
    const room = await buildRoom(admin);
    await createWebhook(admin, room.id, {
      url: `${receiver.url}/edits`,
      events: ["message.created", "message.updated", "message.deleted", "member.added"],
      triggerWords: ["!bot"],
    });
    const m = await sendText(admin, room.id, "hello");
    expect((await admin.api.patch(`/api/messages/${m.id}`, { body: { text: "!bot hello" } })).status).toBe(200);
    expect((await admin.api.patch(`/api/messages/${m.id}`, { body: { text: "bye" } })).status).toBe(200);
    expect((await admin.api.delete(`/api/messages/${m.id}`)).status).toBe(200);
    expect((await admin.api.post(`/api/rooms/${room.id}/members`, { userId: member.id })).status).toBe(201);
    await sendText(admin, room.id, "!bot done");
    await reached("/edits", "!bot done");
    expect(texts("/edits")).toEqual(["message.updated:!bot hello", "message.deleted:", `member.added:${member.username}`, "message.created:!bot done"]);
  });

  it.each([
    [{ triggerWords: "!deploy" }, "triggerWords"],
    [{ triggerWords: ["two words"] }, "triggerWords.0"],
    [{ triggerWords: [""] }, "triggerWords.0"],
    [{ triggerWords: [7] }, "triggerWords.0"],
    [{ triggerMatch: "exact" }, "triggerMatch"],
  ])("refuses %j with 400 naming %s, on create and on PATCH, changing nothing", async (bad, field) => {
    const room = await buildRoom(admin);
    const created = await admin.api.post(`/api/rooms/${room.id}/webhooks`, { url: `${receiver.url}/bad`, ...bad });
    expect(created.status).toBe(400);
    expect(created.body.error.code).toBe("validation_failed");
    expect(errorFields(created)).toContain(field);
    expect((await admin.api.get(`/api/rooms/${room.id}/webhooks`)).body.webhooks).toEqual([]);
    const w = await createWebhook(admin, room.id, { url: `${receiver.url}/bad`, triggerWords: ["ok"] });
    const patched = await admin.api.patch(`/api/rooms/${room.id}/webhooks/${w.id}`, bad);
    expect(patched.status).toBe(400);
    expect(await getWebhook(admin, w)).toMatchObject({ triggerWords: ["ok"], triggerMatch: "first_word" });
  });
});
