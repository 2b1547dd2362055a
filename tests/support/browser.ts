import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { DEMO_PASSWORD } from "../../db/seed";
import { root } from "../../server/build-if-stale.mjs";

/** Debian's Chromium, with the flags this closed network needs (Playwright gives it a fresh profile). */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
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
  const page = await (await browser.newContext(contextOptions)).newPage();
  await page.goto(`${baseUrl}/login`);
  await page.waitForLoadState("networkidle");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${baseUrl}/`);
  return page;
}
