import { sql, type SQL } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.server";
import type { Period } from "./range";
import { resolveRange } from "./range";
import { query } from "./sql.server";

/**
 * The hourly rollups (insights_hourly, insights_stays; docs/decisions/020-insights-rollups.md).
 * `refreshRollups` recomputes the hours from two days before the last run up to the last whole
 * hour in one transaction; `splitPeriod` tells a measure which part of its period to read from
 * the rollups and which parts (the edges of a period that does not start or end on a whole hour,
 * and the tail after the last run) from the raw tables, so every figure is exact and current.
 */

const HOUR = 3_600_000;
/** Hours younger than this are recomputed on every run: a use can link a search after the fact, a search session's row changes while its agent types. */
export const RECOMPUTE_MS = 2 * 86_400_000;
export const ROLLUP_NAME = "hourly";

const floorHour = (d: Date) => new Date(Math.floor(d.getTime() / HOUR) * HOUR);
const ceilHour = (d: Date) => new Date(Math.ceil(d.getTime() / HOUR) * HOUR);
const iso = (d: Date) => d.toISOString();

/** A topic set in one order, so the same set is one rollup row. */
const sortedTopics = (col: SQL) => sql`coalesce((select array_agg(distinct x order by x) from unnest(${col}) x), '{}'::uuid[])`;

export async function rollupThrough(db: DbOrTx): Promise<Date | null> {
  const [row] = await query<{ through: string }>(db, sql`select through::text as through from insights_rollup_state where name = ${ROLLUP_NAME}`);
  return row ? new Date(row.through) : null;
}

/**
 * Brings the rollups up to the last whole hour before `now`. Safe to run on several instances at
 * once (a transaction-scoped advisory lock: the second waits, then finds little to do). Returns
 * the hours recomputed.
 */
export async function refreshRollups(db: Db, now = new Date()): Promise<{ from: Date | null; through: Date; hours: number }> {
  const through = floorHour(now);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('vetted:insights-rollup'))`);
    const last = await rollupThrough(tx);
    // First run: everything; after that the last two days again, and whatever is new.
    const from = last ? new Date(Math.min(last.getTime(), through.getTime()) - RECOMPUTE_MS) : null;
    const since = from ? sql`>= ${iso(from)}::timestamptz` : sql`is not null`;
    const before = sql`< ${iso(through)}::timestamptz`;
    await tx.execute(sql`delete from insights_hourly where hour ${since} and hour ${before}`);
    await tx.execute(sql`
      insert into insights_hourly (hour, topic_ids, searches, no_result, linked, uses, submitted, certified, became_due, reverified, new_certified)
      select hour, topic_ids, sum(searches)::int, sum(no_result)::int, sum(linked)::int, sum(uses)::int, sum(submitted)::int, sum(certified)::int, sum(became_due)::int, sum(reverified)::int,
        sum(new_certified)::int
      from (
        select date_trunc('hour', l.at, 'UTC') as hour, ${sortedTopics(sql`l.topic_ids`)} as topic_ids, count(*) as searches,
          count(*) filter (where l.results = 0) as no_result,
          count(*) filter (where l.session_id in (select u.search_session from answer_uses u where u.search_session is not null and u.undone_at is null and u.at ${since})) as linked,
          0 as uses, 0 as submitted, 0 as certified, 0 as became_due, 0 as reverified, 0 as new_certified
        from search_log l where l.at ${since} and l.at ${before} group by 1, 2
        union all
        select date_trunc('hour', u.at, 'UTC'), ${sortedTopics(sql`v.topic_ids`)}, 0, 0, 0, count(*), 0, 0, 0, 0, 0
        from answer_uses u join answers a on a.id = u.answer_id join answer_versions v on v.id = coalesce(u.version_id, a.live_version_id)
        where u.undone_at is null and u.at ${since} and u.at ${before} group by 1, 2
        union all
        select date_trunc('hour', e.at, 'UTC'), ${sortedTopics(sql`v.topic_ids`)}, 0, 0, 0, 0,
          count(*) filter (where e.to_state = 'in_review' and e.from_state is distinct from 'in_review'),
          count(*) filter (where e.event = 'CERTIFY'),
          count(*) filter (where e.to_state = 'reverification_due' and e.from_state is distinct from 'reverification_due'),
          count(*) filter (where e.event = 'REVERIFY'),
          count(*) filter (where e.event = 'CERTIFY' and v.number = 1)
        from answer_events e join answer_versions v on v.id = e.version_id
        where e.at ${since} and e.at ${before} group by 1, 2
      ) parts group by hour, topic_ids`);
    await tx.execute(sql`delete from insights_stays where left_at ${since} and left_at ${before}`);
    await tx.execute(sql`insert into insights_stays (version_id, state, entered_at, left_at, topic_ids) ${staysEndingIn(since, before)} on conflict do nothing`);
    await tx.execute(sql`insert into insights_stays (version_id, state, entered_at, left_at, topic_ids) ${draftToCertifiedIn(since, before)} on conflict do nothing`);
    await tx.execute(sql`
      insert into insights_rollup_state (name, through, ran_at) values (${ROLLUP_NAME}, ${iso(through)}::timestamptz, now())
      on conflict (name) do update set through = excluded.through, ran_at = excluded.ran_at`);
    const hours = from ? Math.round((through.getTime() - from.getTime()) / HOUR) : 0;
    return { from, through, hours };
  });
}

/**
 * The stays in a workflow state that ended in a window: each state change paired with the change
 * before it on the same version (saves that keep the state are not changes).
 */
export function staysEndingIn(since: SQL, before: SQL): SQL {
  return sql`
    select c.version_id, c.prev_state, c.prev_at, c.at, c.topic_ids from (
      select e.version_id, e.at, lag(e.at) over w as prev_at, lag(e.to_state) over w as prev_state, ${sortedTopics(sql`v.topic_ids`)} as topic_ids
      from (select distinct x.version_id from answer_events x where x.at ${since} and x.at ${before}) recent
      join answer_events e on e.version_id = recent.version_id join answer_versions v on v.id = e.version_id
      where e.from_state is distinct from e.to_state and e.at ${before}
      window w as (partition by e.version_id order by e.at, e.id)) c
    where c.prev_state is not null and c.at ${since}`;
}

/** The dashboard's preset windows whose per-answer uses the job keeps (app/insights/range.ts PRESETS). */
export const USAGE_WINDOWS = [7, 30, 90] as const;

/**
 * Rebuilds insights_answer_usage: for each preset window, the uses of every live answer used in
 * it from the window's first local midnight up to now, by channel. One transaction, so the
 * dashboard sees the old rows or the new ones, never a mix.
 */
export async function refreshAnswerUsage(db: Db, now: Date, timeZone: string, summarize?: (tx: DbOrTx, windowDays: number) => Promise<unknown>): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('vetted:insights-answer-usage'))`);
    await tx.execute(sql`delete from insights_answer_usage`);
    await tx.execute(sql`delete from insights_usage_summary`);
    for (const days of USAGE_WINDOWS) {
      const from = resolveRange({ range: String(days) as "7", from: undefined, to: undefined }, now, timeZone).current.from;
      await tx.execute(sql`
        insert into insights_answer_usage (window_days, answer_id, window_from, computed_at, topic_ids, internal, question, uses, phone, email, chat, social, unknown)
        select ${days}, a.id, ${iso(from)}::timestamptz, ${iso(now)}::timestamptz, v.topic_ids, v.audience = 'internal', v.question, per.n, per.phone, per.email, per.chat, per.social, per.unknown
        from (select u.answer_id, count(*)::int as n,
                count(*) filter (where u.channel = 'phone')::int as phone, count(*) filter (where u.channel = 'email')::int as email,
                count(*) filter (where u.channel = 'chat')::int as chat, count(*) filter (where u.channel = 'social')::int as social,
                count(*) filter (where u.channel is null)::int as unknown
              from answer_uses u where u.undone_at is null and u.at >= ${iso(from)}::timestamptz and u.at < ${iso(now)}::timestamptz group by 1) per
        join answers a on a.id = per.answer_id join answer_versions v on v.id = a.live_version_id
        where v.state in ('certified', 'reverification_due')`);
      if (summarize) {
        const summary = JSON.stringify(await summarize(tx, days));
        await tx.execute(sql`insert into insights_usage_summary (window_days, window_from, computed_at, summary) values (${days}, ${iso(from)}::timestamptz, ${iso(now)}::timestamptz, ${summary}::jsonb)`);
      }
    }
  });
}

/** Rebuilds insights_health_now: live, due, archived and unowned answers per exact topic set. */
export async function refreshHealthNow(db: Db, now: Date): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext('vetted:insights-health-now'))`);
    await tx.execute(sql`delete from insights_health_now`);
    await tx.execute(sql`
      insert into insights_health_now (topic_ids, certified, due, archived, unowned, computed_at)
      select ${sortedTopics(sql`v.topic_ids`)}, count(*) filter (where v.state = 'certified')::int, count(*) filter (where v.state = 'reverification_due')::int,
        count(*) filter (where v.state = 'archived')::int,
        count(*) filter (where v.state in ('certified', 'reverification_due') and (v.owner_id is null or o.active = false))::int, ${iso(now)}::timestamptz
      from answers a join answer_versions v on v.id = a.live_version_id left join users o on o.id = v.owner_id group by 1`);
  });
}

/** The kept window that is this period, if the job has one (a preset period of today, same time zone). */
export async function usageWindowFor(db: DbOrTx, p: Pick<Period, "from" | "days">): Promise<{ days: number; computedAt: Date } | null> {
  if (!(USAGE_WINDOWS as readonly number[]).includes(p.days)) return null;
  const [row] = await query<{ computed_at: string }>(
    db,
    sql`select computed_at::text as computed_at from insights_answer_usage where window_days = ${p.days} and window_from = ${iso(p.from)}::timestamptz limit 1`,
  );
  return row ? { days: p.days, computedAt: new Date(row.computed_at) } : null;
}

/** Kept beside the stays: each version's whole way from draft to certified (flow's median and p90). */
export const DRAFT_TO_CERTIFIED = "draft_to_certified";

export function draftToCertifiedIn(since: SQL, before: SQL): SQL {
  return sql`select v.id as version_id, ${DRAFT_TO_CERTIFIED}::text as state, v.created_at as entered_at, v.certified_at as left_at, ${sortedTopics(sql`v.topic_ids`)} as topic_ids
    from answer_versions v where v.certified_at ${since} and v.certified_at ${before}`;
}

export interface PeriodParts {
  /** Whole hours read from the rollups, or null. */
  rollup: Pick<Period, "from" | "to"> | null;
  /** The rest of the period, read raw. */
  raw: Pick<Period, "from" | "to">[];
}

/** Which part of a period the rollups hold (whole hours before `through`) and which must be read raw. */
export function splitPeriod(p: Pick<Period, "from" | "to">, through: Date | null): PeriodParts {
  if (!through) return { rollup: null, raw: [p] };
  const from = ceilHour(p.from);
  const to = new Date(Math.min(floorHour(p.to).getTime(), through.getTime()));
  if (to <= from) return { rollup: null, raw: [p] };
  const raw = [
    { from: p.from, to: from },
    { from: to, to: p.to },
  ].filter((r) => r.to > r.from);
  return { rollup: { from, to }, raw };
}
