import { asc, eq, inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { expertise, topics } from "../../db/schema";
import { can } from "../auth/policy";
import type { SessionUser } from "../auth/session.server";
import { companyCalendar } from "../insights/calendar.server";
import { csvRow } from "../insights/csv";
import * as m from "../insights/measures.server";
import { bucketsOf, RangeQuerySchema, resolveRange, type Period, type RangeQuery, type ResolvedRange } from "../insights/range";
import { queueAges } from "../insights/review-targets.server";
import { DRAFT_TO_CERTIFIED, rollupThrough, usageWindowFor } from "../insights/rollups.server";
import type { Scope } from "../insights/sql.server";
import { DomainError } from "../utils/errors";

/**
 * The knowledge-health dashboard (/insights): who may see which topics, the period, and the
 * five panels assembled from app/insights/measures.server.ts. The route only parses and renders.
 */

export interface InsightsAccess {
  /** null: every topic; else only these (an expert's own). */
  allowed: Scope;
  topics: { id: string; name: string }[];
}

export async function insightsAccess(user: SessionUser, db: DbOrTx = getDb()): Promise<InsightsAccess> {
  if (can(user.roles, "insights.view")) {
    return { allowed: null, topics: await db.select({ id: topics.id, name: topics.name }).from(topics).orderBy(asc(topics.name)) };
  }
  if (can(user.roles, "insights.topics")) {
    const mine = await db.select({ id: topics.id, name: topics.name }).from(expertise).innerJoin(topics, eq(topics.id, expertise.topicId)).where(eq(expertise.userId, user.id)).orderBy(asc(topics.name));
    return { allowed: mine.map((t) => t.id), topics: mine };
  }
  throw new DomainError("forbidden", "Knowledge health is for knowledge managers, admins and the experts of a topic.");
}

/** The scope a request reads: the topic filter, which must be one the reader may see. */
export function scopeFor(access: InsightsAccess, topicId: string | undefined): Scope {
  if (!topicId) return access.allowed;
  if (access.allowed !== null && !access.allowed.includes(topicId)) throw new DomainError("forbidden", "That topic is not one of yours.", { field: "topic" });
  return [topicId];
}

/** The company's time zone (an admin setting; UTC until one is set): days and weeks start there. */
export async function companyTimeZone(db: DbOrTx = getDb()): Promise<string> {
  return (await companyCalendar(db)).timeZone;
}

export function parseInsightsQuery(url: URL): { query: RangeQuery; errors: Record<string, string[]> } {
  const parsed = RangeQuerySchema.safeParse(Object.fromEntries(url.searchParams));
  if (parsed.success) return { query: parsed.data, errors: {} };
  const errors: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) (errors[String(issue.path[0] ?? "form")] ??= []).push(issue.message);
  // Invalid dates fall back to the default period, with the message beside the field.
  return { query: { range: "30", from: undefined, to: undefined, topic: undefined }, errors };
}

export interface Figure {
  key: string;
  label: string;
  value: number | null;
  previous: number | null;
  unit: "count" | "percent" | "hours" | "ratio";
  /** Which direction is good news (the change is coloured by it). */
  better: "up" | "down";
  /** The list behind the figure. */
  drill?: string;
  /** A count as it stands now, not over the period (no previous figure to compare). */
  now?: boolean;
}

export interface Series {
  title: string;
  keys: { key: string; label: string }[];
  points: { bucket: string; values: Record<string, number> }[];
}

/** A chart's series: for each bucket, the named columns of its row (0 where the bucket has none). */
function series(title: string, labels: Record<string, string>, buckets: string[], rows: ({ bucket: string } & Record<string, unknown>)[]): Series {
  const names = Object.keys(labels);
  const byBucket = new Map(rows.map((r) => [r.bucket, r]));
  return {
    title,
    keys: names.map((key) => ({ key, label: labels[key]! })),
    points: buckets.map((bucket) => ({ bucket, values: Object.fromEntries(names.map((n) => [n, m.num(byBucket.get(bucket)?.[n] as number | string | null | undefined)])) })),
  };
}

/** Two per-bucket counts read by separate queries, as one row per bucket. */
const merge = (...lists: ({ bucket: string } & Record<string, unknown>)[][]) => {
  const map = new Map<string, Record<string, unknown> & { bucket: string }>();
  for (const r of lists.flat()) map.set(r.bucket, { ...(map.get(r.bucket) ?? {}), ...r });
  return [...map.values()];
};

export async function insightsDashboard(user: SessionUser, url: URL, now = new Date(), db: DbOrTx = getDb()) {
  const access = await insightsAccess(user, db);
  const { query, errors } = parseInsightsQuery(url);
  const scope = scopeFor(access, query.topic);
  const range = resolveRange(query, now, await companyTimeZone(db));
  const { current: cur, previous: prev, bucket, timeZone: tz } = range;
  const keys = bucketsOf(cur, bucket);

  // Independent aggregates: on a server they run side by side on the pool; PGlite queues them.
  // Counts come from the hourly rollups up to `through` and from the raw tables after it.
  const [through, kept] = await Promise.all([rollupThrough(db), usageWindowFor(db, cur)]);
  const stays = m.staysOf(db, cur, scope, through);
  const [counts, before, la, lb, ha, fea, feb, failed, openedUnused, statesNow, queue, reasons, es, perAnswer] = await Promise.all([
    m.countSeries(db, cur, scope, bucket, tz, through),
    m.countSums(db, prev, scope, through),
    m.flow(db, cur, scope, through, stays),
    m.flow(db, prev, scope, through),
    // "Now" counts: the job's snapshot (minutes old) when there is one; counted here before its first run.
    m.healthNow(db, scope).then(async (snap) => ({ ...(snap ? m.healthOf(snap) : await m.health(db, cur, scope, false)), asOf: snap?.computedAt ?? null })),
    m.feedback(db, cur, scope),
    m.feedback(db, prev, scope),
    m.failedQueryGroups(db, cur, scope, 10),
    m.openedNotUsedPage(db, cur, scope, { limit: 5, offset: 0 }),
    stays.then((all) => all.filter((s) => s.state !== DRAFT_TO_CERTIFIED)),
    queueAges(db, scope, now),
    m.flagReasons(db, cur, scope),
    m.feedbackSeries(db, cur, scope, bucket, tz),
    // Per-answer measures: from the job's kept window when this period is one, else grouped here.
    kept ? m.keptOrSummary(db, kept.days, scope) : m.answerUsage(db, cur, scope),
  ]);
  const usage = "used" in perAnswer ? m.withNeverUsed(perAnswer, ha.certified + ha.due) : perAnswer;
  const internal = usage.internalTop;
  // This period's headline counts are its charts' buckets added up; the previous period's are sums.
  const fs = counts;
  const events = counts;
  const rs = m.reuseSeriesOf(counts);
  const fa = m.findabilityOf(counts);
  const ra = m.reuseOf(rs, usage.neverUsed);
  const fb = m.findabilityOf([before]);
  const rb = m.reuseOf({ uses: [{ n: before.uses }], created: [{ n: before.new_certified }] }, 0);
  const channels = usage.channels;
  const queueSummary = (["in_review", "in_certification"] as const).map((state) => {
    const items = queue.filter((q) => q.state === state);
    return { state, size: items.length, overdue: items.filter((q) => q.overdue).length, oldestDays: items[0]?.ageDays ?? null, oldest: items[0] ?? null };
  });

  return {
    query,
    errors,
    topics: access.topics,
    allTopics: access.allowed === null,
    range: { ...range, keys },
    findability: {
      figures: [
        { key: "searches", label: "Searches", value: fa.searches, previous: fb.searches, unit: "count", better: "up" },
        { key: "linkRate", label: "Ended in a use (link rate)", value: fa.linkRate, previous: fb.linkRate, unit: "percent", better: "up" },
        { key: "noResult", label: "Found nothing", value: fa.noResultShare, previous: fb.noResultShare, unit: "percent", better: "down", drill: "failed" },
      ] as Figure[],
      series: series("Searches over time", { searches: "Searches", linked: "Ended in a use", no_result: "Found nothing" }, keys, fs),
      failed,
      openedUnused: openedUnused.map((r) => ({ answerId: r.answer_id, question: r.question, unused: m.num(r.unused), opens: m.num(r.opens) })),
    },
    reuse: {
      figures: [
        { key: "uses", label: "Uses of certified answers", value: ra.uses, previous: rb.uses, unit: "count", better: "up" },
        { key: "newCertified", label: "New answers certified", value: ra.newCertified, previous: rb.newCertified, unit: "count", better: "up" },
        { key: "reusePerNew", label: "Uses per new answer", value: ra.reusePerNew, previous: rb.reusePerNew, unit: "ratio", better: "up" },
        { key: "neverUsed", label: "Live answers never used", value: usage.neverUsed, previous: null, unit: "count", better: "down", drill: "never-used" },
      ] as Figure[],
      series: series(
        "Reuse vs create",
        { uses: "Uses", created: "New answers certified" },
        keys,
        merge(
          rs.uses.map((r) => ({ bucket: r.bucket, uses: r.n })),
          rs.created.map((r) => ({ bucket: r.bucket, created: r.n })),
        ),
      ),
      channels: channels.map((c) => ({ channel: c.channel, answerId: c.answer_id, question: c.question, uses: m.num(c.uses) })),
    },
    flow: {
      figures: [
        { key: "medianHoursToCertify", label: "Draft to certified (median)", value: la.medianHoursToCertify, previous: lb.medianHoursToCertify, unit: "hours", better: "down" },
        { key: "p90HoursToCertify", label: "Draft to certified (p90)", value: la.p90HoursToCertify, previous: lb.p90HoursToCertify, unit: "hours", better: "down" },
        { key: "medianReviewHours", label: "Review turnaround (median)", value: la.medianReviewHours, previous: lb.medianReviewHours, unit: "hours", better: "down", drill: "queue" },
        { key: "requestsOpened", label: "Requests opened", value: la.requestsOpened, previous: lb.requestsOpened, unit: "count", better: "down" },
        { key: "requestsAnswered", label: "Requests answered", value: la.requestsAnswered, previous: lb.requestsAnswered, unit: "count", better: "up" },
        { key: "medianHoursToAnswerRequest", label: "Time to answer a request (median)", value: la.medianHoursToAnswerRequest, previous: lb.medianHoursToAnswerRequest, unit: "hours", better: "down" },
      ] as Figure[],
      series: series("Submitted for review vs certified", { submitted: "Submitted", certified: "Certified" }, keys, events),
      states: statesNow,
      queues: queueSummary.map((q) => ({ state: q.state, size: q.size, overdue: q.overdue, oldestDays: q.oldestDays, oldestQuestion: q.oldest?.question ?? null, oldestLink: q.oldest?.link ?? null })),
    },
    health: {
      /** When the "now" counts were taken, as local time of day (null: counted for this page). */
      asOf: ha.asOf ? new Intl.DateTimeFormat("en-GB", { timeZone: tz, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(ha.asOf)) : null,
      figures: [
        { key: "certified", label: "Certified (now)", value: ha.certified, previous: null, unit: "count", better: "up", now: true },
        { key: "due", label: "Re-verification due (now)", value: ha.due, previous: null, unit: "count", better: "down", now: true },
        { key: "archived", label: "Archived (now)", value: ha.archived, previous: null, unit: "count", better: "down", now: true },
        { key: "pastReverification", label: "Past re-verification", value: ha.pastReverificationShare, previous: null, unit: "percent", better: "down", now: true },
        { key: "unowned", label: "No owner or owner deactivated", value: ha.unowned, previous: null, unit: "count", better: "down", now: true, drill: "unowned" },
        { key: "internalPopular", label: "Used a lot, not public yet", value: usage.internalPopular, previous: null, unit: "count", better: "down", now: true, drill: "internal-popular" },
      ] as Figure[],
      series: series("Due for re-verification vs re-verified", { became_due: "Became due", reverified: "Re-verified" }, keys, events),
      internal: internal.map((r) => ({ answerId: r.answer_id, question: r.question, uses: m.num(r.uses) })),
    },
    feedback: {
      figures: [
        { key: "ratings", label: "Ratings", value: fea.ratings, previous: feb.ratings, unit: "count", better: "up" },
        { key: "helpfulShare", label: "Rated helpful", value: fea.helpfulShare, previous: feb.helpfulShare, unit: "percent", better: "up" },
        { key: "flagsOpened", label: "Flags opened", value: fea.flagsOpened, previous: feb.flagsOpened, unit: "count", better: "down" },
        { key: "flagsActed", label: "Flags acted on", value: fea.flagsActed, previous: feb.flagsActed, unit: "count", better: "up" },
        { key: "medianHoursToAct", label: "Time to act on a flag (median)", value: fea.medianHoursToAct, previous: feb.medianHoursToAct, unit: "hours", better: "down" },
        { key: "faqHelpful", label: "Public FAQ: helpful", value: fea.faqHelpfulShare, previous: feb.faqHelpfulShare, unit: "percent", better: "up" },
      ] as Figure[],
      series: series(
        "Flags opened vs acted on",
        { opened: "Opened", acted: "Acted on" },
        keys,
        merge(
          es.flags.map((r) => ({ bucket: r.bucket, opened: r.opened })),
          es.acted.map((r) => ({ bucket: r.bucket, acted: r.acted })),
        ),
      ),
      reasons: reasons.map((r) => ({ reason: r.reason, opened: m.num(r.opened), acted: m.num(r.acted) })),
    },
  };
}

export type InsightsDashboard = Awaited<ReturnType<typeof insightsDashboard>>;

// ---------------------------------------------------------------- drill-down lists and CSV

interface Column {
  key: string;
  label: string;
}
interface ListContext {
  db: DbOrTx;
  period: Period;
  scope: Scope;
  now: Date;
}
interface ListDef {
  title: string;
  columns: Column[];
  /** A page of rows; lists that are computed whole (the queue) ignore paging beyond the first. */
  rows(ctx: ListContext, page: { limit: number; offset: number; after?: { at: string; id: string } | undefined }): Promise<Record<string, unknown>[]>;
  /** Rows carry `cursor` and take `after`: the CSV pages by key, not by offset. */
  keyset?: boolean;
  /** Where each row links (the drill's action). */
  link?: (row: Record<string, unknown>) => { href: string; label: string };
}

export const LISTS: Record<string, ListDef> = {
  failed: {
    title: "Failed searches",
    columns: [
      { key: "query", label: "Query" },
      { key: "reason", label: "Why" },
      { key: "user", label: "Searched by" },
      { key: "at", label: "When" },
    ],
    async rows({ db, period, scope }, page) {
      return (await m.failedSearchPage(db, period, scope, page)).map((r) => ({ query: r.query, reason: r.reason === "no_results" ? "No result" : "None helped", user: r.user_name ?? "", at: r.at, cursor: { at: r.at, id: r.id } }));
    },
    keyset: true,
    link: (r) => ({ href: `/answers/new?${new URLSearchParams({ question: String(r.query) }).toString()}`, label: "Write this answer" }),
  },
  "failed-groups": {
    title: "Failed searches by wording",
    columns: [
      { key: "query", label: "Query" },
      { key: "count", label: "Searches" },
      { key: "variants", label: "Wordings" },
      { key: "last", label: "Last searched" },
    ],
    async rows({ db, period, scope }, page) {
      if (page.offset > 0) return [];
      const { groups } = await m.failedQueryGroups(db, period, scope, 10_000);
      return groups.map((g) => ({ query: g.query, count: g.count, variants: g.variants.join(" | "), last: g.last }));
    },
    link: (r) => ({ href: `/answers/new?${new URLSearchParams({ question: String(r.query) }).toString()}`, label: "Write this answer" }),
  },
  "opened-unused": {
    title: "Answers opened from a search but not used",
    columns: [
      { key: "question", label: "Question" },
      { key: "unused", label: "Opened, not used" },
      { key: "opens", label: "Opened" },
    ],
    async rows({ db, period, scope }, page) {
      return (await m.openedNotUsedPage(db, period, scope, page)).map((r) => ({ answerId: r.answer_id, question: r.question, unused: m.num(r.unused), opens: m.num(r.opens) }));
    },
    link: (r) => ({ href: `/answers/${String(r.answerId)}`, label: "Open" }),
  },
  "never-used": {
    title: "Live answers never used in the period",
    columns: [
      { key: "question", label: "Question" },
      { key: "owner", label: "Owner" },
      { key: "certifiedAt", label: "Certified" },
    ],
    async rows({ db, period, scope }, page) {
      return (await m.neverUsedPage(db, period, scope, page)).map((r) => ({ answerId: r.answer_id, question: r.question, owner: r.owner_name ?? "", certifiedAt: r.certified_at ?? "" }));
    },
    link: (r) => ({ href: `/answers/${String(r.answerId)}`, label: "Open" }),
  },
  unowned: {
    title: "Answers without an active owner",
    columns: [
      { key: "question", label: "Question" },
      { key: "owner", label: "Owner (deactivated)" },
      { key: "state", label: "State" },
    ],
    async rows({ db, scope }, page) {
      return (await m.unownedPage(db, scope, page)).map((r) => ({ answerId: r.answer_id, question: r.question, owner: r.owner_name ?? "", state: r.state }));
    },
    link: (r) => ({ href: `/answers/${String(r.answerId)}`, label: "Open" }),
  },
  "internal-popular": {
    title: "Internal answers agents use a lot (not on the public FAQ)",
    columns: [
      { key: "question", label: "Question" },
      { key: "uses", label: "Uses" },
    ],
    async rows({ db, period, scope }, page) {
      return (await m.internalPopularPage(db, period, scope, page)).map((r) => ({ answerId: r.answer_id, question: r.question, uses: m.num(r.uses) }));
    },
    link: (r) => ({ href: `/answers/${String(r.answerId)}`, label: "Open" }),
  },
  queue: {
    title: "Reviews and certifications waiting, oldest first",
    columns: [
      { key: "question", label: "Question" },
      { key: "state", label: "Waiting for" },
      { key: "ageDays", label: "Working days waiting" },
      { key: "targetDays", label: "Target" },
      { key: "status", label: "Status" },
    ],
    async rows({ db, scope, now }, page) {
      const items = await queueAges(db, scope, now);
      return items.slice(page.offset, page.offset + page.limit).map((q) => ({
        answerId: q.answerId,
        question: q.question,
        state: q.state === "in_review" ? "Review" : "Certification",
        ageDays: q.ageDays,
        targetDays: q.targetDays,
        status: q.overdue ? "Overdue" : q.dueNext ? "Due today" : "In time",
        href: q.link,
      }));
    },
    link: (r) => ({ href: String(r.href), label: r.state === "Review" ? "Review" : "Open" }),
  },
  channels: {
    title: "Most used answers per channel",
    columns: [
      { key: "channel", label: "Channel" },
      { key: "question", label: "Question" },
      { key: "uses", label: "Uses" },
    ],
    async rows({ db, period, scope }, page) {
      if (page.offset > 0) return [];
      return (await m.topUsedPerChannel(db, period, scope, 20)).map((r) => ({ answerId: r.answer_id, channel: r.channel, question: r.question, uses: m.num(r.uses) }));
    },
    link: (r) => ({ href: `/answers/${String(r.answerId)}`, label: "Open" }),
  },
  states: {
    title: "Time in each workflow state",
    columns: [
      { key: "state", label: "State" },
      { key: "stays", label: "Stays ended" },
      { key: "medianHours", label: "Median hours" },
      { key: "p90Hours", label: "p90 hours" },
    ],
    async rows({ db, period, scope }, page) {
      if (page.offset > 0) return [];
      return (await m.timeInStates(db, period, scope)).map((s) => ({ ...s }));
    },
  },
  "flag-reasons": {
    title: "Flags by reason",
    columns: [
      { key: "reason", label: "Reason" },
      { key: "opened", label: "Opened" },
      { key: "acted", label: "Acted on" },
    ],
    async rows({ db, period, scope }, page) {
      if (page.offset > 0) return [];
      return (await m.flagReasons(db, period, scope)).map((r) => ({ reason: r.reason, opened: m.num(r.opened), acted: m.num(r.acted) }));
    },
  },
};

export const LIST_NAMES = Object.keys(LISTS);
export const DRILL_PAGE_SIZE = 50;

async function listContext(user: SessionUser, url: URL, now: Date, db: DbOrTx) {
  const access = await insightsAccess(user, db);
  const { query, errors } = parseInsightsQuery(url);
  const scope = scopeFor(access, query.topic);
  const range: ResolvedRange = resolveRange(query, now, await companyTimeZone(db));
  return { access, query, errors, range, ctx: { db, period: range.current, scope, now } satisfies ListContext };
}

function listDef(name: string): ListDef {
  const def = LISTS[name];
  if (!def) throw new DomainError("not_found", "There is no such list.");
  return def;
}

/** One page of a drill-down list, with the action each row links to. */
export async function insightsList(user: SessionUser, url: URL, name: string, now = new Date(), db: DbOrTx = getDb()) {
  const def = listDef(name);
  const { access, query, errors, range, ctx } = await listContext(user, url, now, db);
  const page = Math.max(1, Math.min(10_000, Number(url.searchParams.get("page")) || 1));
  const rows = await def.rows(ctx, { limit: DRILL_PAGE_SIZE + 1, offset: (page - 1) * DRILL_PAGE_SIZE });
  return {
    name,
    title: def.title,
    columns: def.columns,
    rows: rows.slice(0, DRILL_PAGE_SIZE).map((r) => ({ cells: def.columns.map((c) => (r[c.key] === null || r[c.key] === undefined ? "" : String(r[c.key]))), link: def.link?.(r) ?? null })),
    page,
    hasMore: rows.length > DRILL_PAGE_SIZE,
    query,
    errors,
    topics: access.topics,
    range: { fromDay: range.current.fromDay, toDay: range.current.toDay, timeZone: range.timeZone },
  };
}

export type InsightsListData = Awaited<ReturnType<typeof insightsList>>;

/**
 * A list as CSV, streamed a page at a time so a year of failed searches never sits in memory
 * whole. The permission check and the first page run before the response starts (errors become
 * status codes, not a truncated file).
 */
export async function insightsCsv(user: SessionUser, url: URL, name: string, now = new Date(), db: DbOrTx = getDb(), PAGE = 5000) {
  const def = listDef(name);
  const { ctx, range } = await listContext(user, url, now, db);
  let offset = 0;
  let after: { at: string; id: string } | undefined;
  let first: Record<string, unknown>[] | null = await def.rows(ctx, { limit: PAGE, offset });
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(csvRow(def.columns.map((c) => c.label))));
    },
    async pull(controller) {
      const rows = first ?? (await def.rows(ctx, { limit: PAGE, offset, after }));
      first = null;
      if (rows.length === 0) return controller.close();
      controller.enqueue(encoder.encode(rows.map((r) => csvRow(def.columns.map((c) => r[c.key]))).join("")));
      offset += PAGE;
      if (def.keyset) after = rows.at(-1)?.cursor as { at: string; id: string } | undefined;
      if (rows.length < PAGE) controller.close();
    },
  });
  return { stream, filename: `${name}-${range.current.fromDay}-to-${range.current.toDay}.csv` };
}

/** What a reviewer's home page warns about: their topics' items that breach today or have. */
export async function breachingFor(user: SessionUser, now = new Date(), db: DbOrTx = getDb()) {
  if (!can(user.roles, "answer.review") && !can(user.roles, "answer.certify")) return null;
  const mine = can(user.roles, "answer.certify") ? null : (await db.select({ id: expertise.topicId }).from(expertise).where(eq(expertise.userId, user.id))).map((r) => r.id);
  const items = (await queueAges(db, mine, now)).filter((q) => (q.state === "in_review" ? can(user.roles, "answer.review") : can(user.roles, "answer.certify")) && (q.overdue || q.dueNext));
  return items.slice(0, 6).map((q) => ({ question: q.question, link: q.link, ageDays: q.ageDays, targetDays: q.targetDays, overdue: q.overdue }));
}

/** Age against target for every waiting review and certification, by version (the /review page marks them). */
export async function reviewTargetsByVersion(now = new Date(), db: DbOrTx = getDb()) {
  const items = await queueAges(db, null, now);
  return Object.fromEntries(items.map((q) => [q.versionId, { ageDays: q.ageDays, targetDays: q.targetDays, overdue: q.overdue, dueNext: q.dueNext }]));
}

export async function topicNames(ids: string[], db: DbOrTx = getDb()) {
  return ids.length ? db.select({ id: topics.id, name: topics.name }).from(topics).where(inArray(topics.id, ids)) : [];
}
