// The browser applies the CSP: the client may open a WebSocket and fetch on its own origin
// ('self' covers same-origin ws: in the browser we ship against), and nothing on another origin
// (localhost is the same machine under another name: a blocked attempt reaches nobody).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, ensureWebBuilt, launchBrowser, signedInContext } from "./browser.ts";

const skip = browserSkipReason();

describe.skipIf(skip !== null)("web client: Content-Security-Policy", () => {
  let server: TestServer;
  let browser: Browser;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("lets the page open a WebSocket to its own origin and blocks one to another origin", async () => {
    const context = await signedInContext(browser, server.url, null);
    const page = await context.newPage();
    await page.goto("/");
    const result = await page.evaluate(async (port) => {
      const violations: string[] = [];
      document.addEventListener("securitypolicyviolation", (e) => violations.push(`${e.effectiveDirective} ${e.blockedURI}`));
      const open = (url: string) =>
        new Promise<string>((resolve) => {
          try {
            const ws = new WebSocket(url);
            ws.onopen = () => (ws.close(), resolve("open"));
            ws.onerror = () => resolve("error");
          } catch (e) {
            resolve(`thrown ${(e as Error).name}`);
          }
        });
      const path = "/socket.io/?EIO=4&transport=websocket";
      const own = await open(`ws://127.0.0.1:${port}${path}`);
      const other = await open(`ws://localhost:${port}${path}`);
      const fetched = await fetch(`http://localhost:${port}/healthz`).then(
        () => "fetched",
        () => "blocked",
      );
      // Violation reports are queued as tasks of their own: wait for both (bounded).
      for (let i = 0; i < 100 && violations.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      return { own, other, fetched, violations };
    }, server.port);
    expect(result.own).toBe("open");
    expect(result.other).not.toBe("open");
    expect(result.fetched).toBe("blocked");
    // The CSP refused both (a cross-origin fetch would fail on CORS alone; the reports show it was the policy).
    expect(result.violations).toEqual(
      expect.arrayContaining([expect.stringMatching(/^connect-src ws:\/\/localhost:/), expect.stringMatching(/^connect-src http:\/\/localhost:/)]),
    );
    await context.close();
  });
});
