import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { drizzle } from "drizzle-orm/pglite";
import postgres from "postgres";
import type { PGlite } from "@electric-sql/pglite";
import { createDb, type Database } from "../db/client.server";
import * as schema from "../db/schema";
import { migrateDatabase } from "../db/migrate";

export const SERVER_URL = process.env.TEST_DATABASE_URL || "postgres://postgres@127.0.0.1:5432/test";

/** A fresh, migrated database for a benchmark: a temporary one on the server, or in-memory PGlite. */
export async function benchDatabase(driver: "postgres" | "pglite", max = 20): Promise<Database & { url?: string }> {
  if (driver === "pglite") {
    const database = await createDb({ dataDir: "memory://" });
    await migrateDatabase(database);
    return database;
  }
  const name = `vetted_bench_${randomBytes(4).toString("hex")}`;
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString(), max });
  await migrateDatabase(database);
  return {
    ...database,
    url: url.toString(),
    async close() {
      await database.close();
      const cleanup = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists "${name}" with (force)`);
      await cleanup.end();
    },
  };
}

/**
 * KEEP_DB=name: a server database kept between runs (created and migrated if missing), for
 * working on queries at full size without regenerating minutes of data each time. Never dropped.
 */
export async function keptBenchDatabase(name: string, max = 10): Promise<Database & { url: string }> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("KEEP_DB must be a plain database name");
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString(), max });
  await migrateDatabase(database);
  return Object.assign(database, { url: url.toString() });
}

/** A second, independent connection to the same database (a second process, as far as caches go). */
export async function openAgain(database: Database & { url?: string }): Promise<Database> {
  if (database.url) return createDb({ url: database.url });
  const client = (database.db as unknown as { $client: PGlite }).$client;
  return { db: drizzle(client, { schema }) as unknown as Database["db"], driver: "pglite", close: async () => {} };
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const ms = (n: number) => `${n.toFixed(1)} ms`;

/** Runs `work` over the items with `concurrency` workers pulling from one queue. */
export async function pool<T>(items: T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) {
        const item = items[next++]!;
        await work(item);
      }
    }),
  );
}

export interface LoadResult {
  tool: string;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  non2xx: number;
  /** Requests made (wrk only). */
  requests?: number;
}

/**
 * 20 concurrent clients on keep-alive connections for `seconds`, cycling through `paths`. Uses
 * wrk (C, Debian's package) when it is installed: on two cores a load generator in JavaScript
 * takes most of a core from the server it measures. Falls back to autocannon.
 * `once`: no warm-up run, and wrk's two threads start half the pool apart, so a pool larger than
 * the run's requests asks each path once (the result says how many requests there were).
 */
export async function loadTest(base: string, paths: string[], headers: Record<string, string>, seconds: number, connections = 20, options: { once?: boolean } = {}): Promise<LoadResult> {
  const wrk = spawnSync("wrk", ["--version"], { encoding: "utf8" });
  if (!wrk.error) {
    const dir = mkdtempSync(path.join(tmpdir(), "vetted-wrk-"));
    const script = path.join(dir, "paths.lua");
    const lua = (s: string) => JSON.stringify(s);
    writeFileSync(
      script,
      `local paths = { ${paths.map(lua).join(", ")} }
local headers = { ${Object.entries(headers).map(([k, v]) => `[${lua(k)}] = ${lua(v)}`).join(", ")} }
local threads = 0
setup = function(thread)
  thread:set("offset", threads * math.floor(#paths / 2))
  threads = threads + 1
end
local i = nil
request = function()
  if i == nil then i = ${options.once ? "offset or 0" : "0"} end
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1], headers)
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %f %f %f %f %d %d\\n", summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.errors.status, summary.requests))
end
`,
    );
    // A short warm-up first: the first requests of a process are slower (JIT).
    if (!options.once) spawnSync("wrk", ["-t2", `-c${connections}`, "-d3s", "-s", script, base], { encoding: "utf8" });
    const run = spawnSync("wrk", ["-t2", `-c${connections}`, `-d${seconds}s`, "-s", script, base], { encoding: "utf8" });
    rmSync(dir, { recursive: true, force: true });
    const m = /RESULT (\S+) (\S+) (\S+) (\S+) (\d+) (\d+)/.exec(run.stdout);
    if (!m) throw new Error(`wrk gave no result: ${run.stdout}${run.stderr}`);
    return { tool: "wrk, 2 threads", rps: Number(m[1]), p50: Number(m[2]), p95: Number(m[3]), p99: Number(m[4]), non2xx: Number(m[5]), requests: Number(m[6]) };
  }
  const autocannon = (await import("autocannon")).default;
  const requests = paths.map((p) => ({ method: "GET" as const, path: p, headers }));
  if (!options.once) await autocannon({ url: base, connections, duration: 3, requests });
  const r = await autocannon({ url: base, connections, duration: seconds, requests });
  return { tool: "autocannon (install wrk for a lighter load generator)", rps: r.requests.average, p50: r.latency.p50, p95: r.latency.p97_5, p99: r.latency.p99, non2xx: r.non2xx };
}

export interface OpenLoopResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** `paths` asked at `rate` a second for `seconds`, each when due (bench/open-loop.ts, in a process of its own). */
export async function openLoop(base: string, paths: string[], authorization: string, rate: number, seconds: number): Promise<OpenLoopResult> {
  if (paths.length === 0) throw new Error("openLoop needs at least one path to ask");
  const dir = mkdtempSync(path.join(tmpdir(), "vetted-open-loop-"));
  const file = path.join(dir, "paths.txt");
  writeFileSync(file, paths.join("\n"));
  try {
    const run = spawnSync(process.execPath, ["--import", "tsx", fileURLToPath(new URL("open-loop.ts", import.meta.url))], {
      cwd: fileURLToPath(new URL("..", import.meta.url)),
      encoding: "utf8",
      env: { ...process.env, OPEN_LOOP_URL: base, OPEN_LOOP_PATHS: file, OPEN_LOOP_RATE: String(rate), OPEN_LOOP_SECONDS: String(seconds), OPEN_LOOP_AUTH: authorization },
    });
    const line = run.stdout.trim().split("\n").at(-1) ?? "";
    if (run.status !== 0 || !line.startsWith("{")) throw new Error(`open-loop load gave no result: ${run.stdout}${run.stderr}`);
    return JSON.parse(line) as OpenLoopResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lines of a file under bench/eval/, parsed. */
export const evalLines = <T>(file: string): T[] =>
  readFileSync(fileURLToPath(new URL(`eval/${file}`, import.meta.url)), "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);

/** n items spread evenly over xs (every k-th), so each part of a file is represented. */
export const every = <T>(xs: T[], n: number): T[] => xs.filter((_, i) => i % Math.max(1, Math.floor(xs.length / n)) === 0).slice(0, n);

/**
 * The queries bench:search and bench/api-cpu.ts ask. `repeated`: 40 from each development set
 * (every n-th, so all styles are in: short intents, forum questions, long pasted messages, the
 * made-up set's keywords and typos). `fresh`: every other distinct query of the development sets
 * and of the usage set's log (real CLINC150 wordings), each to be asked once, in a fixed shuffled
 * order so that any stretch of it mixes the sets as the whole does.
 */
export function benchQueries(): { repeated: string[]; fresh: string[] } {
  const repeated = ["clinc150", "hwu64", "semeval-cqa"].flatMap((set) => every(evalLines<{ query: string }>(`${set}/queries.jsonl`), 40).map((q) => q.query));
  repeated.push(...every(evalLines<{ query: string }>("queries.jsonl"), 40).map((q) => q.query));
  const asked = new Set(repeated);
  const fresh = [
    ...new Set([
      ...["clinc150", "hwu64", "semeval-cqa", "usage"].flatMap((set) => evalLines<{ query: string }>(`${set}/queries.jsonl`).map((q) => q.query)),
      ...evalLines<{ query: string }>("usage/usage.jsonl").map((u) => u.query),
    ]),
  ].filter((q) => !asked.has(q));
  let seed = 11;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = fresh.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [fresh[i], fresh[j]] = [fresh[j]!, fresh[i]!];
  }
  return { repeated, fresh };
}
