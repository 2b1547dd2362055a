// `npm start`: builds the app when the build is missing or stale, then runs the server in
// this same process (so its pid is the server's and SIGTERM reaches it directly). The npm
// script execs node, so no shell sits between npm and the server: npm passes its SIGTERM on.
import { buildIfStale } from "./build-if-stale.mjs";

// A cluster's workers run this file too: the primary has built already.
const { default: cluster } = await import("node:cluster");
if (cluster.isPrimary) buildIfStale();
process.env.NODE_ENV ??= "production";

// If npm itself dies without passing a signal on (SIGKILL), the server must not live on as an
// orphan holding the port and the data directory: a changed parent means "stop".
if (process.env.npm_lifecycle_event === "start") {
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.kill(process.pid, "SIGTERM");
  }, 1000).unref();
}

const { register } = await import("tsx/esm/api");
register();
// WEB_CONCURRENCY > 1: this process forks the workers and replaces any that die (server/cluster.ts);
// each worker comes back through this file and runs the server.
if (cluster.isPrimary && (process.env.WEB_CONCURRENCY ?? "").trim() !== "" && process.env.WEB_CONCURRENCY !== "1") await import("./cluster.ts");
else await import("./main.ts");
