// How long `npm start` takes to serve on embedded PGlite: the first start (initdb, migrations,
// demo seed) and the second (existing data). Prints one line per figure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { buildIfStale } from "../server/build-if-stale.mjs";
import { startApp } from "../tests/support/server";

buildIfStale({ quiet: true });
const dataDir = mkdtempSync(path.join(tmpdir(), "vetted-bench-startup-"));
const runs = Number(process.env.RUNS ?? 3);
const results: { first: number; second: number }[] = [];
for (let i = 0; i < runs; i++) {
  const dir = path.join(dataDir, String(i));
  const t0 = performance.now();
  const a = await startApp({ DATA_DIR: dir, LOG_LEVEL: "warn" });
  const first = performance.now() - t0;
  await a.stop();
  const t1 = performance.now();
  const b = await startApp({ DATA_DIR: dir, LOG_LEVEL: "warn" });
  const second = performance.now() - t1;
  const stopped = await b.stop();
  results.push({ first, second });
  console.log(`run ${i + 1}: first start ${(first / 1000).toFixed(2)} s, second start ${(second / 1000).toFixed(2)} s, SIGTERM→exit ${stopped.ms} ms`);
}
const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
console.log(
  `startup on PGlite (median of ${runs}, process spawn to /health 200): first ${(median(results.map((r) => r.first)) / 1000).toFixed(2)} s, second ${(median(results.map((r) => r.second)) / 1000).toFixed(2)} s`,
);
rmSync(dataDir, { recursive: true, force: true });
