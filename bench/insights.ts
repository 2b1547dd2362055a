// npm run bench:insights — issue 14's figures on the PostgreSQL server. Full size (FULL=1):
// 100,000 answers, 2,000,000 searches, 1,000,000 uses, 50,000 flags and a year of workflow events;
// by default a tenth of that (SCALE=0.1) so it fits a shared 2-core machine. Prints p95 of /insights
// for 90 days (target ≤ 300 ms), of a drill-down list (≤ 100 ms) and the time and memory of a
// year's failed-search CSV (≤ 2 s, flat memory). DRIVER=pglite runs the same on embedded PGlite.
import { eq, sql } from "drizzle-orm";
import { insightsCsv, insightsDashboard, insightsList } from "../app/models/insights.server";
import { keptUsage } from "../app/insights/measures.server";
import { refreshAnswerUsage, refreshHealthNow, refreshRollups, rollupThrough } from "../app/insights/rollups.server";
import { expertise, insightsHourly, topics, users } from "../db/schema";
import postgres from "postgres";
import { setDatabase, type Database } from "../db/client.server";
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { hashToken } from "../app/auth/session.server";
import { sessions } from "../db/schema";
import { buildIfStale, root } from "../server/build-if-stale.mjs";
import { freePort } from "../tests/support/server";
import { benchDatabase, keptBenchDatabase, ms, percentile } from "./support";

const SCALE = process.env.FULL === "1" ? 1 : Number(process.env.SCALE ?? 0.1);
const N = (n: number) => Math.max(10, Math.round(n * SCALE));
const ANSWERS = N(100_000);
const SEARCHES = N(2_000_000);
const USES = N(1_000_000);
const FLAGS = N(50_000);
const RUNS = Number(process.env.RUNS ?? 20);
const DRIVER = process.env.DRIVER === "pglite" ? "pglite" : "postgres";

async function main() {
  // KEEP_DB=name keeps the data in that server database between runs (made once, reused after),
  // for working on the queries at full size without waiting minutes for the data each time.
  const keep = process.env.KEEP_DB;
  const database: Database & { url?: string } = keep ? await keptBenchDatabase(keep) : await benchDatabase(DRIVER, 10);
  const db = database.db;
  setDatabase(database);
  try {
    const t0 = performance.now();
    const [made] = await db.select({ id: users.id }).from(users).where(eq(users.email, "km@bench.test"));
    if (!made) await makeData(db);
    process.stdout.write(`data: ${ANSWERS} answers, ${SEARCHES} searches, ${USES} uses, ${FLAGS} flags, a year of events (scale ${SCALE}) in ${ms(performance.now() - t0)}\n`);
    const [km] = await db.select().from(users).where(eq(users.email, "km@bench.test"));
    // The rollups from nothing (what a first start after the upgrade does in the background), then
    // one run of the job as it runs every few minutes (the last two days again).
    await db.execute(sql`delete from insights_rollup_state`);
    // As autovacuum would after the bulk load: index-only scans need the visibility map.
    if (DRIVER === "postgres") for (const t of ["answer_uses", "search_log", "answer_events", "answer_versions", "failed_searches"]) await db.execute(sql.raw(`vacuum analyze ${t}`));
    const b0 = performance.now();
    await refreshRollups(database.db);
    const backfill = performance.now() - b0;
    const i0 = performance.now();
    await refreshRollups(database.db);
    const incremental = performance.now() - i0;
    const u0 = performance.now();
    await refreshAnswerUsage(database.db, new Date(), "UTC", (tx, days) => keptUsage(tx, days, null));
    await refreshHealthNow(database.db, new Date());
    const usageMs = performance.now() - u0;
    if (DRIVER === "postgres") {
      for (const t of ["insights_hourly", "insights_stays", "insights_answer_usage"]) await db.execute(sql.raw(`vacuum analyze ${t}`));
      // The backfill rewrote ~600,000 rollup rows: flush them now rather than have the background
      // writer and a checkpoint compete with the timed views (a first start does this once).
      await db.execute(sql`checkpoint`);
    }
    const [hourly] = await db.select({ n: sql<number>`count(*)::int` }).from(insightsHourly);
    process.stdout.write(`rollups: backfill ${ms(backfill)} (${hourly?.n} hourly rows), a job run ${ms(incremental)} + per-answer windows and health snapshot ${ms(usageMs)}\n`);
    const through = await rollupThrough(db);

    const user = { id: km!.id, email: "km@bench.test", displayName: "KM", roles: ["knowledge_manager" as const] };
    const time = async (f: () => Promise<unknown>) => {
      const s = performance.now();
      await f();
      return performance.now() - s;
    };
    if (process.env.PROFILE) {
      const m = await import("../app/insights/measures.server");
      const { resolveRange } = await import("../app/insights/range");
      const r = resolveRange({ range: "90", from: undefined, to: undefined }, new Date(), "UTC");
      const [firstTopic] = await db.select({ id: topics.id }).from(topics).orderBy(topics.slug).limit(1);
      const topicId = firstTopic!.id;
      const { queueAges } = await import("../app/insights/review-targets.server");
      // The dashboard's own calls (app/models/insights.server.ts insightsDashboard), one at a time,
      // for every topic and (PROFILE=expert) for an expert of one.
      const calls = (scope: readonly string[] | null): [string, () => Promise<unknown>][] => [
        ["countSeries (this period's charts and figures)", () => m.countSeries(db, r.current, scope, "week", "UTC", through)],
        ["countSums (previous period)", () => m.countSums(db, r.previous, scope, through)],
        ["staysOf (this period)", () => m.staysOf(db, r.current, scope, through)],
        ["flow (previous period, with its stays)", () => m.flow(db, r.previous, scope, through)],
        ["healthNow (the snapshot)", () => m.healthNow(db, scope)],
        ["feedback (this period)", () => m.feedback(db, r.current, scope)],
        ["feedback (previous period)", () => m.feedback(db, r.previous, scope)],
        ["failedQueryGroups", () => m.failedQueryGroups(db, r.current, scope, 10)],
        ["openedNotUsedPage", () => m.openedNotUsedPage(db, r.current, scope, { limit: 5, offset: 0 })],
        ["queueAges", () => queueAges(db, scope, new Date())],
        ["flagReasons", () => m.flagReasons(db, r.current, scope)],
        ["feedbackSeries", () => m.feedbackSeries(db, r.current, scope, "week", "UTC")],
        ["keptOrSummary (every topic: the stored summary; one topic: the kept rows)", () => m.keptOrSummary(db, 90, scope)],
      ];
      const each: [string, () => Promise<unknown>][] = [
        ...calls(null),
        ["answerUsage (a custom period: grouped here)", () => m.answerUsage(db, r.current, null)],
        ...(process.env.PROFILE === "expert" ? calls([topicId]).map(([name, f]): [string, () => Promise<unknown>] => [`expert: ${name}`, f]) : []),
      ];
      for (const [name, f] of each) {
        await f();
        process.stdout.write(`  ${name}: ${ms(await time(f))}\n`);
      }
    }
    // The first view opens the pool's connections (each a new backend with empty caches): reported
    // on its own as the coldest, as the rendered page's first request is below.
    const dashFirst = await time(() => insightsDashboard(user, new URL("http://b/insights?range=90")));
    const dash: number[] = [];
    for (let i = 0; i < RUNS; i++) dash.push(await time(() => insightsDashboard(user, new URL("http://b/insights?range=90"))));
    if (process.env.VERBOSE) process.stdout.write(`  views (ms): ${dash.map((d) => d.toFixed(0)).join(" ")}\n`);
    // An expert of one topic (of 20) sees that topic's slice: nothing of it comes from a stored
    // every-topic summary.
    const [firstTopic] = await db.select({ id: topics.id }).from(topics).orderBy(topics.slug).limit(1);
    let [expert] = await db.select().from(users).where(eq(users.email, "expert@bench.test"));
    if (!expert) {
      [expert] = await db.insert(users).values({ email: "expert@bench.test", displayName: "Expert", roles: ["expert"], passwordHash: "x" }).returning();
      await db.insert(expertise).values({ userId: expert!.id, topicId: firstTopic!.id });
    }
    const expertUser = { id: expert!.id, email: "expert@bench.test", displayName: "Expert", roles: ["expert" as const] };
    const expertDash: number[] = [];
    for (let i = 0; i < RUNS; i++) expertDash.push(await time(() => insightsDashboard(expertUser, new URL("http://b/insights?range=90"))));
    const list: number[] = [];
    for (let i = 0; i < RUNS; i++) list.push(await time(() => insightsList(user, new URL(`http://b/insights/failed?range=90&page=${1 + (i % 5)}`), "failed")));
    // Flat memory: the live heap (sampled per chunk) of a year's export against a month's. A stream
    // that buffered would hold twelve times as much at its peak; RSS alone mostly shows the allocator.
    const csv = async (days: number) => {
      const from = new Date(Date.now() - (days - 1) * 86_400_000).toISOString().slice(0, 10);
      (globalThis as { gc?: () => void }).gc?.();
      const heap0 = process.memoryUsage().heapUsed;
      let bytes = 0;
      let peak = heap0;
      const took = await time(async () => {
        const { stream } = await insightsCsv(user, new URL(`http://b/insights/export/failed?range=custom&from=${from}&to=${new Date().toISOString().slice(0, 10)}`), "failed");
        for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
          bytes += chunk.length;
          peak = Math.max(peak, process.memoryUsage().heapUsed);
        }
      });
      return { bytes, took, heapPeak: peak - heap0 };
    };
    const month = await csv(30);
    const year = await csv(365);
    process.stdout.write(`/insights 90 days: p50 ${ms(percentile(dash, 50))}, p95 ${ms(percentile(dash, 95))} over ${RUNS} after the first, coldest: ${ms(dashFirst)} — target p95 ≤ 300 ms\n`);
    process.stdout.write(`/insights 90 days, an expert of one topic: p50 ${ms(percentile(expertDash, 50))}, p95 ${ms(percentile(expertDash, 95))}\n`);
    process.stdout.write(`drill-down (failed searches, a page): p50 ${ms(percentile(list, 50))}, p95 ${ms(percentile(list, 95))} — target p95 ≤ 100 ms\n`);
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    process.stdout.write(`CSV of a year's failed searches: ${mb(year.bytes)} in ${ms(year.took)}, heap peak +${mb(year.heapPeak)} (a month's: ${mb(month.bytes)}, heap peak +${mb(month.heapPeak)}) — target ≤ 2 s, flat memory\n`);
    if (database.url) await renderedPage(db, database.url, km!.id);
  } finally {
    setDatabase(undefined);
    await database.close();
  }
}


/** The benchmark's history: answers, versions, a year of events, searches, uses and flags. */
async function makeData(db: Database["db"]) {
  const [km] = await db.insert(users).values({ email: "km@bench.test", displayName: "KM", roles: ["knowledge_manager"], passwordHash: "x" }).returning();
  await db.execute(sql`insert into topics (slug, name) select 't' || g, 'Topic ' || g from generate_series(1, 20) g`);
  await db.execute(sql`insert into answers (id, created_by, created_at) select gen_random_uuid(), ${km!.id}, now() - interval '400 days' from generate_series(1, ${ANSWERS})`);
  // One certified version per answer, certified at a random moment of the last year.
  await db.execute(sql`
    insert into answer_versions (answer_id, number, author_id, question, body, topic_ids, state, snapshot, machine_version, owner_id, created_at, certified_at, submitted_at, audience)
    select a.id, 1, ${km!.id}, 'Bench question ' || a.id, '{}'::jsonb, array[(select id from topics order by id offset (abs(hashtext(a.id::text)) % 20) limit 1)],
      case when abs(hashtext(a.id::text)) % 10 = 0 then 'reverification_due' else 'certified' end, '{}'::jsonb, 1, ${km!.id},
      c - interval '30 hours', c, c - interval '20 hours', (case when abs(hashtext(a.id::text)) % 3 = 0 then 'public' else 'internal' end)::audience
    from answers a, lateral (select now() - (abs(hashtext(a.id::text || 'c')) % 365) * interval '1 day' as c) t`);
  await db.execute(sql`update answers a set live_version_id = v.id from answer_versions v where v.answer_id = a.id`);
  // A year of workflow events: draft → in_review → in_certification → certified per version.
  await db.execute(sql`
    insert into answer_events (answer_id, version_id, at, actor_id, event, from_state, to_state)
    select v.answer_id, v.id, v.certified_at - s.back, ${km!.id}, s.event, s.from_state, s.to_state from answer_versions v,
      (values (interval '30 hours', 'CREATE', null, 'draft'), (interval '20 hours', 'SUBMIT', 'draft', 'in_review'), (interval '8 hours', 'APPROVE', 'in_review', 'in_certification'), (interval '0 hours', 'CERTIFY', 'in_certification', 'certified')) s(back, event, from_state, to_state)`);
  await db.execute(sql`
    with v as (select row_number() over (order by id) as n, id, answer_id, topic_ids from answer_versions)
    insert into search_log (session_id, user_id, query, results, topic_ids, at)
    select gen_random_uuid(), ${km!.id}, 'bench query ' || (g % 5000), case when g % 7 = 0 then 0 else 3 end, v.topic_ids, now() - (g % 365) * interval '1 day' - (g % 86400) * interval '1 second'
    from generate_series(1::bigint, ${SEARCHES}::bigint) g join v on v.n = 1 + (g * 7919) % ${ANSWERS}`);
  await db.execute(sql`
    insert into failed_searches (query, results, reason, user_id, at)
    select 'bench failed ' || (g % 3000), 0, 'no_results', ${km!.id}, now() - (g % 365) * interval '1 day' from generate_series(1, ${Math.round(SEARCHES / 7)}) g`);
  await db.execute(sql`
    with v as (select row_number() over (order by id) as n, id, answer_id from answer_versions)
    insert into answer_uses (answer_id, version_id, user_id, kind, channel, at)
    select v.answer_id, v.id, ${km!.id}, 'used', (array['chat','email','phone','social'])[1 + g % 4], now() - (g % 365) * interval '1 day'
    from generate_series(1::bigint, ${USES}::bigint) g join v on v.n = 1 + (g * 104729) % ${ANSWERS}`);
  await db.execute(sql`
    with v as (select row_number() over (order by id) as n, id, answer_id, topic_ids from answer_versions)
    insert into answer_flags (answer_id, version_id, topic_id, reason, source, status, created_at, acted_at)
    select v.answer_id, v.id, v.topic_ids[1], 'unclear', 'search', 'open', now() - (g % 365) * interval '1 day', case when g % 3 = 0 then now() - (g % 365) * interval '1 day' + interval '5 hours' end
    from generate_series(1::bigint, ${FLAGS}::bigint) g join v on v.n = 1 + (g * 7919) % ${ANSWERS}`);
  await db.execute(sql`analyze`);
}

/**
 * The page as a browser gets it: the production server (a process of its own, fresh pool) renders
 * /insights?range=90 to HTML, loader and React together. The first request is the coldest (new
 * connections, nothing cached); the server's own jobs have finished their first run before.
 */
async function renderedPage(db: Database["db"], url: string, userId: string) {
  buildIfStale({ quiet: true });
  // A session as sign-in makes one (app/auth/session.server.ts), signed with the server's secret.
  const secret = randomBytes(32).toString("hex");
  const id = randomBytes(32).toString("base64url");
  await db.insert(sessions).values({ idHash: hashToken(id), userId, createdAt: new Date(), expiresAt: new Date(Date.now() + 3_600_000) });
  const cookie = (await createCookie("vetted_session", { secrets: [secret] }).serialize(id)).split(";")[0]!;
  const port = await freePort();
  const startedAt = new Date();
  const proc = spawn(process.execPath, [path.join(root, "server/start.mjs")], {
    cwd: root,
    env: { ...process.env, PORT: String(port), DATA_DIR: mkdtempSync(path.join(tmpdir(), "vetted-bench-insights-")), DATABASE_URL: url, SESSION_SECRET: secret, LOG_LEVEL: "warn", NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  try {
    const probe = postgres(url, { max: 1, onnotice: () => {} });
    for (let i = 0; ; i++) {
      const [snap] = await probe`select 1 from insights_health_now where computed_at >= ${startedAt}`.catch(() => []);
      if (snap) break;
      if (i > 600) throw new Error("the server's insights job did not run within 300 s");
      if (proc.exitCode !== null) throw new Error(`the server exited with ${proc.exitCode}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await probe.end();
    const get = async () => {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${port}/insights?range=90`, { headers: { Cookie: cookie } });
      const html = await res.text();
      if (res.status !== 200 || !html.includes("Draft to certified")) throw new Error(`/insights answered ${res.status}`);
      return { took: performance.now() - t, bytes: html.length };
    };
    const first = await get();
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push((await get()).took);
    process.stdout.write(
      `/insights 90 days rendered by the server (HTML ${Math.round(first.bytes / 1024)} KB): first request ${ms(first.took)}, then p50 ${ms(percentile(times, 50))}, p95 ${ms(percentile(times, 95))} over ${RUNS} — target p95 ≤ 300 ms\n`,
    );
  } finally {
    proc.kill("SIGTERM");
    await new Promise((r) => proc.once("exit", r));
  }
}

await main();
