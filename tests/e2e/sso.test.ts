import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { artifactPath, expectConsoleError, launchBrowser, notOurSite, signInAs } from "../support/browser";
import { startTestIdp, type TestIdp } from "../support/oidc-provider";
import { freePort, startApp, type RunningApp } from "../support/server";

// A new employee's first day: the company's identity provider (a real oidc-provider) knows them,
// Vetted does not yet. They click "Sign in with Acme", sign in on the provider's own pages and
// land in Vetted with the role their group maps to.
describe("single sign-on in Chromium", () => {
  let app: RunningApp;
  let idp: TestIdp;
  let browser: Browser;
  beforeAll(async () => {
    const idpPort = await freePort();
    app = await startApp({
      OIDC_ISSUER: `http://127.0.0.1:${idpPort}`,
      OIDC_CLIENT_ID: "vetted-test",
      OIDC_CLIENT_SECRET: "vetted-test-secret-0123456789abcdef",
      OIDC_NAME: "Acme",
    });
    idp = await startTestIdp([`${app.url}/auth/sso/callback`], idpPort);
    idp.accounts.set("nina", { email: "nina@example.com", email_verified: true, name: "Nina Newhire", groups: ["staff", "vetted-experts"] });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    const stopped = await app?.stop();
    expect(stopped?.code).toBe(0);
  });

  it("an admin maps a group to a role, and a new employee signs in through the provider with it", async () => {
    const admin = await signInAs(browser, app.url, "ada@example.com");
    await admin.goto(`${app.url}/admin/sso`);
    await admin.waitForLoadState("networkidle");
    await admin.getByText("Set by the environment").waitFor();
    await admin.getByLabel(/^Rules, one per line/).fill("vetted-experts = expert\nsupport = agent");
    await admin.getByRole("button", { name: "Save single sign-on" }).click();
    await admin.getByRole("status").filter({ hasText: "Saved." }).waitFor();
    await admin.context().close();

    const context = await browser.newContext();
    // The provider's development pages load a web font from the internet, which this machine has not got.
    await context.route(/fonts\.googleapis\.com/, (route) => route.fulfill({ status: 200, contentType: "text/css", body: "" }));
    notOurSite(context, idp.issuer);
    const page = await context.newPage();
    // The screenshot sweep revisits every page of ours, the spent callback among them (a 400).
    expectConsoleError(page, /status of 400/);
    await page.goto(`${app.url}/login`);
    await page.waitForLoadState("networkidle");
    await page.getByRole("button", { name: "Sign in with Acme" }).click();

    await page.waitForURL(new RegExp(`^${idp.issuer}/interaction/`));
    await page.getByPlaceholder("Enter any login").fill("nina");
    await page.getByPlaceholder("and password").fill("her company password");
    await page.getByRole("button", { name: "Sign-in" }).click();
    await page.getByRole("button", { name: "Continue" }).click();

    await page.waitForURL(`${app.url}/`);
    await page.getByRole("heading", { level: 2, name: "Reviews waiting for you" }).waitFor({ state: "visible" });
    const who = page.locator(".whoami .who");
    await expect(who.textContent()).resolves.toContain("Nina Newhire");
    await expect(who.textContent()).resolves.toContain("Expert reviewer");
    await page.screenshot({ path: artifactPath("e2e", "sso-new-employee-home.png"), fullPage: true });
    await context.close();

    // The admin sees the sign-in, and how it happened, in the audit log.
    const again = await signInAs(browser, app.url, "ada@example.com");
    await again.goto(`${app.url}/admin/audit?kind=sign_in&actor=nina`);
    await again.getByRole("cell", { name: "nina@example.com" }).first().waitFor();
    await expect(again.locator("table").textContent()).resolves.toContain('"method":"sso"');
    await again.context().close();
  });
});
