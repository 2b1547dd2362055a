// KEEP_DB=<a bench:search database> API_RATE_BURST=100000 API_RATE_PER_SECOND=100000 npx tsx bench/api-cpu.ts
// The search API's handler in process (no HTTP, no other process), over bench:search's 160 queries:
// wall and CPU per call, p50/p95, body size. PROF=file.cpuprofile profiles the measured rounds only
// (after one warm-up pass); ROUNDS=n (default 10); EXTRA="channel=email&format=html" adds parameters.
// NEW=n: instead, n queries never asked before (bench:search's new-query pool), each asked once after a warm-up on
// n others (what a server pays per query when agents do not repeat each other's wordings).
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { createApiToken } from "../app/models/agent.server";
import { setDatabase } from "../db/client.server";
import { users } from "../db/schema";
import { apiBodyText, handleApi } from "../server/api";
import { benchQueries, keptBenchDatabase, ms, percentile } from "./support";

const { repeated: QUERIES, fresh: distinct } = benchQueries();
const NEW = Number(process.env.NEW ?? 0);
// Interleaved, so the warm-up and the measured queries come from every set alike.
const warmUp = NEW > 0 ? distinct.filter((_, i) => i % 2 === 0).slice(0, NEW) : QUERIES;
const measured = NEW > 0 ? distinct.filter((_, i) => i % 2 === 1).slice(0, NEW) : QUERIES;
const database = await keptBenchDatabase(process.env.KEEP_DB ?? "vetted_search_full", 20);
setDatabase(database);
const { token } = await createApiToken({ name: "cpu", scopes: ["search:read"], createdBy: (await database.db.select().from(users).limit(1))[0]!.id }, database.db);
const call = (q: string) => handleApi({ method: "GET", path: "/search", query: new URLSearchParams({ q, limit: "10", ...(process.env.EXTRA ? Object.fromEntries(new URLSearchParams(process.env.EXTRA)) : {}) }), authorization: `Bearer ${token}`, body: "", origin: "http://x" });
for (const q of warmUp) apiBodyText(await call(q));
const session = new Session();
if (process.env.PROF) { session.connect(); await session.post("Profiler.enable"); await session.post("Profiler.start"); }
const rounds = NEW > 0 ? 1 : Number(process.env.ROUNDS ?? 10);
const lat: number[] = [];
let bytes = 0;
const cpu0 = process.cpuUsage();
const t0 = performance.now();
for (let r = 0; r < rounds; r++) for (const q of measured) { const t = performance.now(); const s = apiBodyText(await call(q)); bytes += s.length; lat.push(performance.now() - t); }
const wall = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
console.log(`${lat.length} calls: wall ${ms(wall / lat.length)}/call, cpu ${((cpu.user + cpu.system) / 1000 / lat.length).toFixed(3)} ms/call, p50 ${ms(percentile(lat, 50))}, p95 ${ms(percentile(lat, 95))}, body ${Math.round(bytes / lat.length)} B`);
if (process.env.PROF) { const { profile } = await session.post("Profiler.stop"); writeFileSync(process.env.PROF, JSON.stringify(profile)); }
await database.close();
process.exit(0);
