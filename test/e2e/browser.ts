// Browser end-to-end plumbing: the system Chromium through playwright-core (nothing is downloaded),
// a built web client, and signed-in pages. Without /usr/bin/chromium the suites skip, unless CI=true.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import type { TestUser } from "../helpers/factories.ts";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const docsDir = path.join(root, "docs");

/** Why the browser suites cannot run here, or null when they can. Under CI a missing browser is an error. */
export function browserSkipReason(): string | null {
  if (fs.existsSync(CHROMIUM)) return null;
  const reason = `${CHROMIUM} is absent (apt-get install -y chromium): browser end-to-end tests skipped`;
  if (process.env.CI === "true") throw new Error(`CI=true but ${reason.replace(": browser end-to-end tests skipped", "")}`);
  console.warn(`[e2e] ${reason}`);
  return reason;
}

/** Builds web/dist when it is missing (npm install builds it; a fresh clone without install may not have it). */
export function ensureWebBuilt(): void {
  if (fs.existsSync(path.join(root, "web/dist/index.html"))) return;
  execFileSync("npm", ["run", "build:web"], { cwd: root, stdio: "pipe" });
}

export async function launchBrowser(): Promise<Browser> {
  // playwright-core gives every launch a fresh temporary --user-data-dir of its own.
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface Viewport {
  width: number;
  height: number;
}
export const DESKTOP: Viewport = { width: 1360, height: 860 };
export const PHONE: Viewport = { width: 390, height: 844 };

/** A browser context already signed in as `user` (the token the client keeps in localStorage). */
export async function signedInContext(browser: Browser, baseUrl: string, user: TestUser | null, viewport = DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, baseURL: baseUrl });
  // Only this machine's test server is ever contacted.
  await context.route(/^(?!https?:\/\/(127\.0\.0\.1|localhost)[:/])/, (route) => route.abort());
  if (user) {
    await context.addInitScript((token) => {
      if (!sessionStorage.getItem("e2e-token-set")) {
        localStorage.setItem("hookroom.token", token);
        sessionStorage.setItem("e2e-token-set", "1");
      }
    }, user.token);
  }
  return context;
}

/** Collects page errors and failed responses so a test can assert there were none worth noting. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error" && !/Failed to load resource/.test(m.text())) errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** The page is no wider than its window (no sideways scrolling at phone width). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/**
 * Screenshots of the main screens. They refresh docs/ only with UPDATE_SCREENSHOTS=1, so a test
 * run leaves the work tree clean; otherwise they go to a temp folder (and are still taken).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.UPDATE_SCREENSHOTS === "1" ? docsDir : path.join(os.tmpdir(), "hookroom-screenshots");
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, name) });
}

const axeSource = fs.readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");

/** axe-core's serious and critical violations on the page as it is now, one line per element. */
export async function seriousAxeViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol: the page's CSP (script-src 'self') stays as it is.
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: any[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id as string,
      impact: v.impact as string,
      nodes: (v.nodes as { target: string[]; failureSummary: string }[]).map((n) => `${n.target.join(" ")}: ${n.failureSummary.replace(/\s+/g, " ")}`),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").flatMap((v) => v.nodes.map((n) => `${v.impact} ${v.id} ${n}`));
}
