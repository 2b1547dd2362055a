// `npm start`: builds the app when the build is missing or older than its sources, then runs
// the server in this same process (so its pid is the server's, and SIGTERM reaches it).
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
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

const sources = ["app", "db", "workflows", "search", "server"].map((d) => path.join(root, d)).filter(existsSync);
const stale = !existsSync(buildFile) || Math.max(...sources.map(newestMtime)) > statSync(buildFile).mtimeMs;
if (stale) {
  process.stderr.write("vetted: building the app (first start or sources changed)…\n");
  execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    cwd: root,
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, NODE_ENV: "production" },
  });
}
process.env.NODE_ENV ??= "production";
const { register } = await import("tsx/esm/api");
register();
await import("./main.ts");
