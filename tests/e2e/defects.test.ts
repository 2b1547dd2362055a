import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactPath, launchBrowser, signInAs } from "../support/browser";
import { guardPage } from "../support/page-guard";
import { startApp, type RunningApp } from "../support/server";

// Defects found when the app was tried as a new user would (issue 11), each seen in Chromium.
describe("issue 11 defects in Chromium", () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("lists wiki, blog and forum without 'NaN' pages or hydration errors", async () => {
    const page = await signInAs(browser, app.url, "emma@example.com");
    const guard = guardPage(page);
    for (const path of ["/wiki", "/blog", "/forum"]) {
      await page.goto(`${app.url}${path}`);
      await page.waitForLoadState("networkidle");
      expect(await page.locator("body").innerText()).not.toContain("NaN");
    }
    // A client-side navigation renders the list in the browser only.
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Wiki" }).click();
    await page.getByRole("heading", { level: 1, name: "Wiki" }).waitFor();
    expect(await page.locator("body").innerText()).not.toContain("NaN");
    guard.assertClean();
    await page.context().close();
  });

  it("opens Admin → API tokens by clicking and creates a token", async () => {
    const page = await signInAs(browser, app.url, "ada@example.com");
    const guard = guardPage(page);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("navigation", { name: "Administration" }).waitFor();
    await page.getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("heading", { level: 1, name: "API tokens" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/admin/tokens");
    await page.getByLabel("Name (the tool that uses it)").fill("Helpdesk");
    await page.getByRole("button", { name: "Create token" }).click();
    await page.getByText("Token created.").waitFor();
    await page.screenshot({ path: artifactPath("e2e", "admin-tokens-1366.png"), fullPage: true });
    guard.assertClean();
    await page.context().close();
  });
});
