// Private destinations with WEBHOOK_ALLOW_PRIVATE_NETWORKS off: every spelling of loopback is
// refused before anything is sent, with a clear error in the log. Only loopback receivers are
// used here; 10.x, 169.254.169.254 and the rest are unit tests of the address check.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { createWebhook, getDelivery, waitForFinalDeliveries, waitUntil } from "./helpers/webhooks.ts";

let server: TestServer;
let admin: TestUser;
let receiver: Receiver;
let receiver6: Receiver | undefined;

beforeAll(async () => {
  // PUBLIC_URL is this server (http://127.0.0.1:<port>), so its inspector bins are on loopback too.
  server = await startTestServer({ WEBHOOK_ALLOW_PRIVATE_NETWORKS: "false" }, { publicUrlIsSelf: true });
  admin = await buildUser(server.url);
  receiver = await startReceiver();
  receiver6 = await startReceiver(0, "::1").catch(() => undefined);
});
afterAll(async () => {
  await server?.close();
  await receiver?.close();
  await receiver6?.close();
});

it("never sends to loopback, however it is spelled, and says why", async () => {
  const p = receiver.port;
  const urls = [
    `http://127.0.0.1:${p}/hook`,
    `http://localhost:${p}/hook`,
    `http://127.1:${p}/hook`,
    `http://2130706433:${p}/hook`,
    `http://0x7f000001:${p}/hook`,
    `http://[::ffff:127.0.0.1]:${p}/hook`,
    `http://0.0.0.0:${p}/hook`,
    `http://[::1]:${receiver6?.port ?? p}/hook`,
  ];
  const room = await buildRoom(admin);
  const webhooks = [];
  for (const url of urls) webhooks.push(await createWebhook(admin, room.id, { url, maxAttempts: 1 }));
  await sendText(admin, room.id, "secret internal data");
  for (const w of webhooks) {
    const [d] = await waitForFinalDeliveries(admin, w, 1);
    expect(d!.status, w.url).toBe("dead");
    const { attempts } = await getDelivery(admin, w, d!.id);
    expect(attempts).toHaveLength(1);
    expect(attempts[0]!.responseStatus).toBeNull();
    expect(attempts[0]!.error, w.url).toMatch(/^destination \S+ (is|resolves to \S+,) a private\/loopback address/);
  }
  expect(receiver.requests).toHaveLength(0);
  expect(receiver6?.requests ?? []).toHaveLength(0);
});

it("delivers to this server's own inspector bin, and only to its exact URL", async () => {
  const bin = (await admin.api.post("/api/inspector/bins")).body.bin as { id: string; url: string };
  expect(bin.url).toBe(`${server.app.ctx.publicUrl()}/inspect/${bin.id}`);
  const room = await buildRoom(admin);
  const exact = await createWebhook(admin, room.id, { url: bin.url, maxAttempts: 1 });
  const subPath = await createWebhook(admin, room.id, { url: `${bin.url}/deeper`, maxAttempts: 1 });
  await sendText(admin, room.id, "to the inspector");
  const [ok] = await waitForFinalDeliveries(admin, exact, 1);
  expect(ok).toMatchObject({ status: "succeeded", lastStatusCode: 200 });
  const [refused] = await waitForFinalDeliveries(admin, subPath, 1);
  expect(refused!.status).toBe("dead");
  expect((await getDelivery(admin, subPath, refused!.id)).attempts[0]!.error).toMatch(/private\/loopback/);
  const requests = await waitUntil(async () => {
    const list = (await admin.api.get(`/api/inspector/bins/${bin.id}/requests`)).body.requests as { path: string; body: string }[];
    return list.length > 0 ? list : undefined;
  }, "the captured request");
  expect(requests).toHaveLength(1);
  expect(requests[0]!.path).toBe(`/inspect/${bin.id}`);
  expect(JSON.parse(requests[0]!.body).data.message.body.text).toBe("to the inspector");
});
