// Per-user rate limits on the socket events a client sends: message:send beyond its bucket is
// acknowledged with rate_limited and posts nothing; typing beyond its bucket is dropped.
import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";
import { collect, connectSocket, emitWithAck, type TestSocket } from "./helpers/sockets.ts";

let server: TestServer;
let alice: TestUser, bob: TestUser;
const sockets: TestSocket[] = [];
beforeAll(async () => {
  // Buckets that hold a few events and practically never refill during the test.
  server = await startTestServer({
    SOCKET_MESSAGE_BURST: "3",
    SOCKET_MESSAGE_RATE_PER_S: "0.0001",
    SOCKET_TYPING_BURST: "2",
    SOCKET_TYPING_RATE_PER_S: "0.0001",
  });
  [alice, bob] = await Promise.all([1, 2].map(() => buildUser(server.url)));
});
afterAll(async () => {
  sockets.forEach((s) => s.close());
  await server.close();
});

const connect = async (u: TestUser) => {
  const s = await connectSocket(server.url, u.token);
  sockets.push(s);
  return s;
};
const settle = (s: TestSocket) => emitWithAck(s, "inspector:unwatch", { binId: "none" });

it("acknowledges message:send beyond the user's burst with rate_limited, on any of their sockets, and posts nothing", async () => {
  const room = await buildRoom(alice, [bob]);
  const [a1, a2, b] = await Promise.all([connect(alice), connect(alice), connect(bob)]);
  const send = (s: TestSocket, text: string) => emitWithAck(s, "message:send", { roomId: room.id, body: { text } });

  const acks = [];
  for (const text of ["one", "two", "three", "four"]) acks.push(await send(a1, text));
  expect(acks.slice(0, 3).every((a) => a.message)).toBe(true);
  expect(acks[3].error).toMatchObject({ code: "rate_limited", message: expect.any(String) });
  // The bucket is the user's, not the socket's; another user has their own.
  expect((await send(a2, "five")).error.code).toBe("rate_limited");
  expect((await send(b, "from bob")).message.body.text).toBe("from bob");

  const texts = (await alice.api.get(`/api/rooms/${room.id}/messages`)).body.messages.map((m: { body: { text: string } }) => m.body.text);
  expect(texts.reverse()).toEqual(["one", "two", "three", "from bob"]);
});

it("drops typing events beyond the user's burst", async () => {
  const room = await buildRoom(alice, [bob]);
  const [a, b] = await Promise.all([connect(alice), connect(bob)]);
  await Promise.all([settle(a), settle(b)]);
  const typing = collect(b, "typing");
  for (let i = 0; i < 6; i++) a.emit("typing", { roomId: room.id });
  // Alice's events are handled in order: after this ack every typing event has been relayed or
  // dropped; Bob's own round trip then comes after anything relayed to him.
  await settle(a);
  await settle(b);
  expect(typing.items).toEqual([
    { roomId: room.id, userId: alice.id },
    { roomId: room.id, userId: alice.id },
  ]);
});
