// The API reference at /api/docs: Swagger UI served by the server itself renders the document's
// routes, and the page asks nothing of another origin (no CDN, fonts or validator badge).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, launchBrowser } from "./browser.ts";

const skip = browserSkipReason();

describe.skipIf(skip !== null)("API reference page", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("renders the route list from the document and makes no request to another origin", async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const requested: string[] = [];
    const elsewhere: string[] = [];
    context.on("request", (r) => requested.push(r.url()));
    // Recorded, then refused: a request to another origin fails this test and reaches nobody.
    await context.route(/^(?!http:\/\/127\.0\.0\.1[:/])/, (route) => {
      elsewhere.push(route.request().url());
      return route.abort();
    });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") violations.push(m.text());
    });
    await page.goto("/api/docs");
    await page.getByText("/api/rooms/{roomId}/webhooks/{webhookId}/replay", { exact: true }).first().waitFor({ timeout: 20_000 });
    await expect(page.getByText("/api/rooms/{roomId}/messages", { exact: true }).first().isVisible()).resolves.toBe(true);
    await expect(page.getByRole("heading", { name: /Hookroom API/ }).first().isVisible()).resolves.toBe(true);
    // Let late requests (fonts, images, a validator badge) start before looking.
    await page.waitForLoadState("networkidle");

    expect(elsewhere).toEqual([]);
    expect(requested.length).toBeGreaterThan(2);
    for (const url of requested) expect(url.startsWith(`${server.url}/`) || url.startsWith("data:"), url).toBe(true);
    expect(requested).toContain(`${server.url}/api/openapi.json`);
    expect(violations.filter((v) => /Content Security Policy/i.test(v))).toEqual([]);
    await context.close();
  });
});
