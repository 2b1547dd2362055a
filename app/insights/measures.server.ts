import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { groupQueries, type QueryGroup } from "./group-queries";
import type { Period } from "./range";
import { usedInSession } from "./opens.server";
import { DRAFT_TO_CERTIFIED, draftToCertifiedIn, splitPeriod, staysEndingIn } from "./rollups.server";
import { bucketOf, inScope, num, numOrNull, overlapsScope, query, share, within, type Scope } from "./sql.server";

/**
 * The knowledge-health measures (KCS: findability, reuse vs create, flow, health, feedback),
 * each an aggregate over the event tables for one period and scope. Plain SQL that PostgreSQL 15
 * and PGlite run alike; every count is cast to int and every measure to float8 so the two
 * drivers return the same JSON.
 */

/** Uses that count (not undone), with the topics of the version used (the live one if unrecorded). */
function usesIn(p: Pick<Period, "from" | "to">, scope: Scope): SQL {
  if (scope === null) return sql`(select u.* from answer_uses u where u.undone_at is null and ${within(sql`u.at`, p)}) uses`;
  return sql`(select u.* from answer_uses u join answers a on a.id = u.answer_id join answer_versions v on v.id = coalesce(u.version_id, a.live_version_id)
    where u.undone_at is null and ${within(sql`u.at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)}) uses`;
}

const failedTopicScope = (scope: Scope): SQL =>
  scope === null ? sql`true` : scope.length === 0 ? sql`false` : sql`(f.filters->>'topic') = any(ARRAY[${sql.join(scope.map((id) => sql`${id}`), sql`, `)}]::text[])`;

// ---------------------------------------------------------------- rollups

type Window = Pick<Period, "from" | "to">;
type Bucketed = { bucket: string } & Record<string, number | string>;

/** Sums of insights_hourly columns over the whole hours of a period the rollups hold. */
async function hourlySums<K extends string>(db: DbOrTx, part: Window | null, scope: Scope, cols: readonly K[]): Promise<Record<K, number>> {
  const zero = Object.fromEntries(cols.map((c) => [c, 0])) as Record<K, number>;
  if (!part) return zero;
  const [r] = await query<Record<K, number>>(
    db,
    sql`select ${sql.join(cols.map((c) => sql`coalesce(sum(${sql.identifier(c)}), 0)::int as ${sql.identifier(c)}`), sql`, `)}
      from insights_hourly h where ${within(sql`h.hour`, part)} and ${overlapsScope(sql`h.topic_ids`, scope)}`,
  );
  return Object.fromEntries(cols.map((c) => [c, num(r?.[c])])) as Record<K, number>;
}

async function hourlySeries<K extends string>(db: DbOrTx, part: Window | null, scope: Scope, cols: readonly K[], bucket: "day" | "week", tz: string): Promise<Bucketed[]> {
  if (!part) return [];
  return query<Bucketed>(
    db,
    // Per hour first (the topic sets added up), then per bucket: the time-zone arithmetic of the
    // bucket runs once per hour, not once per row (90 days × topic sets is ~40,000 rows).
    sql`select ${bucketOf(sql`x.hour`, bucket, tz)} as bucket, ${sql.join(cols.map((c) => sql`sum(${sql.identifier(c)})::int as ${sql.identifier(c)}`), sql`, `)}
      from (select h.hour, ${sql.join(cols.map((c) => sql`sum(${sql.identifier(c)}) as ${sql.identifier(c)}`), sql`, `)}
        from insights_hourly h where ${within(sql`h.hour`, part)} and ${overlapsScope(sql`h.topic_ids`, scope)} group by h.hour) x group by 1`,
  );
}

/** Adds rows of counts: figures (one row each) or series (summed per bucket). */
function addCounts<K extends string>(cols: readonly K[], rows: Partial<Record<K, unknown>>[]): Record<K, number> {
  const out = Object.fromEntries(cols.map((c) => [c, 0])) as Record<K, number>;
  for (const r of rows) for (const c of cols) out[c] += num(r[c]);
  return out;
}
function addSeries<K extends string>(cols: readonly K[], lists: Bucketed[][]): ({ bucket: string } & Record<K, number>)[] {
  const by = new Map<string, Bucketed[]>();
  for (const r of lists.flat()) by.set(r.bucket, [...(by.get(r.bucket) ?? []), r]);
  return [...by].map(([bucket, rows]) => ({ bucket, ...addCounts(cols, rows as Partial<Record<K, unknown>>[]) }));
}

// ---------------------------------------------------------------- findability

/**
 * Search sessions that ended in a use: one hashed set per query rather than a probe per search.
 * A use up to a day after the period still links a search made in it.
 */
const linkedSessions = (p: Pick<Period, "from" | "to">): SQL =>
  sql`select u.search_session from answer_uses u where u.search_session is not null and u.undone_at is null and u.at >= ${p.from.toISOString()}::timestamptz and u.at < ${new Date(p.to.getTime() + 86_400_000).toISOString()}::timestamptz`;

export interface Findability {
  searches: number;
  linked: number;
  noResult: number;
  linkRate: number | null;
  noResultShare: number | null;
}

const FINDABILITY = ["searches", "no_result", "linked"] as const;

const findabilityRaw = (p: Window, scope: Scope, grouped?: { bucket: "day" | "week"; tz: string }): SQL =>
  sql`select ${grouped ? sql`${bucketOf(sql`l.at`, grouped.bucket, grouped.tz)} as bucket,` : sql``} count(*)::int as searches,
      count(*) filter (where l.results = 0)::int as no_result,
      count(*) filter (where l.session_id in (${linkedSessions(p)}))::int as linked
    from search_log l where ${within(sql`l.at`, p)} and ${overlapsScope(sql`l.topic_ids`, scope)} ${grouped ? sql`group by 1` : sql``}`;

/** The period's figures from its chart's buckets (the dashboard has the series; one query fewer). */
export function findabilityOf(series: { searches: number; linked: number; no_result: number }[]): Findability {
  const { searches, linked, no_result: noResult } = addCounts(FINDABILITY, series);
  return { searches, linked, noResult, linkRate: share(linked, searches), noResultShare: share(noResult, searches) };
}

/** `through`: how far the rollups reach (rollupThrough); null reads every row raw. */
export async function findability(db: DbOrTx, p: Period, scope: Scope, through: Date | null = null): Promise<Findability> {
  const parts = splitPeriod(p, through);
  const rows = await Promise.all([hourlySums(db, parts.rollup, scope, FINDABILITY), ...parts.raw.map(async (w) => (await query<Record<string, number>>(db, findabilityRaw(w, scope)))[0] ?? {})]);
  const { searches, linked, no_result: noResult } = addCounts(FINDABILITY, rows);
  return { searches, linked, noResult, linkRate: share(linked, searches), noResultShare: share(noResult, searches) };
}

export async function findabilitySeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string, through: Date | null = null) {
  const parts = splitPeriod(p, through);
  const lists = await Promise.all([hourlySeries(db, parts.rollup, scope, FINDABILITY, bucket, tz), ...parts.raw.map((w) => query<Bucketed>(db, findabilityRaw(w, scope, { bucket, tz })))]);
  return addSeries(FINDABILITY, lists);
}

/** Failed searches (no result, or "none of these helped"), grouped by similar wording. */
export async function failedQueryGroups(db: DbOrTx, p: Period, scope: Scope, limit = 25): Promise<{ groups: QueryGroup[]; total: number }> {
  const rows = await query<{ q: string; n: number; last: string }>(
    db,
    sql`select f.query_key as q, count(*)::int as n, max(f.at)::text as last from failed_searches f
      where ${within(sql`f.at`, p)} and ${failedTopicScope(scope)} group by 1 order by 2 desc, 1 limit 2000`,
  );
  const groups = groupQueries(rows.map((r) => ({ query: r.q, count: num(r.n), last: r.last })));
  return { groups: groups.slice(0, limit), total: groups.length };
}

/** Every failed search of the period, newest first, a page at a time (the drill-down and its CSV). */
export async function failedSearchPage(db: DbOrTx, p: Period, scope: Scope, page: { limit: number; offset: number; after?: { at: string; id: string } | undefined }) {
  // Keyset paging for the CSV (`after` the last row sent): each page is an index range, where an
  // offset would re-read every row before it and make a year's export quadratic.
  const after = page.after ? sql`and (f.at, f.id) < (${page.after.at}::timestamptz, ${page.after.id}::uuid)` : sql``;
  return query<{ id: string; query: string; reason: string; results: number; at: string; user_name: string | null }>(
    db,
    sql`select f.id, f.query, f.reason, f.results, f.at::text as at, u.display_name as user_name from failed_searches f left join users u on u.id = f.user_id
      where ${within(sql`f.at`, p)} and ${failedTopicScope(scope)} ${after} order by f.at desc, f.id desc limit ${page.limit} offset ${page.after ? 0 : page.offset}`,
  );
}

/**
 * Answers agents opened from a search and then did not use in that search: the question matched,
 * the answer did not help (wrong, outdated, too long). Worst first.
 */
export async function openedNotUsedPage(db: DbOrTx, p: Period, scope: Scope, page: { limit: number; offset: number }) {
  return query<{ answer_id: string; question: string; opens: number; unused: number }>(
    db,
    sql`select a.id as answer_id, coalesce(v.question, '') as question, count(*)::int as opens, count(*) filter (where not ${usedInSession})::int as unused
      from answer_opens o join answers a on a.id = o.answer_id join answer_versions v on v.id = a.live_version_id
      where ${within(sql`o.at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)}
      group by a.id, v.question having count(*) filter (where not ${usedInSession}) > 0
      order by 4 desc, 3 desc, a.id limit ${page.limit} offset ${page.offset}`,
  );
}

// ---------------------------------------------------------------- reuse vs create

export interface Reuse {
  uses: number;
  newCertified: number;
  /** Uses of existing answers per newly certified one: KCS's "reuse rate". */
  reusePerNew: number | null;
  neverUsed: number;
}

/** Live answers readers may use (certified, or certified and due for re-verification). */
const LIVE = sql`v.state in ('certified', 'reverification_due')`;

const usesCountRaw = (p: Window, scope: Scope, grouped?: { bucket: "day" | "week"; tz: string }): SQL =>
  sql`select ${grouped ? sql`${bucketOf(sql`uses.at`, grouped.bucket, grouped.tz)} as bucket,` : sql``} count(*)::int as uses from ${usesIn(p, scope)} ${grouped ? sql`group by 1` : sql``}`;

/** Reuse of a period from its chart's buckets, with the never-used count measured apart. */
export function reuseOf(series: { uses: { n: number }[]; created: { n: number }[] }, neverUsed: number): Reuse {
  const uses = series.uses.reduce((n, r) => n + num(r.n), 0);
  const newCertified = series.created.reduce((n, r) => n + num(r.n), 0);
  return { uses, newCertified, reusePerNew: newCertified > 0 ? Math.round((uses / newCertified) * 10) / 10 : null, neverUsed };
}

/** `withNeverUsed`: the count of live answers unused in the period (the dashboard asks it of the current period only: it compares against the answers live now). */
export async function reuse(db: DbOrTx, p: Period, scope: Scope, through: Date | null = null, withNeverUsed = true): Promise<Reuse> {
  const [counts, neverUsed] = await Promise.all([countSums(db, p, scope, through), withNeverUsed ? neverUsedCount(db, p, scope) : Promise.resolve(0)]);
  return reuseOf({ uses: [{ n: counts.uses }], created: [{ n: counts.new_certified }] }, neverUsed);
}

/**
 * Live answers with no use in the period: the period's used answers gathered once (a hash anti
 * join), not a probe per live answer and not `not in`, which PostgreSQL cannot hash when the
 * set outgrows work_mem and then re-reads it for every answer.
 */
async function neverUsedCount(db: DbOrTx, p: Window, scope: Scope): Promise<number> {
  const [r] = await query<{ n: number }>(
    db,
    sql`with used as (select distinct u.answer_id from answer_uses u where u.undone_at is null and ${within(sql`u.at`, p)})
      select count(*)::int as n from answers a join answer_versions v on v.id = a.live_version_id left join used on used.answer_id = a.id
      where used.answer_id is null and ${LIVE} and ${overlapsScope(sql`v.topic_ids`, scope)}`,
  );
  return num(r?.n);
}

export async function reuseSeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string, through: Date | null = null) {
  return reuseSeriesOf(await countSeries(db, p, scope, bucket, tz, through));
}

export const reuseSeriesOf = (rows: ({ bucket: string } & Counts)[]) => ({
  uses: rows.map((r) => ({ bucket: r.bucket, n: r.uses })),
  created: rows.map((r) => ({ bucket: r.bucket, n: r.new_certified })),
});

export interface AnswerUsage {
  neverUsed: number;
  /** The most used live answers per channel, five each. */
  channels: { channel: string; answer_id: string; question: string; uses: number }[];
  internalPopular: number;
  internalTop: { answer_id: string; question: string; uses: number }[];
}

/**
 * The dashboard's per-answer measures of one period in one pass over its uses: live answers never
 * used, the most used per channel, and internal answers used at least INTERNAL_POPULAR_USES times.
 * Scoped by each live answer's current topics. (Counts per answer cannot be rolled up by the hour
 * to any gain: a year of uses spread over 100,000 answers is about one use per answer and day.)
 */
export async function answerUsage(db: DbOrTx, p: Period, scope: Scope): Promise<AnswerUsage> {
  const [r] = await query<{ never_used: number; channels: AnswerUsage["channels"] | string; internal_count: number; internal_top: AnswerUsage["internalTop"] | string }>(
    db,
    sql`with per as materialized (
        select u.answer_id, coalesce(u.channel, 'unknown') as channel, count(*)::int as n
        from answer_uses u where u.undone_at is null and ${within(sql`u.at`, p)} group by 1, 2),
      live as materialized (
        select a.id, v.question, v.audience from answers a join answer_versions v on v.id = a.live_version_id where ${LIVE} and ${overlapsScope(sql`v.topic_ids`, scope)}),
      tot as (select answer_id, sum(n)::int as n from per group by 1),
      ranked as (
        select per.channel, per.answer_id, live.question, per.n, row_number() over (partition by per.channel order by per.n desc, per.answer_id) as rk
        from per join live on live.id = per.answer_id),
      internal as (select tot.answer_id, live.question, tot.n from tot join live on live.id = tot.answer_id where live.audience = 'internal' and tot.n >= ${INTERNAL_POPULAR_USES})
      select
        (select count(*)::int from live left join tot on tot.answer_id = live.id where tot.answer_id is null) as never_used,
        (select coalesce(json_agg(json_build_object('channel', channel, 'answer_id', answer_id, 'question', question, 'uses', n) order by channel, n desc, answer_id), '[]'::json)
          from ranked where rk <= 5) as channels,
        (select count(*)::int from internal) as internal_count,
        (select coalesce(json_agg(json_build_object('answer_id', answer_id, 'question', question, 'uses', n) order by n desc, answer_id), '[]'::json)
          from (select * from internal order by n desc, answer_id limit 10) i) as internal_top`,
  );
  return {
    neverUsed: num(r?.never_used),
    channels: json<AnswerUsage["channels"]>(r?.channels) ?? [],
    internalPopular: num(r?.internal_count),
    internalTop: json<AnswerUsage["internalTop"]>(r?.internal_top) ?? [],
  };
}

export type KeptUsage = Omit<AnswerUsage, "neverUsed"> & { used: number };

/**
 * The same measures from insights_answer_usage (kept by the job for the preset windows): current
 * to the job's last run, a few minutes at most. `liveCount` is the live answers in scope now
 * (the health panel's certified + due), from which the used ones are taken. Every topic at once
 * (the knowledge managers' view) reads the summary the job stored with the rows.
 */
export async function answerUsageKept(db: DbOrTx, windowDays: number, scope: Scope, liveCount: number): Promise<AnswerUsage> {
  return withNeverUsed(await keptOrSummary(db, windowDays, scope), liveCount);
}

export async function keptOrSummary(db: DbOrTx, windowDays: number, scope: Scope): Promise<KeptUsage> {
  const stored = scope === null ? await query<{ summary: KeptUsage | string }>(db, sql`select summary from insights_usage_summary where window_days = ${windowDays}`) : [];
  return stored[0] ? json<KeptUsage>(stored[0].summary) : keptUsage(db, windowDays, scope);
}

export function withNeverUsed({ used, ...rest }: KeptUsage, liveCount: number): AnswerUsage {
  return { neverUsed: Math.max(0, liveCount - used), ...rest };
}

const json = <T>(v: unknown): T => (typeof v === "string" ? (JSON.parse(v) as T) : (v as T));

export async function keptUsage(db: DbOrTx, windowDays: number, scope: Scope): Promise<KeptUsage> {
  // One scan of the window's rows in scope, materialised, that every figure below reads: an
  // expert's topics are a small share of the table, and seven scans of it cost 200+ ms at 100,000.
  const top = (channel: string) =>
    sql`(select coalesce(json_agg(json_build_object('channel', ${channel}::text, 'answer_id', t.answer_id, 'question', t.question, 'uses', t.n) order by t.n desc, t.answer_id), '[]'::json)
      from (select s.answer_id, s.question, s.${sql.identifier(channel)} as n from kept s where s.${sql.identifier(channel)} > 0
        order by s.${sql.identifier(channel)} desc, s.answer_id limit 5) t)`;
  const channels = ["chat", "email", "phone", "social", "unknown"];
  const [r] = await query<Record<string, unknown> & { used: number; internal_count: number }>(
    db,
    sql`with kept as materialized (
        select s.answer_id, s.question, s.internal, s.uses, s.chat, s.email, s.phone, s.social, s.unknown from insights_answer_usage s
        where s.window_days = ${windowDays} and ${overlapsScope(sql`s.topic_ids`, scope)})
      select (select count(*)::int from kept) as used,
      ${sql.join(channels.map((c) => sql`${top(c)} as ${sql.identifier(`top_${c}`)}`), sql`, `)},
      (select count(*)::int from kept s where s.internal and s.uses >= ${INTERNAL_POPULAR_USES}) as internal_count,
      (select coalesce(json_agg(json_build_object('answer_id', t.answer_id, 'question', t.question, 'uses', t.uses) order by t.uses desc, t.answer_id), '[]'::json)
        from (select s.answer_id, s.question, s.uses from kept s where s.internal and s.uses >= ${INTERNAL_POPULAR_USES}
          order by s.uses desc, s.answer_id limit 10) t) as internal_top`,
  );
  return {
    used: num(r?.used),
    channels: channels.flatMap((c) => json<AnswerUsage["channels"]>(r?.[`top_${c}`]) ?? []),
    internalPopular: num(r?.internal_count),
    internalTop: json<AnswerUsage["internalTop"]>(r?.internal_top) ?? [],
  };
}

/** The health figures from the job's snapshot (the internal-answer ones come from answerUsage). */
export function healthOf(now: HealthNow): Health {
  return { certified: now.certified, due: now.due, archived: now.archived, pastReverificationShare: share(now.due, now.certified + now.due), unowned: now.unowned, internalPopular: 0, internalTop: [] };
}

export interface HealthNow {
  certified: number;
  due: number;
  archived: number;
  unowned: number;
  computedAt: string;
}

/** The health panel's "now" counts from the job's snapshot, or null before its first run. */
export async function healthNow(db: DbOrTx, scope: Scope): Promise<HealthNow | null> {
  const [r] = await query<{ certified: number; due: number; archived: number; unowned: number; computed_at: string | null }>(
    db,
    sql`select coalesce(sum(certified), 0)::int as certified, coalesce(sum(due), 0)::int as due, coalesce(sum(archived), 0)::int as archived,
      coalesce(sum(unowned), 0)::int as unowned, (select to_char(max(computed_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') from insights_health_now) as computed_at
      from insights_health_now h where ${overlapsScope(sql`h.topic_ids`, scope)}`,
  );
  if (!r?.computed_at) return null;
  return { certified: num(r.certified), due: num(r.due), archived: num(r.archived), unowned: num(r.unowned), computedAt: r.computed_at };
}

/** The most used answers per channel (five each). */
export async function topUsedPerChannel(db: DbOrTx, p: Period, scope: Scope, perChannel = 5) {
  return query<{ channel: string; answer_id: string; question: string; uses: number }>(
    db,
    sql`select t.channel, t.answer_id, coalesce(v.question, '') as question, t.n as uses from (
        select coalesce(uses.channel, 'unknown') as channel, uses.answer_id, count(*)::int as n,
          row_number() over (partition by coalesce(uses.channel, 'unknown') order by count(*) desc, uses.answer_id) as rk
        from ${usesIn(p, scope)} group by 1, 2) t
      join answers a on a.id = t.answer_id left join answer_versions v on v.id = a.live_version_id
      where t.rk <= ${perChannel} order by t.channel, t.n desc, t.answer_id`,
  );
}

export async function neverUsedPage(db: DbOrTx, p: Period, scope: Scope, page: { limit: number; offset: number }) {
  return query<{ answer_id: string; question: string; certified_at: string | null; owner_name: string | null }>(
    db,
    sql`select a.id as answer_id, v.question, v.certified_at::text as certified_at, o.display_name as owner_name
      from answers a join answer_versions v on v.id = a.live_version_id left join users o on o.id = v.owner_id
      where ${LIVE} and ${overlapsScope(sql`v.topic_ids`, scope)}
      and not exists (select 1 from answer_uses u where u.answer_id = a.id and u.undone_at is null and ${within(sql`u.at`, p)})
      order by v.certified_at nulls last, a.id limit ${page.limit} offset ${page.offset}`,
  );
}

// ---------------------------------------------------------------- flow

export interface Flow {
  certified: number;
  medianHoursToCertify: number | null;
  p90HoursToCertify: number | null;
  medianReviewHours: number | null;
  requestsOpened: number;
  requestsAnswered: number;
  medianHoursToAnswerRequest: number | null;
}

/** `stays`: the period's staysOf when the caller has it already (the dashboard shows the states too). */
export async function flow(db: DbOrTx, p: Period, scope: Scope, through: Date | null = null, stays?: Promise<Awaited<ReturnType<typeof staysOf>>>): Promise<Flow> {
  const [inStates, [r]] = await Promise.all([
    // Only the two states flow reads: half the stays to sort when the caller has none to share.
    stays ?? staysOf(db, p, scope, through, [DRAFT_TO_CERTIFIED, "in_review"]),
    query<{ opened: number; answered: number; p50: number | null }>(
      db,
      sql`select count(*) filter (where ${within(sql`r.created_at`, p)})::int as opened,
      count(*) filter (where r.answered_at is not null and ${within(sql`r.answered_at`, p)})::int as answered,
      (percentile_cont(0.5) within group (order by extract(epoch from (r.answered_at - r.created_at)) / 3600)
        filter (where r.answered_at is not null and ${within(sql`r.answered_at`, p)}))::float8 as p50
    from answer_requests r where (${within(sql`r.created_at`, p)} or ${within(sql`r.answered_at`, p)}) and ${inScope(sql`r.topic_id`, scope)}`,
    ),
  ]);
  const certified = inStates.find((s) => s.state === DRAFT_TO_CERTIFIED);
  return {
    certified: certified?.stays ?? 0,
    medianHoursToCertify: certified?.medianHours ?? null,
    p90HoursToCertify: certified?.p90Hours ?? null,
    medianReviewHours: inStates.find((s) => s.state === "in_review")?.medianHours ?? null,
    requestsOpened: num(r?.opened),
    requestsAnswered: num(r?.answered),
    medianHoursToAnswerRequest: numOrNull(r?.p50),
  };
}

/**
 * Time spent in each workflow state, for the stays that ended in the period: each state change
 * paired with the change before it on the same version (draft saves, which keep the state, are
 * left out). Stays that ended before `through` come from insights_stays, the rest from the events.
 */
export async function timeInStates(db: DbOrTx, p: Period, scope: Scope, through: Date | null = null) {
  return (await staysOf(db, p, scope, through)).filter((s) => s.state !== DRAFT_TO_CERTIFIED);
}

/** The period's stays per state (all, or `states`), and the pseudo-state of the whole way from draft to certified. */
export async function staysOf(db: DbOrTx, p: Period, scope: Scope, through: Date | null = null, states?: readonly string[]) {
  const cut = through ? new Date(Math.min(Math.max(through.getTime(), p.from.getTime()), p.to.getTime())) : p.from;
  const since = sql`>= ${cut.toISOString()}::timestamptz`;
  const before = sql`< ${p.to.toISOString()}::timestamptz`;
  // Only (state, seconds) reach the sort, as integers: the kept ones from a covering index
  // (migration 0022). Whole seconds on both paths, so the rollup and the raw figures agree exactly.
  const seconds = (a: SQL, b: SQL) => sql`extract(epoch from (${b} - ${a}))::integer`;
  const kept = sql`select s.state, s.seconds from insights_stays s
    where ${within(sql`s.left_at`, { from: p.from, to: cut })} and ${overlapsScope(sql`s.topic_ids`, scope)}`;
  const fresh = sql`select r.prev_state, ${seconds(sql`r.prev_at`, sql`r.at`)} from (${staysEndingIn(since, before)}) r where ${overlapsScope(sql`r.topic_ids`, scope)}
    union all select d.state, ${seconds(sql`d.entered_at`, sql`d.left_at`)} from (${draftToCertifiedIn(since, before)}) d where ${overlapsScope(sql`d.topic_ids`, scope)}`;
  const rows = await query<{ state: string; n: number; p50: number | null; p90: number | null }>(
    db,
    sql`select state, count(*)::int as n,
        (percentile_cont(0.5) within group (order by s) / 3600)::float8 as p50,
        (percentile_cont(0.9) within group (order by s) / 3600)::float8 as p90
      from (${kept} union all ${fresh}) stays (state, s)
      ${states ? sql`where state in (${sql.join(states.map((x) => sql`${x}`), sql`, `)})` : sql``} group by state order by state`,
  );
  return rows.map((r) => ({ state: r.state, stays: num(r.n), medianHours: numOrNull(r.p50), p90Hours: numOrNull(r.p90) }));
}

const EVENT_COUNTS = ["submitted", "certified", "became_due", "reverified"] as const;

const eventCountsRaw = (p: Window, scope: Scope, bucket: "day" | "week", tz: string): SQL =>
  sql`select ${bucketOf(sql`e.at`, bucket, tz)} as bucket,
      count(*) filter (where e.to_state = 'in_review' and e.from_state is distinct from 'in_review')::int as submitted,
      count(*) filter (where e.event = 'CERTIFY')::int as certified,
      count(*) filter (where e.to_state = 'reverification_due' and e.from_state is distinct from 'reverification_due')::int as became_due,
      count(*) filter (where e.event = 'REVERIFY')::int as reverified,
      count(*) filter (where e.event = 'CERTIFY' and v.number = 1)::int as new_certified
    from answer_events e join answer_versions v on v.id = e.version_id
    where ${within(sql`e.at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)} group by 1`;

/** Workflow events per bucket: submitted, certified, became due and re-verified (the flow and health charts). */
export async function eventSeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string, through: Date | null = null) {
  const parts = splitPeriod(p, through);
  const lists = await Promise.all([hourlySeries(db, parts.rollup, scope, EVENT_COUNTS, bucket, tz), ...parts.raw.map((w) => query<Bucketed>(db, eventCountsRaw(w, scope, bucket, tz)))]);
  return addSeries(EVENT_COUNTS, lists);
}

/** Every count the rollups hold: findability, uses, workflow events, new answers. */
export const COUNTS = [...FINDABILITY, "uses", ...EVENT_COUNTS, "new_certified"] as const;
export type Counts = Record<(typeof COUNTS)[number], number>;

const rawCounts = (db: DbOrTx, w: Window, scope: Scope, bucket: "day" | "week", tz: string, grouped: boolean) => [
  query<Bucketed>(db, findabilityRaw(w, scope, grouped ? { bucket, tz } : undefined)),
  query<Bucketed>(db, usesCountRaw(w, scope, grouped ? { bucket, tz } : undefined)),
  query<Bucketed>(db, eventCountsRaw(w, scope, bucket, tz)),
];

/** A period's counts per chart bucket: one read of the hourly rows, plus the raw parts. */
export async function countSeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string, through: Date | null = null) {
  const parts = splitPeriod(p, through);
  const lists = await Promise.all([hourlySeries(db, parts.rollup, scope, COUNTS, bucket, tz), ...parts.raw.flatMap((w) => rawCounts(db, w, scope, bucket, tz, true))]);
  return addSeries(COUNTS, lists);
}

/** A period's counts in total (the previous period's figures). */
export async function countSums(db: DbOrTx, p: Period, scope: Scope, through: Date | null = null): Promise<Counts> {
  const parts = splitPeriod(p, through);
  const [rolled, ...raw] = await Promise.all([hourlySums(db, parts.rollup, scope, COUNTS), ...parts.raw.flatMap((w) => rawCounts(db, w, scope, "day", "UTC", false))]);
  return addCounts(COUNTS, [rolled as Partial<Counts>, ...(raw.flat() as Partial<Counts>[])]);
}

// ---------------------------------------------------------------- health (as of now)

export interface Health {
  certified: number;
  due: number;
  archived: number;
  pastReverificationShare: number | null;
  unowned: number;
  internalPopular: number;
  /** The ten most used of them. */
  internalTop: Awaited<ReturnType<typeof internalPopularPage>>;
}

/** How many internal answers must agents have used in the period to count as "should be public". */
export const INTERNAL_POPULAR_USES = 5;

/** `withInternal`: also the internal answers used a lot (the dashboard has them from answerUsage). */
export async function health(db: DbOrTx, p: Period, scope: Scope, withInternal = true): Promise<Health> {
  const [h] = await query<{ certified: number; due: number; archived: number; unowned: number }>(
    db,
    sql`select count(*) filter (where v.state = 'certified')::int as certified,
      count(*) filter (where v.state = 'reverification_due')::int as due,
      count(*) filter (where v.state = 'archived')::int as archived,
      count(*) filter (where ${LIVE} and (v.owner_id is null or o.active = false))::int as unowned
    from answers a join answer_versions v on v.id = a.live_version_id left join users o on o.id = v.owner_id
    where ${overlapsScope(sql`v.topic_ids`, scope)}`,
  );
  const popular = withInternal ? await internalPopularPage(db, p, scope, { limit: 1000, offset: 0 }) : [];
  const certified = num(h?.certified);
  const due = num(h?.due);
  return { certified, due, archived: num(h?.archived), pastReverificationShare: share(due, certified + due), unowned: num(h?.unowned), internalPopular: popular.length, internalTop: popular.slice(0, 10) };
}

export async function unownedPage(db: DbOrTx, scope: Scope, page: { limit: number; offset: number }) {
  return query<{ answer_id: string; question: string; owner_name: string | null; state: string }>(
    db,
    sql`select a.id as answer_id, v.question, o.display_name as owner_name, v.state from answers a join answer_versions v on v.id = a.live_version_id
      left join users o on o.id = v.owner_id where ${LIVE} and (v.owner_id is null or o.active = false) and ${overlapsScope(sql`v.topic_ids`, scope)}
      order by v.question, a.id limit ${page.limit} offset ${page.offset}`,
  );
}

/** "Known internally, missing on the FAQ": internal answers agents used often in the period. */
export async function internalPopularPage(db: DbOrTx, p: Period, scope: Scope, page: { limit: number; offset: number }) {
  return query<{ answer_id: string; question: string; uses: number }>(
    db,
    sql`select a.id as answer_id, v.question, count(*)::int as uses from answer_uses u join answers a on a.id = u.answer_id join answer_versions v on v.id = a.live_version_id
      where u.undone_at is null and ${within(sql`u.at`, p)} and ${LIVE} and v.audience = 'internal' and ${overlapsScope(sql`v.topic_ids`, scope)}
      group by a.id, v.question having count(*) >= ${INTERNAL_POPULAR_USES} order by 3 desc, a.id limit ${page.limit} offset ${page.offset}`,
  );
}

// ---------------------------------------------------------------- feedback

export interface Feedback {
  ratings: number;
  helpfulShare: number | null;
  flagsOpened: number;
  flagsActed: number;
  medianHoursToAct: number | null;
  faqVotes: number;
  faqHelpfulShare: number | null;
}

export async function feedback(db: DbOrTx, p: Period, scope: Scope): Promise<Feedback> {
  const [r] = await query<{ n: number; helpful: number }>(
    db,
    sql`select count(*)::int as n, count(*) filter (where r.helpful)::int as helpful from answer_ratings r join answer_versions v on v.id = r.version_id
      where ${within(sql`r.created_at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)}`,
  );
  const [f] = await query<{ opened: number; acted: number; p50: number | null }>(
    db,
    sql`select count(*) filter (where ${within(sql`f.created_at`, p)})::int as opened,
      count(*) filter (where f.acted_at is not null and ${within(sql`f.acted_at`, p)})::int as acted,
      (percentile_cont(0.5) within group (order by extract(epoch from (f.acted_at - f.created_at)) / 3600)
        filter (where f.acted_at is not null and ${within(sql`f.acted_at`, p)}))::float8 as p50
    from answer_flags f where (${within(sql`f.created_at`, p)} or ${within(sql`f.acted_at`, p)}) and ${inScope(sql`f.topic_id`, scope)}`,
  );
  const [q] = await query<{ n: number; helpful: number }>(
    db,
    sql`select count(*)::int as n, count(*) filter (where q.helpful)::int as helpful from faq_feedback q join answers a on a.id = q.answer_id
      join answer_versions v on v.id = coalesce(q.version_id, a.live_version_id) where ${within(sql`q.created_at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)}`,
  );
  return {
    ratings: num(r?.n),
    helpfulShare: share(num(r?.helpful), num(r?.n)),
    flagsOpened: num(f?.opened),
    flagsActed: num(f?.acted),
    medianHoursToAct: numOrNull(f?.p50),
    faqVotes: num(q?.n),
    faqHelpfulShare: share(num(q?.helpful), num(q?.n)),
  };
}

export async function feedbackSeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string) {
  const flags = await query<{ bucket: string; opened: number }>(
    db,
    sql`select ${bucketOf(sql`f.created_at`, bucket, tz)} as bucket, count(*)::int as opened from answer_flags f where ${within(sql`f.created_at`, p)} and ${inScope(sql`f.topic_id`, scope)} group by 1`,
  );
  const acted = await query<{ bucket: string; acted: number }>(
    db,
    sql`select ${bucketOf(sql`f.acted_at`, bucket, tz)} as bucket, count(*)::int as acted from answer_flags f where f.acted_at is not null and ${within(sql`f.acted_at`, p)} and ${inScope(sql`f.topic_id`, scope)} group by 1`,
  );
  return { flags, acted };
}

export async function flagReasons(db: DbOrTx, p: Period, scope: Scope) {
  return query<{ reason: string; opened: number; acted: number }>(
    db,
    sql`select f.reason, count(*)::int as opened, count(*) filter (where f.acted_at is not null)::int as acted from answer_flags f
      where ${within(sql`f.created_at`, p)} and ${inScope(sql`f.topic_id`, scope)} group by 1 order by 2 desc, 1`,
  );
}
export { num } from "./sql.server";
