// `npm run bench:faq-lighthouse`: Lighthouse scores of the live FAQ's home, topic and answer
// pages on a fresh demo app (embedded PGlite). Lighthouse is not a project dependency (13.x
// needs Node ≥ 22.19; 12.8.2 runs on Node 20): point LIGHTHOUSE_BIN at an installed one, e.g.
//   npm install --prefix /tmp/lh lighthouse@12.8.2 && LIGHTHOUSE_BIN=/tmp/lh/node_modules/.bin/lighthouse npm run bench:faq-lighthouse
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIfStale } from "../server/build-if-stale.mjs";
import { startApp } from "../tests/support/server";

const bin = process.env.LIGHTHOUSE_BIN;
if (!bin) {
  console.error("bench:faq-lighthouse: set LIGHTHOUSE_BIN to a lighthouse 12.x binary (see the comment at the top of bench/faq-lighthouse.ts)");
  process.exit(2);
}
buildIfStale({ quiet: true });
const app = await startApp({ LOG_LEVEL: "warn" });
const home = await (await fetch(`${app.url}/faq`)).text();
const answer = /<ul class="qs"><li><a href="([^"]+)"/.exec(home)?.[1];
if (!answer) throw new Error("no answer on the FAQ home page");
const pages = { home: "/faq", topic: `/faq/${answer.split("/")[2]}`, answer };
const out = mkdtempSync(path.join(tmpdir(), "vetted-lh-"));
const flags = "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run";
try {
  for (const [name, p] of Object.entries(pages)) {
    const file = path.join(out, `${name}.json`);
    const run = spawnSync(
      bin,
      [`${app.url}${p}`, "--quiet", "--output=json", `--output-path=${file}`, "--only-categories=performance,accessibility,best-practices,seo", `--chrome-flags=${flags}`],
      { env: { ...process.env, CHROME_PATH: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" }, encoding: "utf8", timeout: 180_000 },
    );
    if (run.status !== 0) throw new Error(`lighthouse failed on ${p}: ${run.stderr}`);
    const report = JSON.parse(readFileSync(file, "utf8")) as { categories: Record<string, { score: number }> };
    const scores = Object.entries(report.categories).map(([k, v]) => `${k} ${Math.round(v.score * 100)}`);
    console.log(`${name} (${p}): ${scores.join(", ")}`);
  }
} finally {
  await app.stop();
}
