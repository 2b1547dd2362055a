import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { root } from "../../server/build-if-stale.mjs";
import { artifactPath, expectStatus, launchBrowser } from "../support/browser";
import { axeViolations } from "../support/axe";
import { freePort, startApp, type RunningApp } from "../support/server";


/** A plain static file server over the export folder, as any web host would serve it. */
function serveStatic(dir: string, port: number): Promise<Server> {
  const types: Record<string, string> = { ".html": "text/html; charset=utf-8", ".json": "application/json", ".js": "text/javascript", ".svg": "image/svg+xml", ".xml": "application/xml", ".txt": "text/plain" };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    let file = path.join(dir, decodeURIComponent(url.pathname));
    if (!file.startsWith(dir)) return void res.writeHead(400).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!existsSync(file)) {
      res.writeHead(404, { "Content-Type": types[".html"] });
      return void createReadStream(path.join(dir, "404.html")).pipe(res);
    }
    res.writeHead(200, { "Content-Type": types[path.extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(port, "127.0.0.1", () => resolve(server)));
}

/** `npm run export:faq` over a stopped app's data folder, as a user runs it. */
function exportFaqOf(app: RunningApp, outDir: string, baseUrl: string) {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("VITEST") && k !== "TEST_DB" && k !== "DATABASE_URL") env[k] = v;
  const run = spawnSync(process.execPath, ["--import", "tsx", "server/export-faq.ts", "--out", outDir, "--base-url", baseUrl], {
    cwd: root,
    env: { ...env, DATA_DIR: app.dataDir, SESSION_SECRET: readFileSync(path.join(app.dataDir, "session-secret"), "utf8").trim() } as unknown as NodeJS.ProcessEnv,
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/done: \d+ pages, \d+ files/);
}

describe("the public FAQ in Chromium", () => {
  let app: RunningApp;
  let browser: Browser;
  let stat: Server;
  let staticUrl: string;
  let answerPath: string;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    // close() waits for every open connection; a keep-alive one left by the browser held this hook for 180 s once (CI, eleventh session).
    stat?.closeAllConnections();
    await new Promise((r) => (stat ? stat.close(r) : r(null)));
    if (app && app.proc.exitCode === null) await app.stop();
  });

  it("live pages need no sign-in and pass axe with no violations", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/faq`);
    const first = await page.locator("main ul.qs a").first().getAttribute("href");
    answerPath = first!;
    const topicPath = `/faq/${answerPath.split("/")[2]}`;
    for (const p of ["/faq", topicPath, answerPath, "/faq/search?q=refund"]) {
      const response = await page.goto(`${app.url}${p}`);
      expect(response?.status()).toBe(200);
      // No client JavaScript is needed (or sent) to read the FAQ.
      expect(await page.locator("script[src]").count()).toBe(0);
      expect(await axeViolations(page)).toEqual([]);
    }
    await page.goto(`${app.url}${answerPath}`);
    await page.screenshot({ path: artifactPath("e2e", "faq-live-answer.png"), fullPage: true });
    // Keyboard: the first Tab reaches the skip link, which moves focus to the main content.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    // "Was this helpful?" works without JavaScript.
    await page.getByLabel("No").check();
    await page.getByLabel("What could be better? (optional)").fill("More detail please");
    await page.getByRole("button", { name: "Send feedback" }).click();
    await page.getByText("Thank you for your feedback.").waitFor();
    await page.close();
  });

  it("the static export, served from disk, passes axe and its search works", async () => {
    const stopped = await app.stop();
    expect(stopped.code).toBe(0);
    const port = await freePort();
    staticUrl = `http://127.0.0.1:${port}`;
    const outDir = path.join(mkdtempSync(path.join(tmpdir(), "vetted-faq-e2e-")), "faq");
    exportFaqOf(app, outDir, staticUrl);
    stat = await serveStatic(outDir, port);

    const page = await browser.newPage();
    const staticAnswer = `${answerPath.replace(/^\/faq/, "")}/`;
    for (const p of ["/", `/${staticAnswer.split("/")[1]}/`, staticAnswer, "/search/?q=refund"]) {
      const response = await page.goto(`${staticUrl}${p}`);
      expect(response?.status()).toBe(200);
      if (p.startsWith("/search/")) await page.locator("#search-results li").first().waitFor();
      expect(await axeViolations(page)).toEqual([]);
    }
    await page.screenshot({ path: artifactPath("e2e", "faq-static-search.png"), fullPage: true });

    // Search from the home page's box, then follow a result.
    await page.goto(`${staticUrl}/`);
    await page.getByLabel("Search the FAQ").fill("refund card");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/search\/index\.html\?q=refund/);
    const result = page.locator("#search-results li a").first();
    await result.waitFor();
    expect(await page.locator("#search-status").textContent()).toMatch(/answers? match/);
    await result.click();
    await page.locator("h1").waitFor();
    expect(page.url()).toMatch(new RegExp(`^${staticUrl}/[a-z0-9-]+/[a-z0-9-]+/index\\.html$`));
    expectStatus(page, 404);
    expect((await page.goto(`${staticUrl}/no/such/page/`))?.status()).toBe(404);
    await page.close();
  });

  it("the static export opened from disk (file://): pages link to each other, the stylesheet applies, search works", async () => {
    // The app was stopped by the test above (one process per embedded data folder).
    const outDir = path.join(mkdtempSync(path.join(tmpdir(), "vetted-faq-file-")), "faq");
    exportFaqOf(app, outDir, "https://help.example.com");
    const home = pathToFileURL(path.join(outDir, "index.html")).href;
    const inExport = (url: string) => url.startsWith(pathToFileURL(outDir).href + "/");
    const page = await browser.newPage();
    // Only the inline stylesheet sets these: the page is styled, not raw HTML.
    const styled = () => page.evaluate(() => [getComputedStyle(document.querySelector("main")!).maxWidth, getComputedStyle(document.querySelector("header.bar")!).color]);
    const STYLED = ["860px", "rgb(255, 255, 255)"];

    await page.goto(home);
    expect(await page.locator("h1").textContent()).toBe("How can we help?");
    expect(await styled()).toEqual(STYLED);
    // Addresses for search engines stay absolute, under the configured public address.
    expect(await page.locator('link[rel="canonical"]').getAttribute("href")).toBe("https://help.example.com/");

    // Home → a topic → an answer, all from disk.
    const topicLink = page.locator("ul.topics a").first();
    const topicName = (await topicLink.locator("strong").textContent())!;
    await topicLink.click();
    await page.waitForURL((u) => /\/[a-z0-9-]+\/index\.html$/.test(u.href) && u.href !== home);
    expect(inExport(page.url())).toBe(true);
    expect(await page.locator("h1").textContent()).toBe(topicName);
    expect(await styled()).toEqual(STYLED);
    const topicUrl = page.url();

    const answerLink = page.locator("main ul.qs a").first();
    const question = (await answerLink.textContent())!;
    await answerLink.click();
    await page.waitForURL((u) => u.href !== topicUrl);
    expect(page.url()).toMatch(/\/[a-z0-9-]+\/[a-z0-9-]+\/index\.html$/);
    expect(inExport(page.url())).toBe(true);
    expect(await page.locator("h1").textContent()).toBe(question);
    expect(await styled()).toEqual(STYLED);
    expect(await page.evaluate(() => (document.querySelector('link[rel="icon"]') as HTMLLinkElement).href)).toBe(pathToFileURL(path.join(outDir, "favicon.svg")).href);

    // And back: the breadcrumb to the topic, then to the home page.
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: topicName }).click();
    await page.waitForURL(topicUrl);
    expect(await page.locator("h1").textContent()).toBe(topicName);
    await page.getByRole("navigation", { name: "Breadcrumb" }).getByRole("link", { name: "Help" }).click();
    await page.waitForURL(home);
    expect(await page.locator("h1").textContent()).toBe("How can we help?");

    // Search from the box: the index loads as a script (no fetch() from disk), results link back in.
    const word = question.split(/\W+/).filter((w) => w.length > 4)[0]!.toLowerCase();
    await page.getByLabel("Search the FAQ").fill(word);
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL((u) => u.href.startsWith(pathToFileURL(path.join(outDir, "search", "index.html")).href));
    expect(new URL(page.url()).searchParams.get("q")).toBe(word);
    await page.locator("#search-results li").first().waitFor();
    expect(await page.locator("#search-status").textContent()).toMatch(/answers? match/);
    expect(await styled()).toEqual(STYLED);
    await page.screenshot({ path: artifactPath("e2e", "faq-file-search.png"), fullPage: true });
    const hit = page.locator("#search-results li a").filter({ hasText: question }).first();
    await hit.click();
    await page.waitForURL((u) => !u.href.includes("/search/"));
    expect(inExport(page.url())).toBe(true);
    expect(await page.locator("h1").textContent()).toBe(question);
    await page.close();
  });
});
