import type { Browser, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { DEMO_USERS } from "../../db/seed";
import { signInAs } from "../support/browser";
import type { RunningApp } from "../support/server";
import { useAppAndBrowser } from "../support/app-and-browser";

/**
 * Every page of the main navigation, opened by clicking as each demo role would, at a laptop's
 * and a phone's width. The console guard fails on any page error, console error or hydration
 * warning; its screenshot sweep also checks that no page scrolls sideways at 360 px.
 */
describe("every role clicks through its navigation", () => {
  let app: RunningApp;
  let browser: Browser;
  useAppAndBrowser((a, b) => ([app, browser] = [a, b]));

  async function clickThrough(page: Page) {
    const links = await page.getByRole("navigation", { name: "Main" }).getByRole("link").all();
    const labels = await Promise.all(links.map((l) => l.textContent()));
    for (const label of labels) {
      const name = (label ?? "").trim();
      const nav = page.getByRole("navigation", { name: "Main" });
      // The public FAQ is a site of its own, without the app's header: come back home first.
      if ((await nav.count()) === 0) await page.goto(new URL("/", page.url()).toString());
      if (!(await nav.isVisible())) await page.locator(".menu-button").click();
      const link = nav.getByRole("link", { name, exact: true });
      const href = (await link.getAttribute("href")) ?? "/";
      await link.click();
      await page.waitForURL((url) => url.pathname === href || url.pathname.startsWith(`${href}/`));
      await page.waitForLoadState("networkidle");
      expect(await page.getByRole("heading").count(), `${name} (${page.url()}) has a heading`).toBeGreaterThan(0);
      expect(await page.locator("body").textContent(), `${name}: a page count of NaN`).not.toMatch(/of NaN/);
      // And loaded from the server, so a hydration mismatch shows (the guard fails the test on it).
      await page.reload();
      await page.waitForLoadState("networkidle");
    }
  }

  for (const user of DEMO_USERS) {
    it(`${user.displayName} opens every page of the navigation (1366 px)`, async () => {
      const page = await signInAs(browser, app.url, user.email, { viewport: { width: 1366, height: 900 } });
      await clickThrough(page);
      await page.context().close();
    });
  }

  it("an admin opens Admin → API tokens by clicking, and the lists page through", async () => {
    const page = await signInAs(browser, app.url, "ada@example.com", { viewport: { width: 1366, height: 900 } });
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Admin" }).click();
    await page.getByRole("link", { name: "API tokens" }).click();
    await page.getByRole("heading", { name: "API tokens" }).waitFor();
    await page.waitForLoadState("networkidle");
    expect(new URL(page.url()).pathname).toBe("/admin/tokens");
    for (const list of ["/wiki", "/blog", "/forum"]) {
      await page.goto(`${app.url}${list}`);
      await page.waitForLoadState("networkidle");
      expect(await page.locator("main").textContent()).not.toMatch(/NaN/);
    }
    await page.context().close();
  });

  it("on a phone the header is one row with a menu that opens and closes", async () => {
    const page = await signInAs(browser, app.url, "kim@example.com", { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const nav = page.getByRole("navigation", { name: "Main" });
    expect(await nav.isVisible()).toBe(false);
    const header = await page.locator(".site-header").boundingBox();
    expect(header!.height).toBeLessThan(70);
    await page.locator(".menu-button").click();
    expect(await nav.isVisible()).toBe(true);
    await nav.getByRole("link", { name: "Wiki", exact: true }).click();
    await page.waitForURL(/\/wiki$/);
    await expect.poll(() => nav.isVisible(), { timeout: 5000 }).toBe(false);
    await clickThrough(page);
    await page.context().close();
  });
});
