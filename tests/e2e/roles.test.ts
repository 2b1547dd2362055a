import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, DEMO_USERS } from "../../db/seed";
import { artifactPath, expectStatus, launchBrowser } from "../support/browser";
import { startApp, type RunningApp } from "../support/server";

// Role → the panel of their own work its home page shows, and a page it may not open.
const EXPECT: Record<string, { home: string; forbidden: string }> = {
  "emma@example.com": { home: "My drafts", forbidden: "/admin/users" },
  "xavier@example.com": { home: "Reviews waiting for you", forbidden: "/admin/topics" },
  "priya@example.com": { home: "Reviews waiting for you", forbidden: "/admin/users" },
  "kim@example.com": { home: "Ready to certify", forbidden: "/admin/users" },
  "alex@example.com": { home: "Your searches that found nothing", forbidden: "/write" },
  "ada@example.com": { home: "Administration", forbidden: "/review" },
};

describe("every demo role signs in on a fresh embedded database", () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    const stopped = await app?.stop();
    expect(stopped?.code).toBe(0);
  });

  it("lists the demo accounts on the sign-in page", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/login`);
    await page.locator("h2", { hasText: "Demo accounts" }).waitFor({ state: "visible" });
    for (const u of DEMO_USERS) expect(await page.locator("code", { hasText: u.email }).count()).toBe(1);
    await page.close();
  });

  for (const user of DEMO_USERS) {
    it(`${user.displayName} sees their home page and is refused what the role may not do`, async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${app.url}/login`);
      await page.waitForLoadState("networkidle");
      await page.getByLabel("Email").fill(user.email);
      await page.getByLabel("Password").fill(DEMO_PASSWORD);
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForURL(`${app.url}/`);
      await page.getByRole("heading", { level: 2, name: EXPECT[user.email]!.home }).waitFor({ state: "visible" });
      await page.getByText(user.displayName).first().waitFor({ state: "visible" });
      await page.screenshot({ path: artifactPath("e2e", `home-${user.roles.join("+")}-${user.email.split("@")[0]}.png`), fullPage: true });

      expectStatus(page, 403);
      const forbidden = await page.goto(`${app.url}${EXPECT[user.email]!.forbidden}`);
      expect(forbidden?.status()).toBe(403);
      await page.getByRole("heading", { name: "You may not do that" }).waitFor({ state: "visible" });
      await context.close();
    });
  }

  it("a wrong password shows a clear message", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.url}/login`);
    await page.waitForLoadState("networkidle");
    await page.getByLabel("Email").fill("alex@example.com");
    await page.getByLabel("Password").fill("not the password");
    expectStatus(page, 401);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "The email or password is not right." }).waitFor();
    await page.close();
  });
});
