import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../db/seed";
import { root } from "../../server/build-if-stale.mjs";

const FLAGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/**
 * The browser the tests drive: `CHROMIUM_PATH`, else Debian's Chromium, else the Chromium binary
 * shipped inside the npm package @sparticuz/chromium, so `npm ci && npm test` works on a machine
 * with no system browser. The package unpacks its binary into the temp folder on first call; the
 * e2e global setup does that once, before any worker asks.
 */
export async function chromiumExecutable(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync("/usr/bin/chromium")) return "/usr/bin/chromium";
  const { default: packaged } = await import("@sparticuz/chromium");
  return packaged.executablePath();
}

/**
 * Launches Chromium with every page watched by the console guard (see below): a test fails on
 * any page error, console error or hydration warning on the pages it drives.
 */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = await chromiumExecutable();
  const browser = await chromium.launch({ executablePath, headless: true, args: FLAGS });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (options) => guardContext(await newContext(options));
  // A page of its own context, as Playwright's newPage does, but guarded.
  // Closing the browser closes each context through the guard, so its pages get their screenshots.
  const closeBrowser = browser.close.bind(browser);
  browser.close = async (options) => {
    for (const context of browser.contexts()) await context.close();
    return closeBrowser(options);
  };
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.once("close", () => void context.close().catch(() => {}));
    return page;
  };
  return browser;
}

// ---------------------------------------------------------------------------------------------
// Console guard

/** What went wrong in the browser since the last test ended; tests/setup/e2e-guard.ts fails the test on it. */
export const browserProblems: string[] = [];
const expectedStatuses = new WeakMap<Page, Set<number>>();

/** Tells the guard that `page` will meet these HTTP error statuses on purpose (the browser logs each as a console error). */
export function expectStatus(page: Page, ...statuses: number[]): void {
  const set = expectedStatuses.get(page) ?? new Set<number>();
  for (const s of statuses) set.add(s);
  expectedStatuses.set(page, set);
}

// Per context: the screenshot sweep revisits the page in a new tab of the same context.
const expectedConsole = new WeakMap<BrowserContext, RegExp[]>();
/** Tells the guard that `page` (and its context) will log console errors matching `pattern` on purpose (a refused frame, say). */
export function expectConsoleError(page: Page, pattern: RegExp): void {
  expectedConsole.set(page.context(), [...(expectedConsole.get(page.context()) ?? []), pattern]);
}

// Per context: sites that are not Vetted (a test identity provider's pages) are driven by the
// test but not ours to judge in the screenshot sweep (their widths, their fonts).
const foreignOrigins = new WeakMap<BrowserContext, Set<string>>();
/** Keeps the screenshot sweep off another site's pages that `context` visits (e.g. the identity provider). */
export function notOurSite(context: BrowserContext, origin: string): void {
  foreignOrigins.set(context, new Set([...(foreignOrigins.get(context) ?? []), new URL(origin).origin]));
}

function guardPage(page: Page, visited: Map<string, string>): void {
  page.on("pageerror", (error) => browserProblems.push(`page error on ${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error") {
      const status = /status of (\d{3})/.exec(text);
      if (status && expectedStatuses.get(page)?.has(Number(status[1]))) return;
      if (expectedConsole.get(page.context())?.some((p) => p.test(text))) return;
      browserProblems.push(`console error on ${page.url()}: ${text}`);
    } else if (/hydrat/i.test(text)) {
      browserProblems.push(`hydration warning on ${page.url()}: ${text}`);
    }
  });
  // Client-side navigations (Remix links) fire no "load": record every main-frame navigation.
  page.on("framenavigated", (frame) => {
    if (frame !== page.mainFrame()) return;
    const url = frame.url();
    if (!url.startsWith("http")) return;
    if (foreignOrigins.get(page.context())?.has(new URL(url).origin)) return;
    const pattern = pagePattern(url);
    if (!visited.has(pattern)) visited.set(pattern, url);
  });
}

function guardContext(context: BrowserContext): BrowserContext {
  const visited = new Map<string, string>();
  for (const page of context.pages()) guardPage(page, visited);
  context.on("page", (page) => guardPage(page, visited));
  const close = context.close.bind(context);
  context.close = async (options) => {
    // The screenshots are for people to look at; a server already stopped must not fail the test.
    await screenshotVisited(context, visited).catch((error: unknown) => {
      process.stderr.write(`e2e screenshots: ${String(error).split("\n")[0]}\n`);
    });
    return close(options);
  };
  return context;
}

// ---------------------------------------------------------------------------------------------
// Screenshots of every page the suite visited, at a laptop's and a phone's width

export const SCREEN_WIDTHS = [
  { name: "1366", width: 1366, height: 900 },
  { name: "390", width: 390, height: 844 },
] as const;
/** The narrowest phone we support: no page may scroll sideways at this width. */
export const NARROWEST = 360;

/** One entry per page kind: ids become ":id" so twenty answers give one screenshot. */
function pagePattern(url: string): string {
  const u = new URL(url);
  return u.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27,}/gi, ":id");
}

const shotsTaken = new Set<string>();
/**
 * The browser suite's global setup names a directory shared by its parallel files: a page kind a
 * user was already swept as, in any file of the run, is not loaded again (the sweep was a fifth
 * of the browser suite's CPU when each file repeated it).
 */
export const SWEEP_DIR_ENV = "VETTED_TEST_SWEEP_DIR";
function claimSweep(key: string): boolean {
  if (shotsTaken.has(key)) return false;
  shotsTaken.add(key);
  const dir = process.env[SWEEP_DIR_ENV];
  if (!dir) return true;
  try {
    // "wx" fails when another file claimed the key first: an atomic claim across processes.
    closeSync(openSync(path.join(dir, createHash("sha1").update(key).digest("hex")), "wx"));
    return true;
  } catch {
    return false;
  }
}
/** Who a context is signed in as, for the screenshots' names. */
const contextLabels = new WeakMap<BrowserContext, string>();

/**
 * E2E_SCREENSHOTS=1: every page kind at 1366 and 390 px as PNGs (for a person to look at);
 * unset: only the 360 px sideways-scroll check, one load per page kind (PNG encoding of full pages
 * was a tenth of the suite's time); 0: neither.
 */
async function screenshotVisited(context: BrowserContext, visited: Map<string, string>): Promise<void> {
  if (process.env.E2E_SCREENSHOTS === "0") return;
  const pictures = process.env.E2E_SCREENSHOTS === "1";
  const who = contextLabels.get(context) ?? "anonymous";
  // Revisiting is not what the test drove: its console errors (a stopped server) are not the test's.
  const before = browserProblems.length;
  for (const [pattern, url] of visited) {
    const key = `${who}${pattern}`;
    if (pattern.startsWith("/logout") || /\/(api|health|ready|metrics)\b/.test(pattern) || !claimSweep(key)) continue;
    const page = await context.newPage();
    try {
      for (const size of pictures ? SCREEN_WIDTHS : SCREEN_WIDTHS.filter((w) => w.width === 390)) {
        await page.setViewportSize({ width: size.width, height: size.height });
        // Expected before the visit: the browser logs the status as a console error as it loads.
        expectStatus(page, 401, 403, 404, 410);
        const reached = await page.goto(url, { waitUntil: "load", timeout: 15_000 }).then(
          () => true,
          () => false,
        );
        if (!reached) break;
        if (size.width === 390) {
          await page.setViewportSize({ width: NARROWEST, height: 740 });
          const wide = await page.evaluate(() => document.documentElement.scrollWidth);
          if (wide > NARROWEST) browserProblems.push(`${url} scrolls sideways at ${NARROWEST} px: it is ${wide} px wide`);
          await page.setViewportSize({ width: size.width, height: size.height });
        }
        if (!pictures) continue;
        const slug = pattern.replace(/^\//, "").replace(/[^a-z0-9:._-]+/gi, "_").replace(/:/g, "") || "home";
        await page.screenshot({ path: artifactPath("pages", size.name, `${who}--${slug}.png`), fullPage: true });
      }
    } finally {
      await page.close();
    }
  }
  const unreachable = browserProblems.slice(before).filter((p) => /ERR_CONNECTION_REFUSED|ERR_ABORTED/.test(p));
  for (const p of unreachable) browserProblems.splice(browserProblems.indexOf(p), 1);
}

/** Screenshots land under artifacts/ (ignored by git) for a person to look at. */
export function artifactPath(...parts: string[]): string {
  const file = path.join(root, "artifacts", ...parts);
  mkdirSync(path.dirname(file), { recursive: true });
  return file;
}

/** A fresh browser context signed in as a demo user, on the app's home page. */
export async function signInAs(
  browser: Browser,
  baseUrl: string,
  email: string,
  contextOptions: Parameters<Browser["newContext"]>[0] = {},
): Promise<Page> {
  const context = await browser.newContext(contextOptions);
  contextLabels.set(context, email.split("@")[0]!);
  const page = await context.newPage();
  await page.goto(`${baseUrl}/login`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in", exact: true }).click();
  await page.waitForURL(`${baseUrl}/`);
  return page;
}
