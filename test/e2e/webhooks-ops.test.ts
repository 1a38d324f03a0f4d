// A room admin runs a webhook in production from the client: trigger words in the webhook's form,
// the circuit shown live on its card and closed by hand, the delivery log filtered, paged and
// opened (next attempt, circuit), and a Replay… that says how many it will send, then how many it queued.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { buildRoom, buildUser, sendText, type TestUser } from "../helpers/factories.ts";
import { startGatedReceiver, messageText, type GatedReceiver } from "../helpers/gated-receiver.ts";
import { startTestServer, type TestServer } from "../helpers/server.ts";
import { waitUntil } from "../helpers/webhooks.ts";
import {
  browserSkipReason,
  ensureWebBuilt,
  horizontalOverflow,
  launchBrowser,
  PHONE,
  screenshot,
  seriousAxeViolations,
  signedInContext,
  watchErrors,
} from "./browser.ts";

const skip = browserSkipReason();

describe.skipIf(skip !== null)("web client: trigger words, circuit, delivery log and replay", () => {
  let server: TestServer;
  let browser: Browser;
  let receiver: GatedReceiver;
  let admin: TestUser;

  beforeAll(async () => {
    ensureWebBuilt();
    server = await startTestServer(
      { WEBHOOK_ALLOW_PRIVATE_NETWORKS: "true", WEBHOOK_RETRY_DELAYS_MS: "50", WEBHOOK_CIRCUIT_FAILURES: "2", WEBHOOK_CIRCUIT_COOLDOWN_MS: "600000" },
      { publicUrlIsSelf: true },
    );
    browser = await launchBrowser();
    receiver = await startGatedReceiver("ok");
    admin = await buildUser(server.url, { displayName: "Ada Admin" });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
  });

  const received = () => receiver.requests.filter((r) => r.status === 200).map((r) => messageText(r.body));

  it("sets trigger words, sees the circuit open and closes it, filters the log, and replays what died", async () => {
    const room = await buildRoom(admin, [], "Deploy bots");
    const context = await signedInContext(browser, server.url, admin);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`/rooms/${room.id}`);
    await page.getByRole("tab", { name: "Settings" }).click();

    // The webhook with trigger words: only messages starting with one of them are sent.
    await page.getByRole("button", { name: "New webhook" }).click();
    await page.getByLabel("Webhook URL").fill(`${receiver.url}/bot`);
    await page.getByLabel("Trigger words").fill("!deploy, !status");
    await page.getByLabel("Match").selectOption({ label: "first word" });
    await page.getByLabel("Max attempts").fill("1");
    await page.getByRole("button", { name: "Save" }).click();
    const card = page.locator("article.webhook-card");
    await card.getByText("as the first word").waitFor();
    expect(await card.locator(".events code").allInnerTexts()).toEqual(expect.arrayContaining(["!deploy", "!status"]));

    const box = page.getByRole("textbox", { name: "Message" });
    for (const text of ["hello there", "!deploy api", "please !deploy", "!STATUS now"]) {
      await box.fill(text);
      await box.press("Enter");
      await page.getByRole("log").getByText(text).waitFor();
    }
    await waitUntil(async () => received().includes("!STATUS now"), "the marker at the receiver");
    expect(received()).toEqual(["!deploy api", "!STATUS now"]);

    // The receiver goes down: two deliveries die (one attempt each) and the circuit opens, live.
    receiver.mode = "fail";
    await sendText(admin, room.id, "!deploy web");
    await sendText(admin, room.id, "!deploy db");
    await card.getByText("circuit open", { exact: true }).waitFor();
    await card.getByText(/Circuit open until .* after 2 failed attempts in a row/).waitFor();
    await card.evaluate((el) => el.scrollIntoView({ block: "start" }));
    await screenshot(page, "circuit.png");

    // The log, filtered to what died; a delivery's detail shows the circuit and when it is tried next.
    await card.getByRole("button", { name: "Deliveries" }).click();
    const list = card.locator(".delivery-list > li");
    await expect.poll(() => list.count()).toBe(4);
    await card.getByLabel("Status").selectOption("dead");
    await expect.poll(() => list.count()).toBe(2);
    expect(await list.filter({ hasText: "dead" }).count()).toBe(2);
    await list.first().getByRole("button", { name: "message.created" }).click();
    const details = card.locator(".delivery-details");
    await details.getByText("Next attempt").waitFor();
    await details.getByText("none: this delivery is final").waitFor();
    await details.getByText(/^open until .*: nothing is sent meanwhile$/).waitFor();

    // Closed by hand: the card says so at once.
    receiver.mode = "ok";
    await card.getByRole("button", { name: "Close circuit" }).click();
    await expect.poll(() => card.getByText("circuit open", { exact: true }).count()).toBe(0);
    await details.getByText("closed", { exact: true }).waitFor();

    // Replay…: first how many will be sent, then how many were queued; they reach the receiver in order.
    await card.getByRole("button", { name: "Replay…" }).click();
    const dialog = card.getByRole("dialog", { name: "Replay deliveries" });
    await dialog.getByLabel("Since").waitFor();
    expect(await dialog.getByLabel("Dead").isChecked()).toBe(true);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Review" }).click();
    await dialog.getByText(/^2 deliveries will be sent again/).waitFor();
    await dialog.evaluate((el) => el.scrollIntoView({ block: "start" }));
    await screenshot(page, "replay.png");
    expect(receiver.requests).toHaveLength(4);
    await dialog.getByRole("button", { name: "Send 2 deliveries" }).click();
    await dialog.getByText("Replay queued 2 deliveries.", { exact: false }).waitFor();
    await waitUntil(async () => received().length === 4, "the two replayed deliveries");
    expect(received().slice(2)).toEqual(["!deploy web", "!deploy db"]);
    await dialog.getByRole("button", { name: "Close" }).click();

    // The log pages through `before`: 30 more deliveries, 25 a page, filtered by event.
    await card.getByLabel("Status").selectOption("");
    for (let i = 0; i < 30; i++) await sendText(admin, room.id, `!status ${i}`);
    await waitUntil(async () => received().length === 34, "30 more deliveries");
    await card.getByLabel("Event").selectOption("message.created");
    await card.getByRole("button", { name: "Refresh" }).click();
    await expect.poll(() => list.count()).toBe(25);
    await card.getByRole("button", { name: "Load older" }).click();
    await expect.poll(() => list.count()).toBe(36);
    expect(await card.getByRole("button", { name: "Load older" }).count()).toBe(0);
    await card.getByLabel("Event").selectOption("member.added");
    await card.getByText("No delivery matches these filters.").waitFor();
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("fits a phone's width with the circuit, the filters and the replay dialog open", async () => {
    const room = await buildRoom(admin, [], "Phone ops");
    const created = await admin.api.post(`/api/rooms/${room.id}/webhooks`, { url: `${receiver.url}/phone`, triggerWords: ["!x"] });
    await server.app.ctx.db.webhook.update({
      where: { id: created.body.webhook.id },
      data: { circuitState: "open", circuitFailures: 12, circuitOpenUntil: new Date(Date.now() + 60_000) },
    });
    const context = await signedInContext(browser, server.url, admin, PHONE);
    const page = await context.newPage();
    await page.goto(`/rooms/${room.id}`);
    await page.getByRole("tab", { name: "Settings" }).click();
    const card = page.locator("article.webhook-card");
    await card.getByText("circuit open", { exact: true }).waitFor();
    await card.getByRole("button", { name: "Deliveries" }).click();
    await card.getByRole("button", { name: "Replay…" }).click();
    await card.getByRole("dialog", { name: "Replay deliveries" }).getByLabel("Since").waitFor();
    expect(await horizontalOverflow(page)).toBeLessThanOrEqual(0);
    expect(await seriousAxeViolations(page)).toEqual([]);
    await context.close();
  }, 60_000);
});
