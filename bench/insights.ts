// npm run bench:insights — issue 14's figures on the PostgreSQL server. Full size (FULL=1):
// 100,000 answers, 2,000,000 searches, 1,000,000 uses, 50,000 flags and a year of workflow events;
// by default a tenth of that (SCALE=0.1) so it fits a shared 2-core machine. Prints p95 of /insights
// for 90 days (target ≤ 300 ms), of a drill-down list (≤ 100 ms) and the time and memory of a
// year's failed-search CSV (≤ 2 s, flat memory). DRIVER=pglite runs the same on embedded PGlite.
import { eq, sql } from "drizzle-orm";
import { insightsCsv, insightsDashboard, insightsList } from "../app/models/insights.server";
import { keptUsage } from "../app/insights/measures.server";
import { refreshAnswerUsage, refreshHealthNow, refreshRollups, rollupThrough } from "../app/insights/rollups.server";
import { insightsHourly, topics, users } from "../db/schema";
import postgres from "postgres";
import { createDb, setDatabase, type Database } from "../db/client.server";
import { migrateDatabase } from "../db/migrate";
import { benchDatabase, ms, percentile, SERVER_URL } from "./support";

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
  const database = keep ? await keptDatabase(keep) : await benchDatabase(DRIVER, 10);
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
    if (DRIVER === "postgres") for (const t of ["answer_uses", "search_log", "answer_events", "answer_versions"]) await db.execute(sql.raw(`vacuum analyze ${t}`));
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
    if (DRIVER === "postgres") for (const t of ["insights_hourly", "insights_stays", "insights_answer_usage"]) await db.execute(sql.raw(`vacuum analyze ${t}`));
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
      const each: [string, () => Promise<unknown>][] = [
        ["findability (previous period)", () => m.findability(db, r.previous, null, through)],
        ["reuse (previous period)", () => m.reuse(db, r.previous, null, through, false)],
        ["flow (with its stays)", () => m.flow(db, r.current, null, through)],
        ["timeInStates", () => m.timeInStates(db, r.current, null, through)],
        ["health", () => m.health(db, r.current, null, false)],
        ["answerUsage (grouped here)", () => m.answerUsage(db, r.current, null)],
        ["answerUsageKept (every topic: the stored summary)", () => m.answerUsageKept(db, 90, null, 100_000)],
        ["keptUsage (one topic: the kept rows)", () => m.keptUsage(db, 90, [topicId])],
        ["healthNow", () => m.healthNow(db, null)],
        ["feedback", () => m.feedback(db, r.current, null)],
        ["failedGroups", () => m.failedQueryGroups(db, r.current, null)],
        ["fseries", () => m.findabilitySeries(db, r.current, null, "week", "UTC", through)],
        ["rseries", () => m.reuseSeries(db, r.current, null, "week", "UTC", through)],
        ["events", () => m.eventSeries(db, r.current, null, "week", "UTC", through)],
        ["eseries", () => m.feedbackSeries(db, r.current, null, "week", "UTC")],
      ];
      for (const [name, f] of each) {
        await f();
        process.stdout.write(`  ${name}: ${ms(await time(f))}\n`);
      }
    }
    const dash: number[] = [];
    for (let i = 0; i < RUNS; i++) dash.push(await time(() => insightsDashboard(user, new URL("http://b/insights?range=90"))));
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
    process.stdout.write(`/insights 90 days: p50 ${ms(percentile(dash, 50))}, p95 ${ms(percentile(dash, 95))} (first, coldest: ${ms(dash[0]!)}) — target p95 ≤ 300 ms\n`);
    process.stdout.write(`drill-down (failed searches, a page): p50 ${ms(percentile(list, 50))}, p95 ${ms(percentile(list, 95))} — target p95 ≤ 100 ms\n`);
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`;
    process.stdout.write(`CSV of a year's failed searches: ${mb(year.bytes)} in ${ms(year.took)}, heap peak +${mb(year.heapPeak)} (a month's: ${mb(month.bytes)}, heap peak +${mb(month.heapPeak)}) — target ≤ 2 s, flat memory\n`);
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

async function keptDatabase(name: string): Promise<Database> {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error("KEEP_DB must be a plain database name");
  const admin = postgres(SERVER_URL, { max: 1, onnotice: () => {} });
  const [exists] = await admin`select 1 from pg_database where datname = ${name}`;
  if (!exists) await admin.unsafe(`create database "${name}"`);
  await admin.end();
  const url = new URL(SERVER_URL);
  url.pathname = `/${name}`;
  const database = await createDb({ url: url.toString(), max: 10 });
  await migrateDatabase(database);
  return database;
}

await main();
