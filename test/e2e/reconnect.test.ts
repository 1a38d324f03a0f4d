// The server restarts under an open chat: the client says so, keeps what was typed and what was
// sent meanwhile, and carries on when the server is back (same port, same database).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildRoom, buildUser } from "../helpers/factories.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, ensureWebBuilt, launchBrowser, signedInContext, watchErrors } from "./browser.ts";

const skip = browserSkipReason();

describe.skipIf(skip !== null)("web client: reconnect", () => {
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

  it("survives a server restart without losing typed or queued messages", async () => {
    const user = await buildUser(server.url);
    const room = await buildRoom(user, [], "Resilient");
    const context = await signedInContext(browser, server.url, user);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`/rooms/${room.id}`);
    const box = page.getByRole("textbox", { name: "Message" });
    await box.fill("before the restart");
    await box.press("Enter");
    await page.locator("article.message", { hasText: "before the restart" }).locator(".tick-sent").waitFor();

    await server.close();
    await page.getByText(/Connection lost/).waitFor();
    await box.fill("written while offline");
    await box.press("Enter");
    await box.fill("a draft that stays");

    server = await startTestServer({ PORT: String(server.port) }, { dir: server.dir });
    await page.getByText(/Connection lost/).waitFor({ state: "hidden", timeout: 30_000 });
    const queued = page.locator("article.message", { hasText: "written while offline" });
    await queued.locator(".tick-sent").waitFor();
    expect(await box.inputValue()).toBe("a draft that stays");
    const res = await fetch(`${server.url}/api/rooms/${room.id}/messages?limit=10`, { headers: { authorization: `Bearer ${user.token}` } });
    const texts = ((await res.json()) as { messages: { body: { text: string } }[] }).messages.map((m) => m.body.text);
    expect(texts.filter((t) => t === "written while offline")).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
