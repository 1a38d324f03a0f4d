// The open room follows membership and room changes live from the one-member socket events
// (member:added, member:updated, member:removed, room:updated), without reloading.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildRoom, buildUser } from "../helpers/factories.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, ensureWebBuilt, launchBrowser, signedInContext, watchErrors } from "./browser.ts";

const skip = browserSkipReason();

describe.skipIf(skip !== null)("web client: members", () => {
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

  it("shows members added, promoted and removed by someone else, and a rename, live", async () => {
    const alice = await buildUser(server.url, { displayName: "Alice Admin" });
    const bob = await buildUser(server.url, { displayName: "Bob Member" });
    const carol = await buildUser(server.url, { displayName: "Carol Newcomer" });
    const room = await buildRoom(alice, [bob], "Live members");
    const context = await signedInContext(browser, server.url, bob);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`/rooms/${room.id}`);
    const list = page.locator(".member-list");
    await list.getByText("Alice Admin").waitFor();
    expect(await list.getByText("Carol Newcomer").count()).toBe(0);

    await alice.api.post(`/api/rooms/${room.id}/members`, { userId: carol.id });
    const carolRow = list.locator("li.member", { hasText: "Carol Newcomer" });
    await carolRow.waitFor();
    await page.getByText("3 members").waitFor();

    await alice.api.patch(`/api/rooms/${room.id}/members/${carol.id}`, { isAdmin: true });
    await carolRow.getByText("admin", { exact: true }).waitFor();

    await alice.api.delete(`/api/rooms/${room.id}/members/${carol.id}`);
    await carolRow.waitFor({ state: "detached" });
    await page.getByText("2 members").waitFor();

    await alice.api.patch(`/api/rooms/${room.id}`, { name: "Renamed live" });
    await page.getByRole("heading", { name: "Renamed live" }).waitFor();
    expect(await list.getByText("Alice Admin").count()).toBe(1);

    // Bob promoted while the room is open: the admin-only Settings appear.
    expect(await page.getByRole("tab", { name: "Settings" }).count()).toBe(0);
    await alice.api.patch(`/api/rooms/${room.id}/members/${bob.id}`, { isAdmin: true });
    await page.getByRole("tab", { name: "Settings" }).waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 60_000);
});
