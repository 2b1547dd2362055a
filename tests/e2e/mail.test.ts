import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { axeViolations } from "../support/axe";
import { artifactPath, expectStatus, launchBrowser } from "../support/browser";
import { startApp, type RunningApp } from "../support/server";
import { SmtpPeer } from "../support/smtp";

/** Forgot password end to end: the app sends through a real SMTP server, Chromium follows the link. */
describe("forgot password and notification settings, in Chromium with a real SMTP server", () => {
  const peer = new SmtpPeer();
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    await peer.start();
    app = await startApp({ SMTP_URL: `smtp://127.0.0.1:${peer.port}`, SMTP_FROM: "Vetted <vetted@example.test>" });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await peer.stop();
  });

  it("a person who forgot their password gets a link by email, chooses a new one and lands signed in; then picks a digest", async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    await page.waitForLoadState("networkidle");
    await page.getByRole("link", { name: "Forgot password?" }).click();
    await page.getByRole("heading", { name: "Forgot your password?" }).waitFor();
    await page.getByLabel("Email").fill("emma@example.com");
    await page.getByRole("button", { name: "Send the reset link" }).click();
    await page.getByText(/belongs to an account, a link to choose a new password is on its way/).waitFor();
    await page.screenshot({ path: artifactPath("e2e", "forgot-password.png"), fullPage: true });
    expect(await axeViolations(page)).toEqual([]);

    const deadline = Date.now() + 30_000;
    // Only the reset message: the demo seed's workflow steps queue mail too, which the start skips.
    const isReset = (m: (typeof peer.messages)[number]) => m.to.includes("emma@example.com") && m.subject.startsWith("Reset your password");
    while (!peer.messages.some(isReset) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    const mail = peer.messages.find(isReset);
    // Nothing else, but for the demo's reviews past their target: escalating them (issue 14) after the
    // start is real mail to the knowledge manager, not the seed's.
    const others = peer.messages.filter((m) => !m.subject.startsWith("Reset your password"));
    expect(others.filter((m) => !(m.subject.startsWith("Review overdue") && m.to.join() === "kim@example.com")).map((m) => `${m.to.join()}: ${m.subject}`)).toEqual([]);
    expect(mail, "the reset mail arrived").toBeTruthy();
    const link = /https?:\/\/[^\s]+\/reset-password\/[\w-]+/.exec(mail!.text)![0];
    // The app's own base (PUBLIC_URL unset: localhost and its port); the browser stays on 127.0.0.1.
    const target = app.url + new URL(link).pathname;

    await page.goto(target);
    await page.waitForLoadState("networkidle");
    // A password under the rules answers 400 with the field error (the status is expected).
    expectStatus(page, 400);
    await page.getByLabel("New password").fill("too short");
    await page.getByLabel("Type it again").fill("too short");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.getByText("Use at least 12 characters.").waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel("New password").fill("a brand new passphrase");
    await page.getByLabel("Type it again").fill("a brand new passphrase");
    await page.getByRole("button", { name: "Set password and sign in" }).click();
    await page.waitForURL(`${app.url}/`);

    await page.getByRole("link", { name: "Notification settings" }).click();
    await page.getByRole("heading", { name: "Notification settings" }).waitFor();
    const certified = page.getByRole("group", { name: "Your answer was certified" });
    await certified.getByRole("radio", { name: "Daily digest" }).check();
    await page.getByLabel("Send it at").selectOption("17");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("Saved. New notifications follow these choices.").waitFor();
    expect(await certified.getByRole("radio", { name: "Daily digest" }).isChecked()).toBe(true);
    await page.screenshot({ path: artifactPath("e2e", "notification-settings.png"), fullPage: true });
    // axe where the pages suite runs it for signed-in pages (200 % zoom: the header's menu button shows).
    await page.setViewportSize({ width: 683, height: 450 });
    expect(await axeViolations(page)).toEqual([]);
    await page.setViewportSize({ width: 360, height: 800 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    await page.screenshot({ path: artifactPath("e2e", "notification-settings-360.png"), fullPage: true });
    await context.close();
  });
});
