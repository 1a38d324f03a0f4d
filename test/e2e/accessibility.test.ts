// Every screen of the client has no serious or critical axe-core violation (contrast included),
// with people of many names (their avatars' colours) on screen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildRoom, buildUser, sendText } from "../helpers/factories.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, ensureWebBuilt, launchBrowser, seriousAxeViolations, signedInContext } from "./browser.ts";

const skip = browserSkipReason();

async function expectAccessible(page: Page, screen: string) {
  expect(await seriousAxeViolations(page), `${screen}: serious or critical axe-core violations`).toEqual([]);
}

describe.skipIf(skip !== null)("web client: axe-core on every screen", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer({}, { publicUrlIsSelf: true });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("sign-up, chat, settings, deliveries, delivery detail, incoming hooks and inspector", async () => {
    // "Ada": a hue (142, green) whose white initials were under 4.5:1, in the top bar of every screen.
    const admin = await buildUser(server.url, { displayName: "Ada" });
    // Names spread over the hue circle: every avatar colour the client can pick shows up.
    const names = ["Yara", "Lena", "Kofi", "Mia", "Zoe", "Ivan", "Bea", "Omar", "Uma", "Gus", "Sven", "Tess", "Noor", "Eli", "Rui", "Pia"];
    const others = await Promise.all(names.map((displayName) => buildUser(server.url, { displayName })));
    const room = await buildRoom(admin, others, "Everyone");
    for (const other of others) await sendText(other, room.id, `Hello from ${other.displayName}`);
    await sendText(admin, room.id, "Welcome, all");

    const anonymous = await signedInContext(browser, server.url, null);
    const landing = await anonymous.newPage();
    await landing.goto("/");
    await landing.getByRole("tab", { name: "Sign up" }).click();
    await landing.getByLabel("Display name").waitFor();
    await expectAccessible(landing, "sign-up");
    await landing.getByRole("tab", { name: "Log in" }).click();
    await expectAccessible(landing, "log in");
    await anonymous.close();

    const context = await signedInContext(browser, server.url, admin);
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("link", { name: /Everyone/ }).click();
    await page.getByRole("log").getByText("Welcome, all").waitFor();
    await expectAccessible(page, "chat");

    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByRole("button", { name: "New webhook" }).click();
    await page.getByRole("button", { name: "Use a new inspector bin" }).click();
    await expect.poll(() => page.getByLabel("Webhook URL").inputValue()).toMatch(/\/inspect\//);
    await expectAccessible(page, "settings: webhook form");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("button", { name: "Send test" }).click();
    await page.getByText(/Test ping delivered/).waitFor();
    await expectAccessible(page, "settings");

    await page.getByRole("button", { name: "Deliveries" }).click();
    await page.getByRole("button", { name: "webhook.ping" }).first().waitFor();
    await expectAccessible(page, "deliveries");
    await page.getByRole("button", { name: "webhook.ping" }).first().click();
    await page.getByRole("button", { name: "Redeliver" }).waitFor();
    await expectAccessible(page, "delivery detail");

    await page.getByRole("button", { name: "New incoming webhook" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Monitoring");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.locator(".curl-example").waitFor();
    await expectAccessible(page, "incoming webhooks");

    await page.getByRole("button", { name: "Close panel" }).click();
    await page.getByRole("link", { name: "Inspector" }).click();
    await page.locator(".bin-tab").first().click();
    await page.locator(".request-item").first().click();
    await page.getByRole("button", { name: "Check signature" }).waitFor();
    await expectAccessible(page, "inspector");
    await context.close();
  }, 180_000);
});
