// scratch: start server on vetted_perf with --cpu-prof, run autocannon
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { createApiToken } from "../app/models/agent.server";
import { createDb } from "../db/client.server";
import { users } from "../db/schema";
import { QUERIES } from "./.scratch-lines";
const url = `postgres://postgres@127.0.0.1:5432/${process.env.DBNAME ?? "vetted_perf"}`;
const database = await createDb({ url });
const { token } = await createApiToken({ name: "bench", scopes: ["search:read"], createdBy: (await database.db.select().from(users).limit(1))[0]!.id }, database.db);
await database.close();
const port = 3999;
const args = process.env.PROF ? ["--cpu-prof", "--cpu-prof-dir=/tmp/perf/prof"] : [];
const proc = spawn(process.execPath, [...args, "server/start.mjs"], {
  env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(path.join(tmpdir(), "x-")), DATABASE_URL: url, LOG_LEVEL: "warn", API_RATE_BURST: "100000", API_RATE_PER_SECOND: "100000", NODE_ENV: "production" },
  stdio: "inherit",
});
const t = performance.now();
for (;;) { if (await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false)) break; await new Promise((r) => setTimeout(r, 200)); }
console.log("ready", ((performance.now() - t) / 1000).toFixed(1));
let w = performance.now();
await fetch(`http://127.0.0.1:${port}/api/v1/search?q=warm`, { headers: { Authorization: `Bearer ${token}` } });
console.log("first search", ((performance.now() - w) / 1000).toFixed(2));
const requests = QUERIES.map((q) => ({ method: "GET" as const, path: `/api/v1/search?q=${encodeURIComponent(q)}&limit=10`, headers: { Authorization: `Bearer ${token}` } }));
await autocannon({ url: `http://127.0.0.1:${port}`, connections: 20, duration: 3, requests });
const r = await autocannon({ url: `http://127.0.0.1:${port}`, connections: 20, duration: Number(process.env.DUR ?? 10), requests });
console.log(`${Math.round(r.requests.average)} req/s p50 ${r.latency.p50} p90 ${r.latency.p90} p97.5 ${r.latency.p97_5} p99 ${r.latency.p99} non2xx ${r.non2xx}`);
proc.kill("SIGTERM");
await new Promise((r) => proc.once("exit", r));
