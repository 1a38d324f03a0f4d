// At phone width (390 px) nothing is wider than the screen, every form control has a label, and
// axe-core finds no serious or critical violation.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { buildRoom, buildUser, sendText } from "../helpers/factories.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, ensureWebBuilt, horizontalOverflow, launchBrowser, PHONE, seriousAxeViolations, signedInContext } from "./browser.ts";

const skip = browserSkipReason();

/** Form controls that a screen reader would announce without a name. */
function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("input, select, textarea")]
      .filter((el) => {
        const input = el as HTMLInputElement;
        return input.type !== "hidden" && !(input.labels && input.labels.length) && !input.getAttribute("aria-label") && !input.getAttribute("aria-labelledby");
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

async function checkScreen(page: Page, name: string) {
  expect(await horizontalOverflow(page), `${name} is wider than the screen`).toBeLessThanOrEqual(0);
  expect(await unlabelledControls(page), `${name} has unlabelled controls`).toEqual([]);
  expect(await seriousAxeViolations(page), `${name}: serious or critical axe-core violations`).toEqual([]);
}

describe.skipIf(skip !== null)("web client: phone width", () => {
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

  it("fits every screen into 390 px", async () => {
    const admin = await buildUser(server.url, { displayName: "Phone Admin With A Rather Long Name" });
    const other = await buildUser(server.url);
    const room = await buildRoom(admin, [other], "A room with a long name that must not push the layout sideways");
    await sendText(other, room.id, "https://example.com/a/very/long/url/without/any/spaces/" + "x".repeat(120));
    await sendText(admin, room.id, "Short one");

    const anonymous = await signedInContext(browser, server.url, null, PHONE);
    const landing = await anonymous.newPage();
    await landing.goto("/");
    await landing.getByRole("tab", { name: "Sign up" }).click();
    await checkScreen(landing, "landing");
    await anonymous.close();

    const context = await signedInContext(browser, server.url, admin, PHONE);
    const page = await context.newPage();
    await page.goto("/");
    await page.getByRole("button", { name: "New room" }).waitFor();
    await checkScreen(page, "room list");
    await page.getByRole("button", { name: "New room" }).click();
    await page.getByLabel("Room name").waitFor();
    await checkScreen(page, "new room dialog");
    await page.keyboard.press("Escape");

    await page.getByRole("link", { name: /A room with a long name/ }).click();
    await page.getByRole("log").getByText("Short one").waitFor();
    await checkScreen(page, "chat");

    await page.getByRole("tab", { name: "Settings" }).click();
    await page.getByRole("button", { name: "New webhook" }).click();
    await page.getByLabel("Webhook URL").fill("not a url");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Enter a full http:// or https:// URL.").waitFor();
    await checkScreen(page, "webhook form");
    await page.getByRole("button", { name: "Use a new inspector bin" }).click();
    await expect.poll(() => page.getByLabel("Webhook URL").inputValue()).toMatch(/\/inspect\//);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("button", { name: "Send test" }).click();
    await page.getByText(/Test ping delivered/).waitFor();
    await page.getByRole("button", { name: "Deliveries" }).click();
    await page.getByRole("button", { name: "webhook.ping" }).click();
    await page.getByRole("button", { name: "Redeliver" }).waitFor();
    await checkScreen(page, "deliveries");
    await page.getByRole("button", { name: "New incoming webhook" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Phone hook");
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.locator(".curl-example").waitFor();
    await checkScreen(page, "incoming webhooks");

    await page.getByRole("button", { name: "Close panel" }).click();
    await page.getByRole("link", { name: "Inspector" }).click();
    await page.locator(".bin-tab").first().click();
    await page.locator(".request-item").first().waitFor();
    await checkScreen(page, "inspector");
    await context.close();
  }, 120_000);
});
