// A database that fails during the Socket.IO handshake refuses the socket (the client tries again
// later) and leaves the server running; once the database is back, sockets connect again. The
// server runs as a child process, so a crash would show as a dead process, not as a test error.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import jwt from "jsonwebtoken";
import pg from "pg";
import { afterEach, describe, expect, inject, it } from "vitest";
import { startChildServer, freePort, type ChildServer } from "./helpers/child-server.ts";
import { createPostgresTemplate, PG_ADMIN_URL, servicesAvailable } from "./helpers/services.ts";
import { client } from "./helpers/api.ts";
import { connectSocket } from "./helpers/sockets.ts";

const JWT_SECRET = "handshake-failure-test-secret";
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startServer(env: Record<string, string>): Promise<ChildServer> {
  const child = await startChildServer(await freePort(), { JWT_SECRET, WEBHOOK_POLL_MS: "100", ...env });
  cleanups.push(() => child.kill("SIGKILL"));
  return child;
}

async function register(url: string): Promise<{ id: number; token: string }> {
  const res = await client(url).post("/api/auth/register", { username: `hs${Date.now() % 1e6}`, password: "password123", displayName: "Hand Shake" });
  expect(res.status, res.text).toBe(201);
  return { id: res.body.user.id, token: res.body.token };
}

/** The error a refused handshake gives the client (connectSocket rejects with it). */
async function handshakeError(url: string, token: string): Promise<Error & { data?: { code?: string } }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const noAnswer = new Promise<"none">((resolve) => (timer = setTimeout(() => resolve("none"), 10_000)));
  const result = await Promise.race([
    connectSocket(url, token).then(
      (s) => (s.close(), null),
      (err: Error) => err,
    ),
    noAnswer,
  ]);
  clearTimeout(timer);
  if (result === "none") throw new Error("the handshake got no answer (has the server exited?)");
  if (!result) throw new Error("the socket connected although the database is down");
  return result;
}

/** Tries to connect until the server accepts again (the database has just come back). */
async function connectsAgain(url: string, token: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const socket = await connectSocket(url, token).catch(() => null);
    if (socket) return void socket.close();
    if (Date.now() > deadline) throw new Error("no socket connected after the database came back");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectStillUp(child: ChildServer) {
  expect(child.process.exitCode, child.stderr()).toBeNull();
  expect(child.process.signalCode).toBeNull();
  const health = await fetch(`${child.url}/healthz`);
  expect(health.status).toBe(200);
}

const pgAvailable = await servicesAvailable("postgres");

describe.runIf(pgAvailable)("on PostgreSQL refusing connections", () => {
  it("refuses the socket with an error, stays up, and accepts sockets once the database is back", async () => {
    const db = await createPostgresTemplate();
    cleanups.push(() => db.drop());
    const child = await startServer({ DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${db.name}` });
    const user = await register(child.url);
    // Known to the server (its authenticator caches users): the next handshake goes straight to the memberships query.
    await connectsAgain(child.url, user.token);

    const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
    await admin.connect();
    cleanups.push(() => admin.end());
    const allow = (on: boolean) => admin.query(`ALTER DATABASE ${db.name} WITH ALLOW_CONNECTIONS ${on}`);
    cleanups.push(() => allow(true).then(() => undefined));
    await allow(false);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1`, [db.name]);

    const refused = await handshakeError(child.url, user.token);
    expect(refused.message).toBe("unavailable");
    expect(refused.data).toMatchObject({ code: "internal" });
    // A token of a user the server has not seen needs the database too: refused the same way, not as "unauthorized".
    const stranger = jwt.sign({}, JWT_SECRET, { algorithm: "HS256", subject: String(user.id + 1000), expiresIn: 600 });
    expect((await handshakeError(child.url, stranger)).message).toBe("unavailable");
    await expectStillUp(child);
    expect((await fetch(`${child.url}/readyz`)).status).toBe(503);

    await allow(true);
    await connectsAgain(child.url, user.token);
    await expectStillUp(child);
  }, 120_000);
});

describe("on SQLite with the memberships table gone", () => {
  it("refuses the socket with an error, stays up, and accepts sockets once the table is back", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-handshake-"));
    const file = path.join(dir, "chat.db");
    fs.copyFileSync(inject("templateDb"), file);
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const child = await startServer({ DATABASE_URL: `file:${file}` });
    const user = await register(child.url);
    await connectsAgain(child.url, user.token);

    // A second connection to the same file (WAL): the server's next statement on the table fails.
    const outside = new Database(file, { timeout: 5000 });
    cleanups.push(() => void outside.close());
    outside.exec(`ALTER TABLE "RoomMember" RENAME TO "RoomMember_away"`);

    const refused = await handshakeError(child.url, user.token);
    expect(refused.message).toBe("unavailable");
    await expectStillUp(child);

    outside.exec(`ALTER TABLE "RoomMember_away" RENAME TO "RoomMember"`);
    await connectsAgain(child.url, user.token);
    await expectStillUp(child);
  }, 60_000);
});
