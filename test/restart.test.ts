// Data and tokens survive stopping and starting the server on the same database file.
import { expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { startTestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, sendText } from "./helpers/factories.ts";
import { client } from "./helpers/api.ts";

it("keeps users, rooms, messages and tokens across a restart, with the generated JWT secret kept beside the database", async () => {
  const first = await startTestServer();
  const alice = await buildUser(first.url);
  const room = await buildRoom(alice);
  const msg = await sendText(alice, room.id, "still here");
  await first.close();

  const secretFile = path.join(first.dir, "jwt-secret");
  expect(fs.existsSync(secretFile)).toBe(true);
  expect((fs.statSync(secretFile).mode & 0o777).toString(8)).toBe("600");

  const second = await startTestServer({}, { dir: first.dir });
  try {
    const api = client(second.url, alice.token);
    expect((await api.get("/api/users/me")).status).toBe(200);
    const history = await api.get(`/api/rooms/${room.id}/messages`);
    expect(history.body.messages.map((m: { id: number }) => m.id)).toEqual([msg.id]);
    const login = await client(second.url).post("/api/auth/login", { username: alice.username, password: "password123" });
    expect(login.status).toBe(200);
  } finally {
    await second.close();
  }
});
