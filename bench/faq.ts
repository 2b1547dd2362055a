// `npm run bench:faq`: the public FAQ at 10,000 public certified answers.
//  1. export: time, pages, bytes, and the process RSS while it runs (flat = batches, not all in memory);
//  2. live: GET /faq/<topic>/<slug> over 500 pages: first the cold pass (each page's first
//     request renders it), then 20 concurrent clients for DURATION s (autocannon), p50/p95/p99.
// Runs on a fresh database on the PostgreSQL server when TEST_DATABASE_URL is set, else on a
// fresh embedded PGlite. Answers are inserted in bulk with SQL (the workflow is not what is measured).
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { createDb, rowsOf, type Database } from "../db/client.server";
import { migrateDatabase } from "../db/migrate";
import { buildIfStale } from "../server/build-if-stale.mjs";
import { withDatabase } from "../tests/setup/global-database";
import { startApp } from "../tests/support/server";

type Autocannon = ((opts: Record<string, unknown>) => { on(event: "response", fn: (client: unknown, status: number, bytes: number, ms: number) => void): void }) & {
  track?: unknown;
};
const autocannon = createRequire(import.meta.url)("autocannon") as Autocannon;

// Measure what `npm run export:faq` runs: React's production build (picked at first import).
process.env.NODE_ENV ??= "production";
const { exportFaq } = await import("../app/models/faq-export.server");

const N = Number(process.env.ANSWERS ?? 10_000);
const serverUrl = process.env.TEST_DATABASE_URL;
buildIfStale({ quiet: true });

const work = mkdtempSync(path.join(tmpdir(), "vetted-bench-faq-"));
let database: Database;
let appEnv: Record<string, string>;
let dropDb: (() => Promise<void>) | undefined;
if (serverUrl) {
  const name = `vetted_bench_faq_${randomBytes(4).toString("hex")}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = withDatabase(serverUrl, name);
  database = await createDb({ url });
  appEnv = { DATABASE_URL: url, DEMO_DATA: "false" };
  dropDb = async () => {
    const a = postgres(serverUrl, { max: 1, onnotice: () => {} });
    await a.unsafe(`drop database if exists "${name}" with (force)`).finally(() => a.end());
  };
} else {
  const dataDir = path.join(work, "data");
  database = await createDb({ dataDir: path.join(dataDir, "pglite") });
  appEnv = { DATA_DIR: dataDir, DEMO_DATA: "false" };
}
const driver = database.driver;
await migrateDatabase(database);
const db = database.db;

// --- data: one author, four topics, N public certified answers with their slugs ---
const t0 = performance.now();
const [user] = rowsOf<{ id: string }>(
  await db.execute(sql`insert into users (email, display_name, roles, password_hash) values ('bench@example.com', 'Bench', '{knowledge_manager}', 'x') returning id`),
);
const topicRows = rowsOf<{ id: string }>(
  await db.execute(sql`insert into topics (slug, name, description) values
    ('billing', 'Billing', 'Invoices, payments and refunds.'), ('shipping', 'Shipping', 'Delivery and tracking.'),
    ('accounts', 'Accounts', 'Sign-in and settings.'), ('devices', 'Devices', 'Routers and apps.') returning id`),
);
const topicArray = sql.raw(`array[${topicRows.map((t) => `'${t.id}'::uuid`).join(",")}]`);
const para = "Open the app, go to Settings and choose the option that fits. If it does not appear, update the app first; older versions hide it. ";
const bodyHtml = `<p>${para.repeat(3)}</p><ul><li>${para}</li><li>${para}</li></ul><p>${para.repeat(2)}</p>`;
const bodyText = para.repeat(7);
await db.execute(sql`insert into answers (id, created_by, live_version_id)
  select md5('a' || i)::uuid, ${user!.id}::uuid, md5('v' || i)::uuid from generate_series(1, ${N}) i`);
await db.execute(sql`insert into answer_versions (id, answer_id, number, author_id, question, alternatives, short_answer, body, body_html, body_text,
    topic_ids, audience, state, snapshot, machine_version, certified_by, certified_at, owner_id)
  select md5('v' || i)::uuid, md5('a' || i)::uuid, 1, ${user!.id}::uuid, 'How do I change setting number ' || i || ' on my account?',
    array['setting ' || i], 'Go to Settings, find setting ' || i || ' and change it; it applies at once.', '{"type":"doc","content":[]}'::jsonb,
    ${bodyHtml}, ${bodyText}, array[(${topicArray})[1 + i % 4]], 'public', 'certified', '{}'::jsonb, 1, ${user!.id}::uuid,
    timestamptz '2026-01-01' + (i || ' minutes')::interval, ${user!.id}::uuid
  from generate_series(1, ${N}) i`);
await db.execute(sql`insert into faq_slugs (topic_id, slug, answer_id, current, version_id)
  select (${topicArray})[1 + i % 4], 'how-do-i-change-setting-number-' || i || '-on-my-account', md5('a' || i)::uuid, true, md5('v' || i)::uuid
  from generate_series(1, ${N}) i`);
console.log(`data: ${N} public certified answers inserted on ${driver} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// --- export ---
const outDir = path.join(work, "dist", "faq");
let peak = process.memoryUsage().rss;
const startRss = peak;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
const rssAt: string[] = [];
const summary = await exportFaq(db, {
  outDir,
  baseUrl: "https://help.example.com",
  onProgress: ({ pages }) => {
    if (pages % 2000 === 0) {
      const m = process.memoryUsage();
      rssAt.push(`${pages}: ${(m.rss / 2 ** 20).toFixed(0)} MiB (heap ${(m.heapUsed / 2 ** 20).toFixed(0)})`);
    }
  },
});
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
console.log(
  `export: ${summary.pages} pages, ${summary.files} files, ${(summary.bytes / 2 ** 20).toFixed(1)} MiB in ${(summary.ms / 1000).toFixed(2)} s (target ≤ 10 s)`,
);
console.log(`export memory: RSS ${mib(startRss)} before, peak ${mib(peak)}; RSS by pages written: ${rssAt.join(", ")}`);
// Again over the first export (the usual case: the old site is swapped out and removed).
const again = await exportFaq(db, { outDir, baseUrl: "https://help.example.com" });
console.log(`export again over the previous one: ${(again.ms / 1000).toFixed(2)} s (of which removing the old copy ${(again.removeOldMs / 1000).toFixed(2)} s)`);
await database.close();

// --- live answer pages under 20 concurrent clients ---
const app = await startApp({ ...appEnv, LOG_LEVEL: "warn" });
// topic_ids is (array)[1 + i % 4] over topics inserted as billing, shipping, accounts, devices.
const TOPICS = ["billing", "shipping", "accounts", "devices"];
const livePaths = Array.from({ length: 500 }, (_, k) => {
  const i = 1 + ((k * 7919) % N);
  return `/faq/${TOPICS[i % 4]}/how-do-i-change-setting-number-${i}-on-my-account`;
});
const check = await fetch(`${app.url}${livePaths[0]}`);
if (check.status !== 200) throw new Error(`warm-up ${livePaths[0]} → ${check.status}`);
// Cold: the first request for each of the 500 pages (a cache miss: query + render + store),
// 20 at a time. Then the steady state below, over the same pages.
const cold: number[] = [];
let coldNext = 0;
await Promise.all(
  Array.from({ length: 20 }, async () => {
    while (coldNext < livePaths.length) {
      const p = livePaths[coldNext++]!;
      const t = performance.now();
      const r = await fetch(`${app.url}${p}`);
      await r.arrayBuffer();
      cold.push(performance.now() - t);
      if (r.status !== 200) throw new Error(`${p} → ${r.status}`);
    }
  }),
);
cold.sort((a, b) => a - b);
const coldPct = (p: number) => cold[Math.min(cold.length - 1, Math.floor((p / 100) * cold.length))]!.toFixed(1);
console.log(`live, cold (first request of each of ${cold.length} pages, 20 at a time) on ${driver}: p50 ${coldPct(50)} ms, p95 ${coldPct(95)} ms, p99 ${coldPct(99)} ms`);
const latencies: number[] = [];
let non200 = 0;
let next = 0;
const duration = Number(process.env.DURATION ?? 15);
await new Promise<void>((resolve, reject) => {
  const instance = autocannon({
    url: app.url,
    connections: 20,
    duration,
    requests: [{ method: "GET", setupRequest: (req: Record<string, unknown>) => ({ ...req, path: livePaths[next++ % livePaths.length] }) }],
  }) as unknown as { on(e: string, fn: (...a: unknown[]) => void): void };
  instance.on("response", (_c, status, _b, ms) => {
    latencies.push(ms as number);
    if (status !== 200) non200++;
  });
  instance.on("done", () => resolve());
  instance.on("error", (e) => reject(e as Error));
});
await app.stop();
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);
console.log(
  `live /faq/<topic>/<slug>, steady state, 20 clients, ${duration} s on ${driver}: ${latencies.length} requests (${(latencies.length / duration).toFixed(0)}/s), non-200 ${non200}, p50 ${pct(50)} ms, p95 ${pct(95)} ms (target ≤ 20 ms), p99 ${pct(99)} ms`,
);
await dropDb?.();
rmSync(work, { recursive: true, force: true });
