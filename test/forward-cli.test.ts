// `hookroom forward` end to end: a real server and bin, a real loopback target, the CLI as its own
// process. A signed webhook delivery to the bin verifies at the target; the CLI keeps forwarding
// across a server restart and stops on Ctrl-C. `npx hookroom` runs this project's own bin, and
// asks no registry for anything.
import { spawn } from "node:child_process";
import http from "node:http";
import { createHmac } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { startReceiver, type Receiver } from "./helpers/receiver.ts";
import { buildRoom, buildUser, sendText, type TestUser } from "./helpers/factories.ts";
import { freePort } from "./helpers/ports.ts";
import { main } from "../src/cli/main.ts";
import { hmacKey } from "../src/webhooks/signatures.ts";

const root = path.resolve(import.meta.dirname, "..");

/** The CLI as a child process, with its output as lines. */
function startCli(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [path.join(root, "bin/hookroom.js"), ...args], { cwd: root, env: { ...process.env, ...env }, stdio: "pipe" });
  const out: string[] = [];
  const err: string[] = [];
  const lines = (target: string[]) => {
    let rest = "";
    return (chunk: Buffer) => {
      const parts = (rest + chunk.toString("utf8")).split("\n");
      rest = parts.pop()!;
      target.push(...parts);
    };
  };
  child.stdout.on("data", lines(out));
  child.stderr.on("data", lines(err));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, out, err, exited };
}

async function waitForLine(lines: string[], pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const start = Date.now();
  for (;;) {
    const found = lines.find((l) => pattern.test(l));
    if (found) return found;
    if (Date.now() - start > timeoutMs) throw new Error(`no line matching ${pattern} in:\n${lines.join("\n")}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe("hookroom forward", () => {
  let server: TestServer;
  let port: number;
  let dir: string;
  let user: TestUser;
  let target: Receiver;
  let binUrl: string;
  let cli: ReturnType<typeof startCli>;

  const serverEnv = () => ({ PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` });

  beforeAll(async () => {
    port = await freePort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "chat-forward-"));
    server = await startTestServer(serverEnv(), { dir });
    user = await buildUser(server.url);
    const bin = await user.api.post("/api/inspector/bins");
    binUrl = bin.body.bin.url;
    target = await startReceiver();
    target.respond = (req) => ({ status: req.url.startsWith("/hooks/teapot") ? 418 : 204 });
    cli = startCli(["forward", binUrl, `${target.url}/hooks`], { HOOKROOM_TOKEN: user.token });
    await waitForLine(cli.out, /^Forwarding /);
  }, 60_000);

  afterAll(async () => {
    if (cli.child.exitCode === null) cli.child.kill("SIGKILL");
    await target?.close();
    await server?.close();
  });

  it("sends the same method, sub-path, query, headers and exact body, and prints one line per request", async () => {
    const body = '{"text":"héllo ✓","n":1}';
    const res = await fetch(`${binUrl}/teapot/brew?cup=1&cup=2&milk=oat%20milk`, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-custom": "kept", authorization: "Bearer for-the-target" },
      body,
    });
    expect(res.status).toBe(200);
    const [got] = await target.waitFor(1);
    expect(got).toMatchObject({ method: "PUT", url: "/hooks/teapot/brew?cup=1&cup=2&milk=oat+milk", body });
    expect(got!.headers).toMatchObject({ "content-type": "application/json", "x-custom": "kept", authorization: "Bearer for-the-target" });
    expect(got!.headers.host).toBe(new URL(target.url).host);
    expect(got!.headers["content-length"]).toBe(String(Buffer.byteLength(body)));
    const line = await waitForLine(cli.out, /PUT \/hooks\/teapot/);
    expect(line).toMatch(/^\d\d:\d\d:\d\d PUT \/hooks\/teapot\/brew\?cup=1&cup=2&milk=oat\+milk -> 418 \(\d+ ms\)$/);
  });

  it("forwards a signed webhook delivery whose Standard Webhooks signature verifies at the target", async () => {
    const room = (await buildRoom(user)).id;
    const secret = `whsec_${Buffer.from("forward-secret-forward-secret-32").toString("base64")}`;
    const created = await user.api.post(`/api/rooms/${room}/webhooks`, { url: binUrl, secret });
    expect(created.status, created.text).toBe(201);
    const before = target.requests.length;
    await sendText(user, room, "signed for the bin, checked at the target");
    const got = (await target.waitFor(before + 1))[before]!;
    expect(got.url).toBe("/hooks");
    const headers = got.headers as Record<string, string>;
    expect(new Webhook(secret).verify(got.body, headers)).toMatchObject({ type: "message.created" });
    expect(headers["x-signature"]).toBe(createHmac("sha256", hmacKey(secret)).update(got.body).digest("hex"));
    expect(headers["verification-signature"]).toBe(created.body.webhook.verificationSignature);
    await waitForLine(cli.out, /POST \/hooks -> 204/);
  });

  it("keeps forwarding after the server restarts, each request once", async () => {
    await server.close();
    await waitForLine(cli.err, /Connection lost/);
    server = await startTestServer(serverEnv(), { dir });
    // Caught either live or from the bin's list once the CLI is back: forwarded exactly once.
    await fetch(`${binUrl}/after-restart`, { method: "POST", body: "first after restart" });
    await waitForLine(cli.out, /^Reconnected/);
    await fetch(`${binUrl}/after-restart`, { method: "POST", body: "second after restart" });
    await expect.poll(() => target.requests.filter((r) => r.url === "/hooks/after-restart").map((r) => r.body), { timeout: 20_000 }).toEqual([
      "first after restart",
      "second after restart",
    ]);
  });

  it("stops on Ctrl-C", async () => {
    cli.child.kill("SIGINT");
    expect(await cli.exited).toBe(0);
    expect(cli.out.at(-1)).toBe("Stopped.");
  });
});

describe("hookroom forward refuses", () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({}, { publicUrlIsSelf: true });
  });
  afterAll(() => server.close());

  async function run(argv: string[], env: Record<string, string> = {}) {
    const out: string[] = [];
    const err: string[] = [];
    const code = await main(argv, env, { out: (l) => out.push(l), err: (l) => err.push(l), interrupted: new Promise(() => {}) });
    return { code, out: out.join("\n"), err: err.join("\n") };
  }

  it("bad arguments with exit code 2 and the usage", async () => {
    expect(await run([])).toMatchObject({ code: 2, out: expect.stringContaining("Usage: hookroom forward") });
    expect(await run(["forward", "http://127.0.0.1:1/inspect/abc", "http://127.0.0.1:2/"])).toMatchObject({ code: 2, err: expect.stringContaining("HOOKROOM_TOKEN") });
    expect(await run(["forward", "http://127.0.0.1:1/not-a-bin", "http://127.0.0.1:2/", "--token", "t"])).toMatchObject({ code: 2, err: expect.stringContaining("Not a bin URL") });
    expect(await run(["forward", "http://127.0.0.1:1/inspect/abc"], { HOOKROOM_TOKEN: "t" })).toMatchObject({ code: 2 });
    expect(await run(["forward", "a", "b", "--verbose"], { HOOKROOM_TOKEN: "t" })).toMatchObject({ code: 2, err: expect.stringContaining("--verbose") });
    expect(await run(["serve"])).toMatchObject({ code: 2, err: expect.stringContaining("Unknown command") });
  });

  it("a token the server refuses, and another user's bin, with exit code 1", async () => {
    const owner = await buildUser(server.url);
    const other = await buildUser(server.url);
    const bin = (await owner.api.post("/api/inspector/bins")).body.bin;
    const target = "http://127.0.0.1:9/";
    const badToken = await run(["forward", bin.url, target, "--token", "not-a-token"]);
    expect(badToken).toMatchObject({ code: 1, err: expect.stringContaining("refused the token") });
    const notMine = await run(["forward", bin.url, target], { HOOKROOM_TOKEN: other.token });
    expect(notMine).toMatchObject({ code: 1, err: expect.stringContaining("Bin not found") });
  });

  it("reports a target that cannot be reached, and goes on", async () => {
    const owner = await buildUser(server.url);
    const bin = (await owner.api.post("/api/inspector/bins")).body.bin;
    const lines: string[] = [];
    let stop!: () => void;
    const interrupted = new Promise<void>((resolve) => (stop = resolve));
    const running = main(["forward", bin.url, `http://127.0.0.1:${await freePort()}/x`, "--token", owner.token], {}, { out: (l) => lines.push(l), err: (l) => lines.push(l), interrupted });
    await waitForLine(lines, /^Forwarding /);
    await fetch(bin.url, { method: "DELETE" });
    await waitForLine(lines, /DELETE \/x -> error: ECONNREFUSED/);
    stop();
    expect(await running).toBe(0);
  });
});

describe("npx hookroom", () => {
  it("runs this project's own bin and asks no registry for anything", async () => {
    const asked: string[] = [];
    const registry = http.createServer((req, res) => {
      asked.push(`${req.method} ${req.url}`);
      res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
    });
    await new Promise<void>((resolve) => registry.listen(0, "127.0.0.1", resolve));
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "npx-cache-"));
    try {
      const env = {
        npm_config_registry: `http://127.0.0.1:${(registry.address() as { port: number }).port}/`,
        npm_config_cache: cache,
        npm_config_update_notifier: "false",
      };
      const npx = spawn("npx", ["hookroom", "--help"], { cwd: root, env: { ...process.env, ...env }, stdio: "pipe" });
      let out = "";
      npx.stdout.on("data", (c: Buffer) => (out += c.toString()));
      const code = await new Promise<number | null>((resolve) => npx.once("exit", resolve));
      expect(code).toBe(0);
      expect(out).toContain("Usage: hookroom forward <binUrl> <targetUrl> [--token <token>]");
      expect(asked).toEqual([]);
    } finally {
      registry.close();
      fs.rmSync(cache, { recursive: true, force: true });
    }
  }, 120_000);
});
