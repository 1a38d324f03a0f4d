// Delivery details go to a room's admins only, and follow promotion and demotion live.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";
import { collect, connectSocket, emitWithAck } from "./helpers/sockets.ts";

let server: TestServer;
let alice: TestUser, bob: TestUser;
beforeAll(async () => {
  server = await startTestServer();
  [alice, bob] = await Promise.all([1, 2].map(() => buildUser(server.url)));
});
afterAll(() => server.close());

it("sends webhook:delivery to admins only, following promotion and demotion", async () => {
  const room = await buildRoom(alice, [bob]);
  // A closed loopback port: the ping is refused (private networks are off), which is all this needs.
  const webhook = (await alice.api.post(`/api/rooms/${room.id}/webhooks`, { url: "http://127.0.0.1:9/hook" })).body.webhook;
  const [a, b] = await Promise.all([connectSocket(server.url, alice.token), connectSocket(server.url, bob.token)]);
  try {
    const aliceGot = collect(a, "webhook:delivery");
    const bobGot = collect(b, "webhook:delivery");
    const ping = async () => (await alice.api.post(`/api/rooms/${room.id}/webhooks/${webhook.id}/test`)).body.delivery.id as number;
    const sawPing = (items: { delivery: unknown }[], id: number) => items.some((e) => (e.delivery as { id: number }).id === id);

    const first = await ping();
    await aliceGot.waitFor(1);
    await emitWithAck(b, "inspector:unwatch", { binId: "x" }); // a round trip: anything sent to Bob has arrived
    expect(sawPing(bobGot.items, first)).toBe(false);

    await alice.api.patch(`/api/rooms/${room.id}/members/${bob.id}`, { isAdmin: true });
    const second = await ping();
    await bobGot.waitFor(1);
    expect(sawPing(bobGot.items, second)).toBe(true);

    await alice.api.patch(`/api/rooms/${room.id}/members/${bob.id}`, { isAdmin: false });
    const before = bobGot.items.length;
    const third = await ping();
    const deadline = Date.now() + 10_000;
    while (!sawPing(aliceGot.items, third) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await emitWithAck(b, "inspector:unwatch", { binId: "x" });
    expect(bobGot.items.slice(before).some((e) => (e.delivery as { id: number }).id === third)).toBe(false);
  } finally {
    a.close();
    b.close();
  }
});
