import { afterAll, beforeAll, describe, expect, it } from "vitest";
import jwt from "jsonwebtoken";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { client, errorFields, request } from "./helpers/api.ts";
import { buildUser } from "./helpers/factories.ts";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe("register", () => {
  it("creates a user and returns a working token", async () => {
    const res = await client(server.url).post("/api/auth/register", { username: "carol", password: "password123", displayName: "Carol" });
    expect(res.status).toBe(201);
    expect(res.body.user).toEqual({ id: expect.any(Number), username: "carol", displayName: "Carol", avatarFileId: null });
    expect(res.body.user).not.toHaveProperty("passwordHash");
    const me = await client(server.url, res.body.token).get("/api/users/me");
    expect(me.status).toBe(200);
    expect(me.body.user.username).toBe("carol");
  });

  it("refuses a taken username with 409", async () => {
    await buildUser(server.url, { username: "dave" });
    const res = await client(server.url).post("/api/auth/register", { username: "dave", password: "password123", displayName: "D" });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("conflict");
  });

  it("gives one 201 and one 409 to two racing sign-ups of one name", async () => {
    const body = { username: "racer", password: "password123", displayName: "R" };
    const results = await Promise.all([1, 2].map(() => client(server.url).post("/api/auth/register", body)));
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it.each([
    [{ username: "ab", password: "password123", displayName: "x" }, "username"],
    [{ username: "Has Caps", password: "password123", displayName: "x" }, "username"],
    [{ username: "okname", password: "short", displayName: "x" }, "password"],
    [{ username: "okname", password: "password123" }, "displayName"],
    [{ username: "okname", password: "password123", displayName: "   " }, "displayName"],
  ])("refuses %j with 400 naming %s", async (input, field) => {
    const res = await client(server.url).post("/api/auth/register", input);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("validation_failed");
    expect(errorFields(res)).toContain(field);
  });

  it("ignores unknown body fields instead of assigning them", async () => {
    const res = await client(server.url).post("/api/auth/register", {
      username: "eve", password: "password123", displayName: "Eve", isBot: true, id: 999,
    });
    expect(res.status).toBe(201);
    expect(res.body.user.id).not.toBe(999);
    expect(res.body.user.isBot).toBeUndefined();
  });
});

describe("login", () => {
  it("returns a token for the right password and 401 otherwise", async () => {
    await buildUser(server.url, { username: "frank", password: "correct-horse" });
    const ok = await client(server.url).post("/api/auth/login", { username: "frank", password: "correct-horse" });
    expect(ok.status).toBe(200);
    expect(ok.body.token).toEqual(expect.any(String));
    const wrong = await client(server.url).post("/api/auth/login", { username: "frank", password: "wrong-horse" });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("unauthorized");
    const nobody = await client(server.url).post("/api/auth/login", { username: "nobody", password: "whatever1" });
    expect(nobody.status).toBe(401);
    const empty = await client(server.url).post("/api/auth/login", {});
    expect(empty.status).toBe(400);
  });
});

describe("tokens", () => {
  it("refuses missing, malformed, unsigned, foreign-key, altered and expired tokens", async () => {
    const user = await buildUser(server.url);
    const claims = jwt.decode(user.token) as { sub: string };
    const none = jwt.sign({ sub: claims.sub }, "", { algorithm: "none" });
    const foreign = jwt.sign({ sub: claims.sub }, "some-other-secret-key-1234", { algorithm: "HS256" });
    const [h, p, s] = user.token.split(".");
    const altered = `${h}.${Buffer.from(JSON.stringify({ ...claims, sub: "1" })).toString("base64url")}.${s}`;
    const expired = jwt.sign({ sub: claims.sub, exp: Math.floor(Date.now() / 1000) - 10 }, "x".repeat(32));
    for (const auth of [undefined, user.token, `Basic ${user.token}`, `Bearer ${none}`, `Bearer ${foreign}`, `Bearer ${altered}`, `Bearer ${expired}`, "Bearer"]) {
      const res = await request(server.url, "GET", "/api/users/me", { headers: auth ? { authorization: auth } : {} });
      expect(res.status, String(auth)).toBe(401);
      expect(res.body.error.code).toBe("unauthorized");
    }
    void p;
  });
});
