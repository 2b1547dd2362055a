import { sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../../db/client.server";
import { groupQueries, type QueryGroup } from "./group-queries";
import type { Period } from "./range";
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

export async function findability(db: DbOrTx, p: Period, scope: Scope): Promise<Findability> {
  const [r] = await query<{ searches: number; linked: number; no_result: number }>(
    db,
    sql`select count(*)::int as searches,
      count(*) filter (where l.results = 0)::int as no_result,
      count(*) filter (where l.session_id in (${linkedSessions(p)}))::int as linked
    from search_log l where ${within(sql`l.at`, p)} and ${overlapsScope(sql`l.topic_ids`, scope)}`,
  );
  const searches = num(r?.searches);
  const linked = num(r?.linked);
  const noResult = num(r?.no_result);
  return { searches, linked, noResult, linkRate: share(linked, searches), noResultShare: share(noResult, searches) };
}

export async function findabilitySeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string) {
  return query<{ bucket: string; searches: number; linked: number; no_result: number }>(
    db,
    sql`select ${bucketOf(sql`l.at`, bucket, tz)} as bucket, count(*)::int as searches,
      count(*) filter (where l.results = 0)::int as no_result,
      count(*) filter (where l.session_id in (${linkedSessions(p)}))::int as linked
    from search_log l where ${within(sql`l.at`, p)} and ${overlapsScope(sql`l.topic_ids`, scope)} group by 1`,
  );
}

/** Failed searches (no result, or "none of these helped"), grouped by similar wording. */
export async function failedQueryGroups(db: DbOrTx, p: Period, scope: Scope, limit = 25): Promise<{ groups: QueryGroup[]; total: number }> {
  const rows = await query<{ q: string; n: number; last: string }>(
    db,
    sql`select lower(btrim(f.query)) as q, count(*)::int as n, max(f.at)::text as last from failed_searches f
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

export async function reuse(db: DbOrTx, p: Period, scope: Scope): Promise<Reuse> {
  const [u] = await query<{ n: number }>(db, sql`select count(*)::int as n from ${usesIn(p, scope)}`);
  const [c] = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from answer_versions v where v.number = 1 and v.certified_at is not null and ${within(sql`v.certified_at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)}`,
  );
  const [nu] = await query<{ n: number }>(
    db,
    sql`select count(*)::int as n from answers a join answer_versions v on v.id = a.live_version_id
      where ${LIVE} and ${overlapsScope(sql`v.topic_ids`, scope)}
      and not exists (select 1 from answer_uses u where u.answer_id = a.id and u.undone_at is null and ${within(sql`u.at`, p)})`,
  );
  const uses = num(u?.n);
  const newCertified = num(c?.n);
  return { uses, newCertified, reusePerNew: newCertified > 0 ? Math.round((uses / newCertified) * 10) / 10 : null, neverUsed: num(nu?.n) };
}

export async function reuseSeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string) {
  const uses = await query<{ bucket: string; n: number }>(db, sql`select ${bucketOf(sql`uses.at`, bucket, tz)} as bucket, count(*)::int as n from ${usesIn(p, scope)} group by 1`);
  const created = await query<{ bucket: string; n: number }>(
    db,
    sql`select ${bucketOf(sql`v.certified_at`, bucket, tz)} as bucket, count(*)::int as n from answer_versions v
      where v.number = 1 and v.certified_at is not null and ${within(sql`v.certified_at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)} group by 1`,
  );
  return { uses, created };
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

export async function flow(db: DbOrTx, p: Period, scope: Scope, known?: { states: Awaited<ReturnType<typeof timeInStates>> }): Promise<Flow> {
  const [c] = await query<{ n: number; p50: number | null; p90: number | null }>(
    db,
    sql`select count(*)::int as n,
      (percentile_cont(0.5) within group (order by extract(epoch from (v.certified_at - v.created_at)) / 3600))::float8 as p50,
      (percentile_cont(0.9) within group (order by extract(epoch from (v.certified_at - v.created_at)) / 3600))::float8 as p90
    from answer_versions v where v.certified_at is not null and ${within(sql`v.certified_at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)}`,
  );
  const states = known?.states ?? (await timeInStates(db, p, scope));
  const [r] = await query<{ opened: number; answered: number; p50: number | null }>(
    db,
    sql`select count(*) filter (where ${within(sql`r.created_at`, p)})::int as opened,
      count(*) filter (where r.answered_at is not null and ${within(sql`r.answered_at`, p)})::int as answered,
      (percentile_cont(0.5) within group (order by extract(epoch from (r.answered_at - r.created_at)) / 3600)
        filter (where r.answered_at is not null and ${within(sql`r.answered_at`, p)}))::float8 as p50
    from answer_requests r where (${within(sql`r.created_at`, p)} or ${within(sql`r.answered_at`, p)}) and ${inScope(sql`r.topic_id`, scope)}`,
  );
  return {
    certified: num(c?.n),
    medianHoursToCertify: numOrNull(c?.p50),
    p90HoursToCertify: numOrNull(c?.p90),
    medianReviewHours: states.find((s) => s.state === "in_review")?.medianHours ?? null,
    requestsOpened: num(r?.opened),
    requestsAnswered: num(r?.answered),
    medianHoursToAnswerRequest: numOrNull(r?.p50),
  };
}

/**
 * Time spent in each workflow state, for the stays that ended in the period: each state change
 * is paired with the change before it on the same version (draft saves, which keep the state,
 * are left out). Stays that began up to a year before the period still count.
 */
export async function timeInStates(db: DbOrTx, p: Period, scope: Scope) {
  const lookback = { from: new Date(p.from.getTime() - 366 * 86_400_000), to: p.to };
  const rows = await query<{ state: string; n: number; p50: number | null; p90: number | null }>(
    db,
    sql`with changes as (
        select e.version_id, e.at, e.to_state, lag(e.at) over w as prev_at, lag(e.to_state) over w as prev_state
        from answer_events e join answer_versions v on v.id = e.version_id
        where e.from_state is distinct from e.to_state and ${within(sql`e.at`, lookback)} and ${overlapsScope(sql`v.topic_ids`, scope)}
        window w as (partition by e.version_id order by e.at, e.id))
      select prev_state as state, count(*)::int as n,
        (percentile_cont(0.5) within group (order by extract(epoch from (at - prev_at)) / 3600))::float8 as p50,
        (percentile_cont(0.9) within group (order by extract(epoch from (at - prev_at)) / 3600))::float8 as p90
      from changes where prev_state is not null and ${within(sql`at`, p)} group by prev_state order by prev_state`,
  );
  return rows.map((r) => ({ state: r.state, stays: num(r.n), medianHours: numOrNull(r.p50), p90Hours: numOrNull(r.p90) }));
}

export async function flowSeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string) {
  return query<{ bucket: string; submitted: number; certified: number }>(
    db,
    sql`select ${bucketOf(sql`e.at`, bucket, tz)} as bucket,
      count(*) filter (where e.to_state = 'in_review' and e.from_state is distinct from 'in_review')::int as submitted,
      count(*) filter (where e.event = 'CERTIFY')::int as certified
    from answer_events e join answer_versions v on v.id = e.version_id
    where ${within(sql`e.at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)} group by 1`,
  );
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

export async function health(db: DbOrTx, p: Period, scope: Scope): Promise<Health> {
  const [h] = await query<{ certified: number; due: number; archived: number; unowned: number }>(
    db,
    sql`select count(*) filter (where v.state = 'certified')::int as certified,
      count(*) filter (where v.state = 'reverification_due')::int as due,
      count(*) filter (where v.state = 'archived')::int as archived,
      count(*) filter (where ${LIVE} and (v.owner_id is null or o.active = false))::int as unowned
    from answers a join answer_versions v on v.id = a.live_version_id left join users o on o.id = v.owner_id
    where ${overlapsScope(sql`v.topic_ids`, scope)}`,
  );
  const popular = await internalPopularPage(db, p, scope, { limit: 1000, offset: 0 });
  const certified = num(h?.certified);
  const due = num(h?.due);
  return { certified, due, archived: num(h?.archived), pastReverificationShare: share(due, certified + due), unowned: num(h?.unowned), internalPopular: popular.length, internalTop: popular.slice(0, 10) };
}

export async function healthSeries(db: DbOrTx, p: Period, scope: Scope, bucket: "day" | "week", tz: string) {
  return query<{ bucket: string; became_due: number; reverified: number }>(
    db,
    sql`select ${bucketOf(sql`e.at`, bucket, tz)} as bucket,
      count(*) filter (where e.to_state = 'reverification_due' and e.from_state is distinct from 'reverification_due')::int as became_due,
      count(*) filter (where e.event = 'REVERIFY')::int as reverified
    from answer_events e join answer_versions v on v.id = e.version_id
    where ${within(sql`e.at`, p)} and ${overlapsScope(sql`v.topic_ids`, scope)} group by 1`,
  );
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
