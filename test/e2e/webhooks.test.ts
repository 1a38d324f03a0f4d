// A room admin adds a webhook pointed at an inspector bin, sees deliveries succeed, redelivers,
// and checks the signature in the inspector; an incoming webhook posted with curl shows in the chat.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildRoom, buildUser, type TestUser } from "../helpers/factories.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, ensureWebBuilt, launchBrowser, screenshot, signedInContext, watchErrors } from "./browser.ts";

const skip = browserSkipReason();
// Asynchronous on purpose: the server runs in this process and must keep answering while curl waits.
const run = promisify(execFile);

async function openRoomSettings(page: Page, roomName: string) {
  await page.getByRole("link", { name: new RegExp(roomName) }).click();
  await page.getByRole("tab", { name: "Settings" }).click();
}

describe.skipIf(skip !== null)("web client: webhooks", () => {
  let server: TestServer;
  let browser: Browser;
  let admin: TestUser;
  let member: TestUser;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer({}, { publicUrlIsSelf: true });
    browser = await launchBrowser();
    admin = await buildUser(server.url, { displayName: "Ada Admin" });
    member = await buildUser(server.url, { displayName: "Max Member" });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("delivers to an inspector bin, shows deliveries, redelivers, and verifies the signature", async () => {
    const room = await buildRoom(admin, [member], "Deploys");
    const context = await signedInContext(browser, server.url, admin);
    const page = await context.newPage();
    const errors = watchErrors(page);

    // A bin in the inspector.
    await page.goto("/");
    await page.getByRole("link", { name: "Inspector" }).click();
    await page.getByRole("button", { name: "New bin" }).click();
    const binUrl = (await page.locator(".bin-url").innerText()).trim();
    expect(binUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/inspect\/\S+$/);

    // The webhook, from the room's Settings.
    await page.getByRole("link", { name: "Chats" }).click();
    await openRoomSettings(page, room.name);
    await page.getByRole("button", { name: "New webhook" }).click();
    await page.getByLabel("Webhook URL").fill(binUrl);
    await page.getByLabel("Webhook name").fill("Release bot");
    await page.getByRole("button", { name: "Save" }).click();
    const signature = (await page.locator("code.signature").innerText()).trim();
    expect(signature).toMatch(/^[A-Za-z0-9]{16}$/);
    await page.getByRole("button", { name: "Reveal secret" }).click();
    const secret = (await page.locator("code.secret-value").innerText()).trim();
    expect(secret).toMatch(/^whsec_/);

    // A test ping, then a real message.
    await page.getByRole("button", { name: "Send test" }).click();
    await page.getByText(/Test ping delivered: HTTP 200/).waitFor();
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("Deploy 1.4.2 finished");
    await box.press("Enter");
    await page.getByRole("button", { name: "Hide secret" }).click();
    await page.locator(".sidebar-body").evaluate((el) => el.scrollTo(0, 0));
    await screenshot(page, "settings.png");

    // Recent deliveries: succeeded, with the attempt's request and response, and Redeliver.
    await page.getByRole("button", { name: "Deliveries" }).click();
    const deliveries = page.locator(".delivery-list > li");
    const created = deliveries.filter({ has: page.getByRole("button", { name: "message.created" }) });
    await created.filter({ hasText: "succeeded" }).first().waitFor();
    await created.first().getByRole("button", { name: "message.created" }).click();
    const details = page.locator(".delivery-details");
    await details.getByText("Request headers").waitFor();
    await details.getByText(new RegExp(`Verification-Signature: ${signature}`, "i")).waitFor();
    await details.getByText(/"text": "Deploy 1.4.2 finished"/).waitFor();
    await page.locator(".deliveries").evaluate((el) => el.scrollIntoView({ block: "start" }));
    await screenshot(page, "deliveries.png");
    await details.getByRole("button", { name: "Redeliver" }).click();
    await expect.poll(() => created.filter({ hasText: "succeeded" }).count(), { timeout: 15_000 }).toBe(2);

    // The member who is not an admin sees no Settings.
    const memberContext = await signedInContext(browser, server.url, member);
    const memberPage = await memberContext.newPage();
    await memberPage.goto(`/rooms/${room.id}`);
    await memberPage.getByRole("log").getByText("Deploy 1.4.2 finished").waitFor();
    expect(await memberPage.getByRole("tab", { name: "Settings" }).count()).toBe(0);
    expect(await memberPage.getByText("Settings", { exact: true }).count()).toBe(0);
    await memberContext.close();

    // The inspector shows the requests live, and the signature checks out.
    await page.getByRole("link", { name: "Inspector" }).click();
    await page.locator(".bin-tab").first().click();
    await expect.poll(() => page.locator(".request-item").count()).toBeGreaterThanOrEqual(3);
    await page.locator(".request-item", { hasText: "message.created" }).first().click();
    await page.getByText(/"text": "Deploy 1.4.2 finished"/).waitFor();
    await page.getByLabel("Secret", { exact: true }).fill(secret);
    await page.getByRole("button", { name: "Check signature" }).click();
    await page.getByText("Standard Webhooks (webhook-signature): valid signature").waitFor();
    await page.getByText("X-Signature: valid signature").waitFor();
    await screenshot(page, "inspector.png");

    // A new request appears without reloading.
    await fetch(binUrl, { method: "POST", headers: { "content-type": "application/json" }, body: '{"live":true}' });
    await page.locator(".request-item").nth(3).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("posts into the room from an incoming webhook's curl example", async () => {
    const room = await buildRoom(admin, [member], "Alerts");
    const context = await signedInContext(browser, server.url, admin);
    const page = await context.newPage();
    await page.goto("/");
    await openRoomSettings(page, room.name);
    await page.getByRole("button", { name: "New incoming webhook" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Monitoring");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    const example = (await page.locator(".curl-example").innerText()).trim();
    expect(example).toContain("x-api-key: ");
    // Run it as a person would paste it, with the message text changed.
    await run("/bin/bash", ["-c", example.replace("Hello from curl", "Disk usage above 90% on db-1")], { timeout: 15_000 });
    const message = page.locator("article.message", { hasText: "Disk usage above 90% on db-1" });
    await message.waitFor();
    await message.locator(".badge-bot").waitFor();
    await context.close();
  }, 60_000);
});
