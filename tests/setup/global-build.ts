import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { buildIfStale } from "../../server/build-if-stale.mjs";
import { chromiumExecutable } from "../support/browser";
import { startApp } from "../support/server";

declare module "vitest" {
  export interface ProvidedContext {
    /** A data directory one start created, migrated and seeded; startApp copies it. */
    seededDataDir: string;
    /** Where the screenshot sweep marks the page kinds it already visited (tests/support/browser.ts). */
    sweepDir: string;
  }
}

// The e2e and attack projects each run this setup in the one main process: seed once for both.
const shared = globalThis as { vettedSeededDataDir?: Promise<string>; vettedSweepDir?: string };

async function seedDataDir(): Promise<string> {
  const app = await startApp({ LOG_LEVEL: "warn" });
  // Copies start with every demo answer indexed and given its meaning vectors, so a test's
  // rankings do not shift while the background jobs catch up.
  for (let waited = 0; ; waited += 250) {
    const health = (await (await fetch(`${app.url}/health`)).json()) as { search?: { outboxPending: number; vectorsPending: number } };
    if (health.search && health.search.outboxPending === 0 && health.search.vectorsPending === 0) break;
    if (waited > 120_000) throw new Error(`the seeding start did not finish indexing: ${JSON.stringify(health)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  const { code } = await app.stop();
  if (code !== 0) throw new Error(`the seeding start exited ${code}:\n${app.output()}`);
  process.once("exit", () => rmSync(app.dataDir, { recursive: true, force: true }));
  return app.dataDir;
}

/** The browser tests run the built app, as `npm start` does, in a browser found once here. */
export default async function setup(project: TestProject) {
  buildIfStale({ quiet: true });
  // Unpacks the packaged Chromium (when there is no system one) once, before workers race for it.
  await chromiumExecutable();
  if (shared.vettedSweepDir === undefined) {
    const sweepDir = mkdtempSync(path.join(tmpdir(), "vetted-sweep-"));
    process.once("exit", () => rmSync(sweepDir, { recursive: true, force: true }));
    shared.vettedSweepDir = sweepDir;
  }
  project.provide("sweepDir", shared.vettedSweepDir);
  if (project.name === "cluster") return; // its servers run on PostgreSQL
  shared.vettedSeededDataDir ??= seedDataDir();
  project.provide("seededDataDir", await shared.vettedSeededDataDir);
}
