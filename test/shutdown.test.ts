// Graceful shutdown of the real process: SIGTERM lets an in-flight request finish, closes sockets, exits 0.
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { expect, inject, it } from "vitest";
import { freePort, startChildServer } from "./helpers/child-server.ts";
import { buildUser } from "./helpers/factories.ts";
import { connectSocket } from "./helpers/sockets.ts";

it("finishes an in-flight request, disconnects sockets and exits 0 on SIGTERM", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-shutdown-"));
  fs.copyFileSync(inject("templateDb"), path.join(dir, "chat.db"));
  const proc = await startChildServer(await freePort(), { DATABASE_URL: `file:${path.join(dir, "chat.db")}` });
  const exited = new Promise<number | null>((resolve) => proc.process.once("exit", (code) => resolve(code)));
  const alice = await buildUser(proc.url);
  const socket = await connectSocket(proc.url, alice.token);
  const disconnected = new Promise<string>((resolve) => socket.once("disconnect", resolve));

  // A request whose body is only half sent when the signal lands.
  const body = JSON.stringify({ username: "late.user", password: "password123", displayName: "Late" });
  const req = http.request(`${proc.url}/api/auth/register`, {
    method: "POST",
    headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
  });
  const response = new Promise<number>((resolve, reject) => {
    req.on("response", (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
  });
  req.write(body.slice(0, 10));
  await new Promise((r) => setTimeout(r, 200)); // let the server read the headers
  proc.process.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 100));
  req.end(body.slice(10));

  expect(await response).toBe(201);
  expect(await disconnected).toBeTruthy();
  expect(await exited).toBe(0);
  socket.close();
}, 30_000);
