import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { answerOpens, answerFlags, answerRatings, answerUses, appSettings, auditLog, failedSearches, insightsAnswerUsage, insightsHealthNow, insightsHourly, insightsRollupState, insightsUsageSummary, mailQueue, notifications, searchLog, topics } from "../../db/schema";
import * as m from "../../app/insights/measures.server";
import { resolveRange } from "../../app/insights/range";
import { escalateOverdueReviews, queueAges } from "../../app/insights/review-targets.server";
import { companyCalendar, saveCompanyCalendar } from "../../app/insights/calendar.server";
import { recordOpen } from "../../app/insights/opens.server";
import { refreshAnswerUsage, refreshHealthNow, refreshRollups, rollupThrough, usageWindowFor } from "../../app/insights/rollups.server";
import { logSearch } from "../../app/insights/search-log.server";
import { insightsAccess, insightsCsv, insightsDashboard, insightsList } from "../../app/models/insights.server";
import { homeFor } from "../../app/models/home.server";
import { DomainError } from "../../app/utils/errors";
import { createDraft, sendEvent } from "../../workflows/approval.service";
import { actor, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createExpert, createUser, TEST_PASSWORD } from "../support/factories";

/**
 * A small hand-built history whose figures are known, measured on both databases. The period
 * is 1–7 November 2026 (UTC); the previous one is 25–31 October.
 */
const database = useFreshDatabase();
const db = () => database.current.db;
type Cast = Awaited<ReturnType<typeof workflowCast>>;
const at = (iso: string) => new Date(iso);
const range = resolveRange({ range: "custom", from: "2026-11-01", to: "2026-11-07" }, at("2026-11-10T12:00:00Z"), "UTC");
const su = (u: { id: string; roles: string[]; email: string; displayName: string }) => ({ id: u.id, roles: u.roles as never, email: u.email, displayName: u.displayName });

/** Draft at t0, submitted +1 h, approved +5 h, certified +10 h. */
async function certifyAt(cast: Cast, t0: Date, overrides: Record<string, unknown> = {}) {
  const h = (n: number) => new Date(t0.getTime() + n * 3_600_000);
  const { answerId, versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id], ...overrides }), now: t0 });
  await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" }, now: h(1) });
  await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 1, event: { type: "APPROVE" }, now: h(5) });
  await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 }, now: h(10) });
  return { answerId, versionId };
}

let cast: Cast;
let castB: Cast;
let a1: { answerId: string; versionId: string };
let b1: { answerId: string; versionId: string };
const sessions = { linked1: randomUUID(), linked2: randomUUID(), empty: randomUUID(), plain: randomUUID(), edge: randomUUID(), after: randomUUID(), before: randomUUID() };

beforeAll(async () => {
  cast = await workflowCast(db(), { experts: 1 });
  castB = await workflowCast(db(), { experts: 1 });
  a1 = await certifyAt(cast, at("2026-11-02T08:00:00Z"));
  b1 = await certifyAt(castB, at("2026-11-03T08:00:00Z"), { topicIds: [castB.topic.id], audience: "internal", question: "Which courier handles Saturday deliveries?" });
  const use = (answerId: string, versionId: string, iso: string, extra: Partial<typeof answerUses.$inferInsert> = {}) => ({ answerId, versionId, userId: cast.agent.id, kind: "used" as const, channel: "chat" as const, at: at(iso), ...extra });
  await db().insert(answerUses).values([
    use(a1.answerId, a1.versionId, "2026-11-03T10:00:00Z", { searchSession: sessions.linked1 }),
    use(a1.answerId, a1.versionId, "2026-11-04T10:00:00Z", { searchSession: sessions.linked2 }),
    use(a1.answerId, a1.versionId, "2026-11-05T10:00:00Z", { channel: "email" }),
    use(a1.answerId, a1.versionId, "2026-11-05T11:00:00Z", { undoneAt: at("2026-11-05T11:01:00Z") }),
    use(a1.answerId, a1.versionId, "2026-10-28T10:00:00Z"),
    ...Array.from({ length: 6 }, (_, i) => use(b1.answerId, b1.versionId, `2026-11-0${4 + (i % 3)}T1${i}:00:00Z`, { conversation: `t-${i}` })),
  ]);
  const log = (sessionId: string, iso: string, results: number, topicIds: string[] = [cast.topic.id]) => ({ sessionId, userId: cast.agent.id, query: "refund", results, topicIds, at: at(iso) });
  await db().insert(searchLog).values([
    log(sessions.linked1, "2026-11-03T09:59:00Z", 3),
    log(sessions.linked2, "2026-11-04T09:59:00Z", 2),
    log(sessions.empty, "2026-11-04T12:00:00Z", 0),
    log(sessions.plain, "2026-11-01T00:00:00Z", 4),
    log(sessions.edge, "2026-11-07T23:59:59Z", 1),
    log(sessions.after, "2026-11-08T00:00:00Z", 1),
    log(sessions.before, "2026-10-31T23:59:59Z", 0),
  ]);
  const failed = (query: string, iso: string) => ({ query, results: 0, reason: "no_results", filters: { topic: cast.topic.id }, userId: cast.agent.id, at: at(iso) });
  await db().insert(failedSearches).values([
    failed("refund to gift card", "2026-11-02T10:00:00Z"),
    failed("Refund to gift card", "2026-11-03T10:00:00Z"),
    failed("refund to giftcard?", "2026-11-04T10:00:00Z"),
    failed("=HYPERLINK(\"http://x\")", "2026-11-05T10:00:00Z"),
    failed("out of period", "2026-11-09T10:00:00Z"),
  ]);
  await db().insert(answerFlags).values([
    { answerId: a1.answerId, versionId: a1.versionId, topicId: cast.topic.id, reason: "outdated", source: "answer", flaggedBy: cast.agent.id, createdAt: at("2026-11-03T10:00:00Z"), actedAt: at("2026-11-03T16:00:00Z"), status: "in_revision" },
    { answerId: a1.answerId, versionId: a1.versionId, topicId: cast.topic.id, reason: "unclear", source: "search", flaggedBy: cast.expert.id, createdAt: at("2026-11-04T10:00:00Z") },
  ]);
  const raters = await Promise.all([1, 2, 3].map(() => createUser(db(), { roles: ["agent"] })));
  await db().insert(answerRatings).values(raters.map((r, i) => ({ answerId: a1.answerId, versionId: a1.versionId, userId: r.id, helpful: i < 2, createdAt: at("2026-11-05T09:00:00Z") })));
});

describe("measures on a known history", () => {
  it("findability: searches, link rate, no-result share; the period is [first day 00:00, last day + 1 00:00)", async () => {
    expect(await m.findability(db(), range.current, null)).toEqual({ searches: 5, linked: 2, noResult: 1, linkRate: 40, noResultShare: 20 });
    expect((await m.findability(db(), range.previous, null)).searches).toBe(1);
  });

  it("groups failed queries by wording and keeps the formula-looking one apart", async () => {
    const { groups } = await m.failedQueryGroups(db(), range.current, null);
    expect(groups[0]).toMatchObject({ query: "refund to gift card", count: 3 });
    expect(groups[0]!.variants).toEqual(["refund to gift card", "refund to giftcard?"]);
    expect(groups.map((g) => g.query)).toContain('=hyperlink("http://x")');
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(4);
  });

  it("reuse vs create: undone uses do not count; internal answers used a lot are listed", async () => {
    const r = await m.reuse(db(), range.current, null);
    expect(r).toMatchObject({ uses: 9, newCertified: 2, reusePerNew: 4.5, neverUsed: 0 });
    expect((await m.reuse(db(), range.current, [cast.topic.id])).uses).toBe(3);
    expect((await m.reuse(db(), range.previous, null)).uses).toBe(1);
    const channels = await m.topUsedPerChannel(db(), range.current, [cast.topic.id]);
    expect(channels.map((c) => [c.channel, Number(c.uses)])).toEqual([
      ["chat", 2],
      ["email", 1],
    ]);
    expect((await m.internalPopularPage(db(), range.current, null, { limit: 10, offset: 0 })).map((r) => [r.answer_id, Number(r.uses)])).toEqual([[b1.answerId, 6]]);
  });

  it("flow: draft to certified, time in review and in certification", async () => {
    const f = await m.flow(db(), range.current, null);
    expect(f).toMatchObject({ certified: 2, medianHoursToCertify: 10, p90HoursToCertify: 10, medianReviewHours: 4 });
    const states = await m.timeInStates(db(), range.current, null);
    expect(states.find((s) => s.state === "in_certification")).toMatchObject({ stays: 2, medianHours: 5 });
    expect(states.find((s) => s.state === "draft")).toMatchObject({ stays: 2, medianHours: 1 });
  });

  it("health and feedback", async () => {
    expect(await m.health(db(), range.current, null)).toMatchObject({ certified: 2, due: 0, unowned: 0, internalPopular: 1 });
    expect(await m.feedback(db(), range.current, null)).toMatchObject({ ratings: 3, helpfulShare: 66.7, flagsOpened: 2, flagsActed: 1, medianHoursToAct: 6 });
    expect((await m.feedback(db(), range.current, [castB.topic.id])).flagsOpened).toBe(0);
  });

  it("buckets by the company's local day: in Auckland the 1 November period starts at 11:00 UTC on 31 October", async () => {
    const nz = resolveRange({ range: "custom", from: "2026-11-01", to: "2026-11-07" }, at("2026-11-10T12:00:00Z"), "Pacific/Auckland");
    expect(nz.current.from.toISOString()).toBe("2026-10-31T11:00:00.000Z");
    // 31 Oct 23:59:59 UTC is 1 Nov local: in; 7 Nov 23:59:59 UTC is 8 Nov local: out.
    expect((await m.findability(db(), nz.current, null)).searches).toBe(5);
    const series = await m.findabilitySeries(db(), nz.current, null, "day", "Pacific/Auckland");
    expect(series.find((s) => s.bucket === "2026-11-01")).toMatchObject({ searches: 2 });
  });
});

describe("the hourly rollups", () => {
  const scopes = () => [null, [cast.topic.id], [castB.topic.id], []] as const;
  const auckland = () => resolveRange({ range: "custom", from: "2026-11-01", to: "2026-11-07" }, at("2026-11-10T12:00:00Z"), "Pacific/Auckland");
  // Kolkata is 5 h 30 min ahead: its days start on the half hour, so a period's edges are read raw.
  const kolkata = () => resolveRange({ range: "custom", from: "2026-11-01", to: "2026-11-07" }, at("2026-11-10T12:00:00Z"), "Asia/Kolkata");

  /** Every rollup-backed measure of a period, read through `through` (null: all raw). */
  async function figures(p: typeof range.current, scope: readonly string[] | null, through: Date | null, tz: string) {
    return {
      findability: await m.findability(db(), p, scope, through),
      reuse: await m.reuse(db(), p, scope, through),
      states: await m.timeInStates(db(), p, scope, through),
      flow: await m.flow(db(), p, scope, through),
      fseries: sortBuckets(await m.findabilitySeries(db(), p, scope, "day", tz, through)),
      rseries: sortBuckets((await m.reuseSeries(db(), p, scope, "day", tz, through)).uses),
      events: sortBuckets(await m.eventSeries(db(), p, scope, "day", tz, through)),
    };
  }
  const sortBuckets = <T extends { bucket: string }>(rows: T[]) =>
    rows
      .map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, k === "bucket" ? v : Number(v)])))
      .filter((r) => Object.entries(r).some(([k, v]) => k !== "bucket" && v !== 0))
      .sort((a, b) => String(a.bucket).localeCompare(String(b.bucket)));

  it("give exactly the raw figures, for every scope, in whole-hour and half-hour time zones, with a raw tail after the last run", async () => {
    // A run in the middle of the period: the rest of it is read raw.
    const mid = await refreshRollups(db(), at("2026-11-04T11:30:00Z"));
    expect(mid.through.toISOString()).toBe("2026-11-04T11:00:00.000Z");
    for (const through of [mid.through, (await refreshRollups(db(), at("2026-11-10T12:00:00Z"))).through]) {
      for (const [p, tz] of [
        [range.current, "UTC"],
        [range.previous, "UTC"],
        [auckland().current, "Pacific/Auckland"],
        [kolkata().current, "Asia/Kolkata"],
      ] as const) {
        for (const scope of scopes()) expect(await figures(p, scope, through, tz)).toEqual(await figures(p, scope, null, tz));
      }
    }
    expect((await m.findability(db(), range.current, null, await rollupThrough(db()))).searches).toBe(5);
  });

  it("a second run recomputes the last two days and changes nothing else; a late use links its search", async () => {
    const now = at("2026-11-10T12:00:00Z");
    await refreshRollups(db(), now);
    const before = await db().select().from(insightsHourly).orderBy(insightsHourly.hour);
    const again = await refreshRollups(db(), now);
    expect(again.hours).toBe(48);
    expect(await db().select().from(insightsHourly).orderBy(insightsHourly.hour)).toEqual(before);
    // A search on 9 November, used an hour later: the next run counts it linked.
    const session = randomUUID();
    await db().insert(searchLog).values({ sessionId: session, userId: cast.agent.id, query: "late", results: 2, topicIds: [cast.topic.id], at: at("2026-11-09T08:00:00Z") });
    await refreshRollups(db(), now);
    const day = { from: at("2026-11-09T00:00:00Z"), to: at("2026-11-10T00:00:00Z") };
    expect(await m.findability(db(), day as typeof range.current, null, now)).toMatchObject({ searches: 1, linked: 0 });
    await db().insert(answerUses).values({ answerId: a1.answerId, versionId: a1.versionId, userId: cast.agent.id, kind: "used", channel: "chat", searchSession: session, at: at("2026-11-09T09:00:00Z") });
    await refreshRollups(db(), now);
    expect(await m.findability(db(), day as typeof range.current, null, now)).toMatchObject({ searches: 1, linked: 1 });
    await db().delete(answerUses).where(eq(answerUses.searchSession, session));
    await db().delete(searchLog).where(eq(searchLog.sessionId, session));
    await refreshRollups(db(), now);
  });

  it("per-answer measures of a preset window: the job's kept rows give what grouping the uses gives", async () => {
    const now = at("2026-11-10T12:00:00Z");
    await refreshAnswerUsage(db(), now, "UTC");
    const week = resolveRange({ range: "7", from: undefined, to: undefined }, now, "UTC").current;
    expect(await usageWindowFor(db(), week)).toMatchObject({ days: 7 });
    expect(await usageWindowFor(db(), range.current)).toBeNull();
    for (const scope of scopes()) {
      const h = await m.health(db(), week, scope, false);
      const kept = await m.answerUsageKept(db(), 7, scope, h.certified + h.due);
      const grouped = await m.answerUsage(db(), week, scope);
      expect(kept).toEqual(grouped);
    }
    expect((await m.answerUsage(db(), week, null)).internalPopular).toBe(1);
  });

  it("the dashboard reads them: the same page as before the job's first run, for a custom and a preset period and an expert", async () => {
    const now = at("2026-11-10T12:00:00Z");
    const expertB = await createExpert(db(), [castB.topic]);
    const pages = [
      [su(cast.km), "range=custom&from=2026-11-01&to=2026-11-07"],
      [su(cast.km), "range=7"],
      [su(expertB), "range=30"],
    ] as const;
    const clear = async () => {
      for (const t of [insightsRollupState, insightsAnswerUsage, insightsUsageSummary, insightsHealthNow]) await db().delete(t);
    };
    const job = async () => {
      await refreshRollups(db(), now);
      await refreshAnswerUsage(db(), now, "UTC", (tx, days) => m.keptUsage(tx, days, null));
      await refreshHealthNow(db(), now);
    };
    for (const [user, query] of pages) {
      await clear();
      const raw = await insightsDashboard(user, new URL(`http://x/insights?${query}`), now);
      expect(raw.health.asOf).toBeNull();
      await job();
      const rolled = await insightsDashboard(user, new URL(`http://x/insights?${query}`), now);
      expect(rolled.health.asOf).toBe("12:00");
      expect({ ...rolled, health: { ...rolled.health, asOf: null } }).toEqual(raw);
    }
    expect(await m.healthNow(db(), [castB.topic.id])).toMatchObject({ certified: 1, due: 0 });
    expect(await m.healthNow(db(), [])).toMatchObject({ certified: 0 });
  });
});

describe("answers opened from a search but not used", () => {
  it("counts opens once per search session and answer, and those of a session that used the answer as used", async () => {
    const opened = randomUUID();
    expect(await recordOpen({ sessionId: sessions.linked1, answerId: a1.answerId, userId: cast.agent.id }, db())).toBe(true);
    expect(await recordOpen({ sessionId: sessions.linked1, answerId: a1.answerId, userId: cast.agent.id }, db())).toBe(false);
    expect(await recordOpen({ sessionId: opened, answerId: a1.answerId, userId: cast.agent.id }, db())).toBe(true);
    expect(await recordOpen({ sessionId: randomUUID(), answerId: b1.answerId, userId: cast.agent.id }, db())).toBe(true);
    expect(await recordOpen({ sessionId: "not-a-session'; drop table answers;--", answerId: a1.answerId, userId: cast.agent.id }, db())).toBe(false);
    expect(await recordOpen({ sessionId: null, answerId: a1.answerId, userId: cast.agent.id }, db())).toBe(false);
    const today = resolveRange({ range: "7", from: undefined, to: undefined }, new Date(), "UTC").current;
    const rows = await m.openedNotUsedPage(db(), today, null, { limit: 10, offset: 0 });
    expect(rows.map((r) => [r.answer_id, Number(r.opens), Number(r.unused)])).toEqual([
      [a1.answerId, 2, 1],
      [b1.answerId, 1, 1],
    ]);
    expect((await m.openedNotUsedPage(db(), today, [castB.topic.id], { limit: 10, offset: 0 })).map((r) => r.answer_id)).toEqual([b1.answerId]);
    const list = await insightsList(su(cast.km), new URL("http://x/insights/opened-unused?range=7"), "opened-unused");
    expect(list.rows.map((r) => r.link?.href)).toEqual([`/answers/${a1.answerId}`, `/answers/${b1.answerId}`]);
  });
});

describe("through the routes", () => {
  it("an admin sets the working calendar; bad input is refused field by field; others may not", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    await agent.page("/search");
    expect((await agent.post("/admin/settings", { intent: "calendar", timeZone: "UTC", days: ["1"], start: "09:00", end: "17:00" })).status).toBe(403);
    const admin = await createUser(db(), { roles: ["admin"] });
    const client = new TestClient();
    await client.signIn(admin.email, TEST_PASSWORD);
    const { html } = await client.page("/admin/settings");
    expect(html).toContain("Working hours and time zone");
    const bad = await client.post("/admin/settings", { intent: "calendar", timeZone: "Mars/Olympus", start: "9am", end: "08:00" });
    expect(bad.status).toBe(400);
    const page = await bad.text();
    expect(page).toContain("Choose a time zone from the list");
    expect(page).toMatch(/Choose (the|at least one) working day/);
    expect(page).toContain("Enter a time as HH:MM");
    expect(await companyCalendar(db())).toMatchObject({ timeZone: "UTC" });
    const good = await client.post("/admin/settings", { intent: "calendar", timeZone: "Europe/Lisbon", days: ["1", "2", "3", "4"], start: "08:30", end: "16:30" });
    expect(good.status).toBe(200);
    expect(await companyCalendar(db())).toEqual({ timeZone: "Europe/Lisbon", days: [1, 2, 3, 4], startMinute: 510, endMinute: 990 });
    await db().delete(appSettings).where(eq(appSettings.key, "workingCalendar"));
  });

  it("an answer opened from a search result is recorded once for its session; a made-up session changes nothing", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    const session = randomUUID();
    expect((await agent.page(`/answers/${a1.answerId}?s=${session}`)).response.status).toBe(200);
    expect((await agent.page(`/answers/${a1.answerId}?s=${session}`)).response.status).toBe(200);
    expect((await agent.page(`/answers/${a1.answerId}?s=%27%3Bdrop`)).response.status).toBe(200);
    const rows = await db().select().from(answerOpens).where(eq(answerOpens.sessionId, session));
    expect(rows.map((r) => [r.answerId, r.userId])).toEqual([[a1.answerId, cast.agent.id]]);
  });

  it("an agent's home page lists the answers they used lately, newest first, without undone ones", async () => {
    const home = await homeFor(su(cast.agent), at("2026-11-10T12:00:00Z"));
    const at_ = home.recentUses!.map((u) => u.at.getTime());
    expect(at_).toEqual([...at_].sort((a, b) => b - a));
    expect(home.recentUses?.[0]?.answerId).toBe(b1.answerId);
    expect(home.recentUses?.length).toBe(6);
    expect(home.recentUses?.some((u) => u.answerId === a1.answerId && u.at.toISOString() === "2026-11-05T11:00:00.000Z")).toBe(false);
    expect((await homeFor(su(cast.author))).recentUses).toBeNull();
  });
});

describe("who sees what", () => {
  it("an expert sees only their topics, and may not filter to another", async () => {
    const expertB = await createExpert(db(), [castB.topic]);
    const access = await insightsAccess(su(expertB));
    expect(access.allowed).toEqual([castB.topic.id]);
    const dash = await insightsDashboard(su(expertB), new URL("http://x/insights?range=custom&from=2026-11-01&to=2026-11-07"), at("2026-11-10T12:00:00Z"));
    expect(dash.findability.figures[0]!.value).toBe(0);
    expect(dash.reuse.figures[0]!.value).toBe(6);
    await expect(insightsDashboard(su(expertB), new URL(`http://x/insights?topic=${cast.topic.id}`))).rejects.toBeInstanceOf(DomainError);
  });

  it("draws each chart from the same counts as its headline figures, one point per day of the period", async () => {
    const dash = await insightsDashboard(su(cast.km), new URL(`http://x/insights?range=custom&from=2026-11-01&to=2026-11-07&topic=${cast.topic.id}`), at("2026-11-10T12:00:00Z"));
    const total = (points: { values: Record<string, number> }[], key: string) => points.reduce((n, p) => n + (p.values[key] ?? 0), 0);
    const figure = (figures: { key: string; value: number | null }[], key: string) => figures.find((f) => f.key === key)!.value;
    expect(dash.findability.series.points).toHaveLength(7);
    expect(dash.findability.series.keys.map((k) => k.key)).toEqual(["searches", "linked", "no_result"]);
    expect(total(dash.findability.series.points, "searches")).toBe(figure(dash.findability.figures, "searches"));
    expect(total(dash.reuse.series.points, "uses")).toBe(figure(dash.reuse.figures, "uses"));
    expect(total(dash.reuse.series.points, "created")).toBe(figure(dash.reuse.figures, "newCertified"));
    expect(total(dash.feedback.series.points, "opened")).toBe(figure(dash.feedback.figures, "flagsOpened"));
    expect(total(dash.feedback.series.points, "acted")).toBe(figure(dash.feedback.figures, "flagsActed"));
    expect(total(dash.reuse.series.points, "uses")).toBeGreaterThan(0);
  });

  it("refuses agents and employees", async () => {
    await expect(insightsAccess(su(cast.agent))).rejects.toMatchObject({ code: "forbidden" });
    await expect(insightsAccess(su(cast.author))).rejects.toMatchObject({ code: "forbidden" });
  });

  it("a knowledge manager's drill-down of failed searches offers to write each answer", async () => {
    const list = await insightsList(su(cast.km), new URL(`http://x/insights/failed?range=custom&from=2026-11-01&to=2026-11-07&topic=${cast.topic.id}`), "failed");
    expect(list.rows).toHaveLength(4);
    expect(list.rows[0]!.link).toEqual({ href: `/answers/new?${new URLSearchParams({ question: '=HYPERLINK("http://x")' }).toString()}`, label: "Write this answer" });
  });
});

describe("CSV export", () => {
  it("streams the list with formula-looking cells made text", async () => {
    const { stream, filename } = await insightsCsv(su(cast.km), new URL("http://x/insights/failed?range=custom&from=2026-11-01&to=2026-11-07"), "failed");
    expect(filename).toBe("failed-2026-11-01-to-2026-11-07.csv");
    const text = await new Response(stream).text();
    const lines = text.trim().split("\r\n");
    expect(lines[0]).toBe("Query,Why,Searched by,When");
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/^"'=HYPERLINK\(""http:\/\/x""\)",No result,/);
    // Paged by key two rows at a time: the same rows, in the same order, none twice.
    const paged = await insightsCsv(su(cast.km), new URL("http://x/insights/failed?range=custom&from=2026-11-01&to=2026-11-07"), "failed", new Date(), db(), 2);
    expect((await new Response(paged.stream).text()).trim().split("\r\n")).toEqual(lines);
  });
});

describe("review targets and escalation", () => {
  let late: string;
  let inTime: string;
  beforeAll(async () => {
    const submit = async (iso: string) => {
      const { versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id], question: `Waiting since ${iso}` }), now: at(iso) });
      await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" }, now: at(iso) });
      return versionId;
    };
    late = await submit("2026-11-16T10:00:00Z"); // a Monday
    inTime = await submit("2026-11-19T09:00:00Z");
  });

  it("shows age against the topic's target (working days)", async () => {
    const ages = await queueAges(db(), [cast.topic.id], at("2026-11-19T12:00:00Z"));
    expect(ages.map((q) => [q.versionId, q.ageDays, q.targetDays, q.overdue])).toEqual([
      [late, 3, 2, true],
      [inTime, 0, 2, false],
    ]);
    await db().update(topics).set({ reviewTargetDays: 5 }).where(eq(topics.id, cast.topic.id));
    expect((await queueAges(db(), [cast.topic.id], at("2026-11-19T12:00:00Z")))[0]!.overdue).toBe(false);
    await db().update(topics).set({ reviewTargetDays: 2 }).where(eq(topics.id, cast.topic.id));
  });

  it("counts the company's working hours in its time zone, and warns a working day ahead", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    // A Berlin team working 08:00–12:00, Monday to Thursday: Monday 10:00 UTC (11:00 local) to
    // Thursday 12:00 UTC (13:00 local) is 1 + 4 + 4 + 4 hours = 3.25 of its 4-hour days.
    await saveCompanyCalendar({ timeZone: "Europe/Berlin", days: [1, 2, 3, 4], startMinute: 8 * 60, endMinute: 12 * 60 }, admin.id, db());
    expect(await companyCalendar(db())).toEqual({ timeZone: "Europe/Berlin", days: [1, 2, 3, 4], startMinute: 480, endMinute: 720 });
    const [lateNow] = await queueAges(db(), [cast.topic.id], at("2026-11-19T12:00:00Z"));
    expect(lateNow).toMatchObject({ versionId: late, ageDays: 3, workingDays: 3.25, overdue: true });
    // On Tuesday 09:00 local it has waited 1 + 1 hours, half a day; on Wednesday 09:00, 1.5 days:
    // within a working day of its 2-day target, so reviewers' home pages warn.
    const [tuesday] = await queueAges(db(), [cast.topic.id], at("2026-11-17T08:00:00Z"));
    expect(tuesday).toMatchObject({ versionId: late, workingDays: 0.5, overdue: false, dueNext: false });
    const [wednesday] = await queueAges(db(), [cast.topic.id], at("2026-11-18T08:00:00Z"));
    expect(wednesday).toMatchObject({ versionId: late, workingDays: 1.5, overdue: false, dueNext: true });
    const audit = await db().select().from(auditLog).where(and(eq(auditLog.action, "settings.working-calendar"), eq(auditLog.actorId, admin.id)));
    expect(audit).toHaveLength(1);
    await db().delete(appSettings).where(eq(appSettings.key, "workingCalendar"));
    expect((await companyCalendar(db())).timeZone).toBe("UTC");
  });

  it("escalates an overdue item once to the knowledge managers, and not one in time", async () => {
    const kmOfTopic = await createUser(db(), { roles: ["knowledge_manager"] });
    await createExpert(db(), [cast.topic], { roles: ["knowledge_manager"] }).then(async (u) => {
      // A knowledge manager who is also an expert of the topic is the one told.
      expect(await escalateOverdueReviews(db(), at("2026-11-19T12:00:00Z"))).toBe(1);
      expect(await escalateOverdueReviews(db(), at("2026-11-19T13:00:00Z"))).toBe(0);
      const items = await db().select().from(notifications).where(eq(notifications.kind, "review_escalated"));
      expect(items.map((n) => n.userId)).toEqual([u.id]);
      expect(items[0]!.data).toMatchObject({ versionId: late, state: "in_review" });
      expect(items[0]!.link).toMatch(/\/review$/);
      // And by email, queued in the same transaction (issue 15's mail queue), once.
      const mail = await db().select().from(mailQueue).where(eq(mailQueue.kind, "review_escalated"));
      expect(mail.map((r) => [r.userId, r.delivery])).toEqual([[u.id, "immediate"]]);
    });
    const mine = await db().select().from(notifications).where(and(eq(notifications.userId, kmOfTopic.id), eq(notifications.kind, "review_escalated")));
    expect(mine).toHaveLength(0);
  });
});

describe("the search log", () => {
  it("keeps one row per search session, moved only by its own person", async () => {
    const session = randomUUID();
    await logSearch({ sessionId: session, userId: cast.agent.id, query: "ref", results: 9, topicIds: [] }, db());
    await logSearch({ sessionId: session, userId: cast.agent.id, query: "refund to card", results: 0, topicIds: [cast.topic.id] }, db());
    await logSearch({ sessionId: session, userId: castB.agent.id, query: "hijacked", results: 5, topicIds: [] }, db());
    await logSearch({ sessionId: randomUUID(), userId: cast.agent.id, query: "x", results: 0, topicIds: [] }, db());
    const rows = await db().select().from(searchLog).where(eq(searchLog.sessionId, session));
    expect(rows.map((r) => [r.query, r.results, r.topicIds])).toEqual([["refund to card", 0, [cast.topic.id]]]);
  });
});
