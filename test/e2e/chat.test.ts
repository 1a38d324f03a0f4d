// Two people chat live in two browser contexts; a member who is not an admin sees no Settings.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildRoom, buildUser, sendText } from "../helpers/factories.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { browserSkipReason, ensureWebBuilt, launchBrowser, screenshot, signedInContext, watchErrors } from "./browser.ts";

const skip = browserSkipReason();

describe.skipIf(skip !== null)("web client: chat", () => {
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

  it("signs up, creates a room with a member, and both chat live", async () => {
    const bob = await buildUser(server.url, { displayName: "Bob Builder" });
    const aliceContext = await signedInContext(browser, server.url, null);
    const bobContext = await signedInContext(browser, server.url, bob);
    const alice = await aliceContext.newPage();
    const bobPage = await bobContext.newPage();
    const errors = [...watchErrors(alice), ...watchErrors(bobPage)];

    // Alice signs up through the landing page.
    await alice.goto("/");
    await alice.getByRole("tab", { name: "Sign up" }).click();
    const aliceName = `alice${Date.now() % 1e6}`;
    await alice.getByLabel("Username").fill(aliceName);
    await alice.getByLabel("Display name").fill("Alice Liddell");
    await alice.getByLabel("Password").fill("password123");
    await alice.getByRole("button", { name: "Sign up" }).click();
    await expect.poll(() => alice.getByRole("button", { name: "New room" }).isVisible()).toBe(true);

    await bobPage.goto("/");
    await bobPage.getByRole("button", { name: "New room" }).waitFor();

    // Alice creates a room with Bob, found by searching.
    await alice.getByRole("button", { name: "New room" }).click();
    await alice.getByLabel("Room name").fill("Launch plans");
    await alice.getByLabel("Add members").fill(bob.username);
    await alice.getByRole("option", { name: /Bob Builder/ }).click();
    await alice.getByRole("button", { name: "Create", exact: true }).click();
    const aliceBox = alice.getByRole("textbox", { name: "Message" });
    await aliceBox.waitFor();
    await aliceBox.fill("Morning Bob! Are we still on for Friday?");
    await aliceBox.press("Enter");
    await expect.poll(() => aliceBox.inputValue()).toBe("");

    // Bob sees the room arrive with an unread count, then the message, without reloading.
    const bobRoomLink = bobPage.getByRole("link", { name: /Launch plans/ });
    await bobRoomLink.getByText("1 unread").waitFor();
    await bobRoomLink.click();
    const conversation = bobPage.getByRole("log", { name: "Conversation" });
    await conversation.getByText("Morning Bob! Are we still on for Friday?").waitFor();
    // Bob has seen it: Alice's message shows the seen ticks.
    await alice.locator("article.message", { hasText: "Morning Bob!" }).locator(".tick-seen").waitFor();
    expect(await bobPage.getByRole("tab", { name: "Settings" }).count()).toBe(0);
    expect(await alice.getByRole("tab", { name: "Settings" }).count()).toBe(1);

    // Bob types (Alice sees it) and answers with a reply.
    const bobBox = bobPage.getByRole("textbox", { name: "Message" });
    await bobBox.pressSequentially("Yes", { delay: 30 });
    await alice.getByText("Bob Builder is typing…").waitFor();
    await bobBox.fill("Yes! I'll bring the slides 🎉");
    await bobBox.press("Enter");
    await alice.getByRole("log").getByText("Yes! I'll bring the slides 🎉").waitFor();

    // Alice edits and deletes her own messages; Bob sees both changes live.
    await aliceBox.fill("Typo mesage");
    await aliceBox.press("Enter");
    const typo = alice.locator("article.message", { hasText: "Typo mesage" });
    await typo.getByRole("button", { name: "Edit" }).click({ force: true });
    const editor = alice.getByRole("textbox", { name: "Edit text" });
    await editor.fill("Fixed message");
    await editor.press("Enter");
    await conversation.getByText("Fixed message").waitFor();
    const morning = alice.locator("article.message", { hasText: "Morning Bob!" });
    await morning.getByRole("button", { name: "Delete" }).click({ force: true });
    await conversation.getByText("This message was deleted").waitFor();
    expect(await conversation.getByText("Morning Bob!").count()).toBe(0);

    // A reply, quoted; the session survives a reload.
    const slides = alice.locator("article.message", { hasText: "bring the slides" });
    await slides.getByRole("button", { name: "Reply" }).click({ force: true });
    await aliceBox.fill("Perfect, see you then.");
    await aliceBox.press("Enter");
    await conversation.locator(".reply-quote", { hasText: "bring the slides" }).waitFor();
    await alice.reload();
    await alice.getByRole("log").getByText("Perfect, see you then.").waitFor();
    await alice.waitForTimeout(300);
    await screenshot(alice, "chat.png");

    // Log out returns to the landing page.
    await bobPage.getByRole("button", { name: "Log out" }).click();
    await bobPage.getByRole("tab", { name: "Log in" }).waitFor();
    expect(errors).toEqual([]);
    await aliceContext.close();
    await bobContext.close();
  }, 120_000);

  it("loads older history when scrolling up", async () => {
    const user = await buildUser(server.url);
    const room = await buildRoom(user, [], "History");
    for (let i = 1; i <= 65; i++) await sendText(user, room.id, `History message ${i}`);
    const context = await signedInContext(browser, server.url, user);
    const page = await context.newPage();
    await page.goto(`/rooms/${room.id}`);
    const log = page.getByRole("log", { name: "Conversation" });
    await log.getByText("History message 65", { exact: true }).waitFor();
    expect(await log.getByText("History message 1", { exact: true }).count()).toBe(0);
    for (let i = 0; i < 5 && !(await log.getByText("History message 1", { exact: true }).count()); i++) {
      await page.locator(".message-scroll").evaluate((el) => el.scrollTo(0, 0));
      await page.waitForTimeout(400);
    }
    await log.getByText("History message 1", { exact: true }).waitFor();
    await context.close();
  }, 90_000);

  it("shows a wrong password as words, not as an error object", async () => {
    const user = await buildUser(server.url);
    const context = await signedInContext(browser, server.url, null);
    const page = await context.newPage();
    await page.goto("/");
    await page.getByLabel("Username").fill(user.username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Log in" }).click();
    const alert = page.getByRole("alert");
    await alert.waitFor();
    const text = await alert.innerText();
    expect(text.length).toBeGreaterThan(5);
    expect(text).not.toMatch(/\[object Object\]|[{}]/);
    await context.close();
  }, 60_000);
});
