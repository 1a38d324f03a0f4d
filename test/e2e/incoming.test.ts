// An incoming hook's card in the browser: a preset, a template whose preview follows the typing
// (over the hook's last request, then over a pasted sample), saving it, and the request log with
// each outcome and reason and no key. The inspector shows the forward command for its bin.
import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildRoom, buildUser, type TestUser } from "../helpers/factories.ts";
import { createHook, postHook } from "../helpers/incoming.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, ensureWebBuilt, launchBrowser, screenshot, signedInContext, watchErrors } from "./browser.ts";

const skip = browserSkipReason();
const githubPush = fs.readFileSync("test/fixtures/github-push.json", "utf8");

describe.skipIf(skip !== null)("web client: incoming hooks from other tools", () => {
  let server: TestServer;
  let browser: Browser;
  let admin: TestUser;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer({}, { publicUrlIsSelf: true });
    browser = await launchBrowser();
    admin = await buildUser(server.url, { displayName: "Ada Admin" });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  async function openIncoming(page: Page, roomName: string) {
    await page.goto("/");
    await page.getByRole("link", { name: new RegExp(roomName) }).click();
    await page.getByRole("tab", { name: "Settings" }).click();
    return page.locator("article.incoming-card").first();
  }

  it("previews a template as it is typed, over the last request or a pasted sample, and saves it", async () => {
    const room = await buildRoom(admin, [], "Repo events");
    const hook = await createHook(admin, room.id, { name: "GitHub" });
    // GitHub's push has no "text": refused without a template, but it is the hook's last request.
    expect((await postHook(server.url, hook, githubPush, { "x-api-key": hook.apiKey! })).status).toBe(400);

    const context = await signedInContext(browser, server.url, admin);
    const page = await context.newPage();
    const errors = watchErrors(page);
    const card = await openIncoming(page, room.name);
    const preview = card.getByRole("status", { name: "Preview" });
    await expect.poll(() => preview.innerText()).toMatch(/text/);

    await card.getByLabel("Start from a preset").selectOption({ label: "GitHub: push" });
    await expect.poll(() => preview.innerText()).toMatch(/^Codertocat pushed 2 commit\(s\) to refs\/heads\/main in Codertocat\/Hello-World/);
    await expect.poll(() => preview.innerText()).toContain('• Add tests for <redirect> & "next" URLs');

    // No button: the preview follows each change of the text.
    const template = card.getByRole("textbox", { name: "Template" });
    await template.fill("{{pusher.name}} pushed {{commits.length}} to {{repository.name}}");
    await expect.poll(() => preview.innerText()).toBe("Codertocat pushed 2 to Hello-World");
    await template.press("End");
    await template.pressSequentially(" ({{ref}})");
    await expect.poll(() => preview.innerText()).toBe("Codertocat pushed 2 to Hello-World (refs/heads/main)");
    await template.fill("{{#commits}}");
    await expect.poll(() => preview.innerText()).toMatch(/Unclosed section "commits"/);

    await card.getByLabel("a sample I paste").check();
    await card.getByRole("textbox", { name: "Sample JSON" }).fill('{"pusher": {"name": "Mona"}');
    await expect.poll(() => preview.innerText()).toMatch(/not valid JSON/);
    await card.getByRole("textbox", { name: "Sample JSON" }).fill('{"pusher": {"name": "Mona"}, "commits": [], "repository": {"name": "docs"}}');
    await template.fill("{{pusher.name}} pushed {{commits.length}} to {{repository.name}}");
    await expect.poll(() => preview.innerText()).toBe("Mona pushed 0 to docs");

    await card.getByRole("button", { name: "Save template" }).click();
    await card.getByText("Template saved.").waitFor();
    expect((await admin.api.get(`/api/rooms/${room.id}/incoming-webhooks/${hook.id}`)).body.incomingWebhook.template).toBe(
      "{{pusher.name}} pushed {{commits.length}} to {{repository.name}}",
    );
    expect((await postHook(server.url, hook, githubPush, { "x-api-key": hook.apiKey! })).status).toBe(201);
    await page.getByRole("log").getByText("Codertocat pushed 2 to Hello-World").waitFor();
    await screenshot(page, "incoming-template.png");
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);

  it("lists the hook's requests with each outcome and reason, and never a key", async () => {
    const room = await buildRoom(admin, [], "Monitoring");
    const hook = await createHook(admin, room.id, { name: "Alerts" });
    const wrongKey = "hk_this-key-is-wrong-and-must-not-show";
    await postHook(server.url, hook, '{"text":"disk 91% on db-1"}', { "x-api-key": hook.apiKey! });
    await postHook(server.url, hook, '{"text":"x"}', { "x-api-key": wrongKey });
    await postHook(server.url, hook, "{not json", {}, `?token=${hook.apiKey}`);

    const context = await signedInContext(browser, server.url, admin);
    const page = await context.newPage();
    const card = await openIncoming(page, room.name);
    // The curl examples: the plain {"text"} body and Slack's shape.
    expect(await card.locator(".curl-example").innerText()).toContain(`'{"text":"Hello from curl"}'`);
    expect(await card.locator(".curl-example-slack").innerText()).toContain('"attachments":[{"title":"v1.4.2 is live"');

    await card.getByRole("button", { name: "Requests" }).click();
    const log = card.getByRole("region", { name: "Requests" });
    const items = log.locator("li");
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.nth(0).innerText()).toMatch(/rejected[\s\S]*HTTP 400[\s\S]*malformed JSON/);
    expect(await items.nth(1).innerText()).toMatch(/rejected[\s\S]*HTTP 401[\s\S]*bad key/);
    expect(await items.nth(2).innerText()).toMatch(/posted[\s\S]*HTTP 201/);
    await items.nth(1).getByRole("button", { name: "Details" }).click();
    await log.getByText("x-api-key: [redacted]").waitFor();
    const shown = await log.innerText();
    expect(shown).not.toContain(hook.apiKey!);
    expect(shown).not.toContain(wrongKey);

    // A new call shows after Refresh.
    await postHook(server.url, hook, '{"username":"no text here"}', { "x-api-key": hook.apiKey! });
    await log.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => items.count()).toBe(4);
    expect(await items.nth(0).innerText()).toMatch(/rejected[\s\S]*HTTP 400[\s\S]*no text/);
    await screenshot(page, "incoming-requests.png");
    await context.close();
  }, 90_000);

  it("shows the inspector's forward command for the bin", async () => {
    const context = await signedInContext(browser, server.url, admin);
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("link", { name: "Inspector" }).click();
    await page.getByRole("button", { name: "New bin" }).click();
    const binUrl = (await page.locator(".bin-url").innerText()).trim();
    const hint = page.getByRole("region", { name: "Forward to localhost" });
    expect(await hint.locator(".forward-command").innerText()).toBe(`npx hookroom forward '${binUrl}' 'http://localhost:8080/webhooks'`);
    await hint.getByLabel("Local URL").fill("http://localhost:4000/stripe/events");
    await expect.poll(() => hint.locator(".forward-command").innerText()).toBe(`npx hookroom forward '${binUrl}' 'http://localhost:4000/stripe/events'`);
    await context.close();
  }, 60_000);
});
