// Builds the Remix app when build/ is missing or older than any source file. Used by
// `npm start` and by the test run, so neither serves a stale build.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const buildFile = path.join(root, "build/index.js");

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export function buildIsStale() {
  if (!existsSync(buildFile)) return true;
  const sources = ["app", "db", "workflows", "search", "server", "remix.config.js", "package.json"]
    .map((d) => path.join(root, d))
    .filter(existsSync);
  const newest = Math.max(...sources.map((p) => (statSync(p).isDirectory() ? newestMtime(p) : statSync(p).mtimeMs)));
  return newest > statSync(buildFile).mtimeMs;
}

export function buildIfStale({ quiet = false } = {}) {
  if (!buildIsStale()) return false;
  if (!quiet) process.stderr.write("vetted: building the app (first start or sources changed)…\n");
  execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    cwd: root,
    stdio: ["ignore", quiet ? "ignore" : "inherit", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
  return true;
}
