import type { Browser } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { launchBrowser } from "./browser";
import { startApp, type RunningApp } from "./server";

/**
 * A browser file's set-up: the built app (on a copy of the seeded data directory) and Chromium,
 * started before its tests and stopped after them; `use` receives both once they are up.
 */
export function useAppAndBrowser(use: (app: RunningApp, browser: Browser) => void): void {
  let app: RunningApp | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    app = await startApp();
    browser = await launchBrowser();
    use(app, browser);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });
}
