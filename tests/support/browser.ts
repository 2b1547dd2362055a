import { mkdirSync } from "node:fs";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
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
