// What an incoming hook takes: Slack's incoming-webhook shape (text and attachments, with the
// contract's line rule) as JSON or as a form's payload= field, through the real endpoint.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { errorFields } from "./helpers/api.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { buildRoom, buildUser, type TestUser } from "./helpers/factories.ts";
import { createHook, expectError, postHook, roomTexts, signBody, type IncomingWebhookDto } from "./helpers/incoming.ts";

let server: TestServer;
let admin: TestUser;

beforeAll(async () => {
  server = await startTestServer();
  admin = await buildUser(server.url);
});
afterAll(() => server.close());

async function freshHook(body: Record<string, unknown> = {}): Promise<IncomingWebhookDto> {
  const room = await buildRoom(admin);
  return createHook(admin, room.id, body);
}

const key = (hook: IncomingWebhookDto, extra: Record<string, string> = {}) => ({ "x-api-key": hook.apiKey!, ...extra });

describe("Slack's incoming-webhook shape", () => {
  it("posts text followed by each attachment's pretext, title and text, or its fallback, each on its own line", async () => {
    const hook = await freshHook();
    // What a CI tool that speaks Slack sends, fields we ignore included.
    const body = {
      text: "Build #42 of api finished",
      username: "ci-bot",
      icon_url: "https://ci.example.com/icon.png",
      channel: "#deploys",
      blocks: [{ type: "section", text: { type: "mrkdwn", text: "ignored" } }],
      attachments: [
        { color: "good", pretext: "Branch main", title: "Passed in 3m 12s", text: "12 tests", fallback: "not shown", fields: [{ title: "x", value: "y" }] },
        { color: "warning", fallback: "1 flaky test", title: "", text: null },
      ],
    };
    const res = await postHook(server.url, hook, JSON.stringify(body), key(hook));
    expect(res.status, res.text).toBe(201);
    const text = "Build #42 of api finished\nBranch main\nPassed in 3m 12s\n12 tests\n1 flaky test";
    expect(res.body.message.body).toEqual({ text });
    expect(await roomTexts(admin, hook.roomId)).toEqual([text]);
  });

  it("posts attachments alone (no top-level text), as Alertmanager-to-Slack bridges send them", async () => {
    const hook = await freshHook();
    const res = await postHook(server.url, hook, JSON.stringify({ attachments: [{ title: "[FIRING:1] HighLatency", text: "p99 above 500 ms" }] }), key(hook));
    expect(res.status, res.text).toBe(201);
    expect(res.body.message.body.text).toBe("[FIRING:1] HighLatency\np99 above 500 ms");
  });

  it.each([
    ["no text anywhere", { attachments: [{ color: "danger" }], username: "x" }, "text"],
    ["empty strings only", { text: "", attachments: [{ pretext: "", fallback: "" }] }, "text"],
    ["a title that is not a string", { attachments: [{ title: 5 }] }, "attachments.0.title"],
    ["attachments that are not a list", { text: "x", attachments: "nope" }, "attachments"],
  ])("refuses %s with 400 and posts nothing", async (_label, body, path) => {
    const hook = await freshHook();
    const res = await postHook(server.url, hook, JSON.stringify(body), key(hook));
    expectError(res, 400, "validation_failed");
    expect(errorFields(res)).toContain(path);
    expect(await roomTexts(admin, hook.roomId)).toEqual([]);
  });
});

describe("form bodies: payload=<JSON>", () => {
  const form = { "content-type": "application/x-www-form-urlencoded" };

  it("posts the payload's text, attachments and all", async () => {
    const hook = await freshHook();
    const payload = JSON.stringify({ text: "Deploy 1.4.2 & done", attachments: [{ title: "100% healthy" }] });
    const res = await postHook(server.url, hook, `payload=${encodeURIComponent(payload)}`, key(hook, form));
    expect(res.status, res.text).toBe(201);
    expect(res.body.message.body.text).toBe("Deploy 1.4.2 & done\n100% healthy");
  });

  it("checks an HMAC over the form's exact bytes", async () => {
    const hook = await freshHook({ verification: "hmac_sha256_hex" });
    const raw = `payload=${encodeURIComponent(JSON.stringify({ text: "signed form" }))}`;
    const bad = await postHook(server.url, hook, raw, { ...form, "x-signature": signBody(hook.secret!, `${raw}x`, "hex") });
    expectError(bad, 401, "unauthorized");
    const res = await postHook(server.url, hook, raw, { ...form, "x-signature": signBody(hook.secret!, raw, "hex") });
    expect(res.status, res.text).toBe(201);
    expect(await roomTexts(admin, hook.roomId)).toEqual(["signed form"]);
  });

  it.each([
    ["no payload field", "text=hello", "payload"],
    ["a payload that is not JSON", "payload=hello", ""],
    ["a payload without text", `payload=${encodeURIComponent('{"username":"x"}')}`, "text"],
  ])("refuses %s with 400 and posts nothing", async (_label, raw, path) => {
    const hook = await freshHook();
    const res = await postHook(server.url, hook, raw, key(hook, form));
    expectError(res, 400, "validation_failed");
    expect(errorFields(res)).toContain(path);
    expect(await roomTexts(admin, hook.roomId)).toEqual([]);
  });

  it("refuses a compressed body with 415 (signatures and limits are over the bytes as sent)", async () => {
    const hook = await freshHook();
    expectError(await postHook(server.url, hook, '{"text":"x"}', key(hook, { "content-encoding": "br" })), 415, "unsupported_media_type");
  });
});
