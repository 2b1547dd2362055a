import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { appSettings, expertiseScores, notifications, reputationEvents, topics } from "../../db/schema";
import { award, personProfile, searchPeople, suggestReviewers } from "../../app/models/expertise.server";
import { rateAnswer, flagAnswer, startRevisionForFlag } from "../../app/models/feedback.server";
import { recordUse, requestAnswer, undoUse } from "../../app/models/agent.server";
import { sendEvent } from "../../workflows/approval.service";
import { actor, certifiedAnswer, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createExpert, createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
type Cast = Awaited<ReturnType<typeof workflowCast>>;

const scoreOf = async (userId: string, scope: "topic" | "tag", key: string) =>
  (await db().select().from(expertiseScores).where(and(eq(expertiseScores.userId, userId), eq(expertiseScores.scope, scope), eq(expertiseScores.key, key))))[0];
const pointsOf = async (userId: string, kind?: string) =>
  (await db().select().from(reputationEvents).where(eq(reputationEvents.userId, userId))).filter((r) => !kind || r.kind === kind).reduce((n, r) => n + r.points, 0);

describe("expertise grows from what people do, in the same transaction", () => {
  let cast: Cast;
  let answerId: string;
  beforeAll(async () => {
    cast = await workflowCast(db(), { experts: 2 });
    ({ answerId } = await certifiedAnswer(db(), cast, { tags: ["refunds", "Payments"] }));
  });

  it("credits the author per topic and per tag when certified, and the reviewer for the review", async () => {
    expect(await scoreOf(cast.author.id, "topic", cast.topic.id)).toMatchObject({ authored: 1, reviews: 0, score: 5 });
    expect(await scoreOf(cast.author.id, "tag", "payments")).toMatchObject({ authored: 1 });
    expect(await scoreOf(cast.expert.id, "topic", cast.topic.id)).toMatchObject({ reviews: 1, score: 3 });
    expect(await pointsOf(cast.author.id, "answer_certified")).toBe(10);
    expect(await pointsOf(cast.expert.id, "review_on_time")).toBe(2);
    expect(await pointsOf(cast.km.id)).toBe(0);
  });

  it("counts a use in a reply and takes it back on undo", async () => {
    const { useId } = await recordUse({ answerId, kind: "used", channel: "chat", userId: cast.agent.id }, db());
    expect(await scoreOf(cast.author.id, "topic", cast.topic.id)).toMatchObject({ uses: 1 });
    expect(await pointsOf(cast.author.id, "answer_used")).toBe(1);
    await undoUse({ useId, userId: cast.agent.id }, db());
    expect(await scoreOf(cast.author.id, "topic", cast.topic.id)).toMatchObject({ uses: 0 });
    expect(await pointsOf(cast.author.id, "answer_used")).toBe(0);
  });

  it("counts a helpful rating once, and un-counts it when the rater changes their mind", async () => {
    await rateAnswer(db(), actor(cast.agent), answerId, { helpful: true, source: "search" });
    await rateAnswer(db(), actor(cast.agent), answerId, { helpful: true, source: "search" });
    expect(await scoreOf(cast.author.id, "topic", cast.topic.id)).toMatchObject({ helpful: 1 });
    expect(await pointsOf(cast.author.id, "helpful_rating")).toBe(2);
    await rateAnswer(db(), actor(cast.agent), answerId, { helpful: false, source: "search" });
    expect(await scoreOf(cast.author.id, "topic", cast.topic.id)).toMatchObject({ helpful: 0 });
  });

  it("gives the flagger points when their flag leads to a certified fix", async () => {
    const { flagId } = await flagAnswer(db(), actor(cast.agent), answerId, { reason: "outdated", comment: "Refunds take 10 days now.", source: "search" });
    const { versionId } = await startRevisionForFlag(db(), actor(cast.author), flagId);
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 1, event: { type: "APPROVE" } });
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 } });
    expect(await pointsOf(cast.agent.id, "flag_fixed")).toBe(3);
    // A second certified version of the same answer is not a second answer authored.
    expect(await scoreOf(cast.author.id, "topic", cast.topic.id)).toMatchObject({ authored: 1, reviews: 0 });
    expect(await pointsOf(cast.author.id, "answer_certified")).toBe(10);
  });

  it("finds the author by the words of a question and by topic, with the evidence shown", async () => {
    const byWords = await searchPeople(db(), { q: "Who knows about refunds?" });
    expect(byWords.matched.tags).toContain("refunds");
    // The expert reviewed both versions (2 × 3) and outranks the author's one answer (5).
    expect(byWords.hits.map((h) => h.id).slice(0, 2)).toEqual([cast.expert.id, cast.author.id]);
    expect(byWords.hits[1]!.top[0]).toMatchObject({ label: "refunds", authored: 1, score: 5 });
    expect(byWords.hits[0]!.top[0]).toMatchObject({ label: "refunds", reviews: 2, score: 6 });
    const byTopic = await searchPeople(db(), { topicId: cast.topic.id });
    expect(byTopic.hits.map((h) => h.id)).toEqual(expect.arrayContaining([cast.author.id, cast.expert.id, cast.experts[1]!.id]));
    expect((await searchPeople(db(), { q: cast.expert.displayName })).hits.map((h) => h.id)).toEqual([cast.expert.id]);
    const profile = await personProfile(db(), cast.author.id);
    expect(profile?.topics[0]).toMatchObject({ label: cast.topic.name, authored: 1 });
    expect(profile?.authored.map((a) => a.answerId)).toEqual([answerId]);
    expect(profile?.points.total).toBeGreaterThanOrEqual(12);
    expect(await personProfile(db(), "not-an-id")).toBeNull();
  });
});

describe("reputation cannot be farmed", () => {
  it("caps each kind per person per day, awards each thing once, and never for one's own action", async () => {
    const u = await createUser(db(), { roles: ["employee"] });
    const other = await createUser(db(), { roles: ["agent"] });
    const now = new Date("2026-11-10T10:00:00Z");
    const awarded = await db().transaction(async (tx) => {
      let sum = 0;
      for (let i = 0; i < 25; i++) sum += await award(tx, { userId: u.id, kind: "answer_used", subject: `use:${i}`, actorId: other.id, now });
      sum += await award(tx, { userId: u.id, kind: "answer_used", subject: "use:0", actorId: other.id, now: new Date("2026-11-11T10:00:00Z") });
      sum += await award(tx, { userId: u.id, kind: "helpful_rating", subject: "rating:self", actorId: u.id, now });
      return sum;
    });
    expect(awarded).toBe(20);
    expect(await pointsOf(u.id)).toBe(20);
    const nextDay = await db().transaction((tx) => award(tx, { userId: u.id, kind: "answer_used", subject: "use:new", actorId: other.id, now: new Date("2026-11-11T10:00:00Z") }));
    expect(nextDay).toBe(1);
  });

  it("refuses the author's own rating outright (no self points, nothing written)", async () => {
    const cast = await workflowCast(db());
    const { answerId } = await certifiedAnswer(db(), cast);
    const before = await pointsOf(cast.author.id);
    await expect(rateAnswer(db(), actor(cast.author), answerId, { helpful: true, source: "answer" })).rejects.toThrow(/wrote or own/);
    expect(await pointsOf(cast.author.id)).toBe(before);
    expect(await scoreOf(cast.author.id, "topic", cast.topic.id)).toMatchObject({ helpful: 0 });
  });
});

describe("routing to the people who know", () => {
  it("suggests the topic's experts by evidence and load, never the author even when they are an expert", async () => {
    const cast = await workflowCast(db(), { experts: 3 });
    const authorExpert = cast.experts[2]!;
    await certifiedAnswer(db(), cast);
    const suggestions = await suggestReviewers(db(), { topicIds: [cast.topic.id], excludeUserId: authorExpert.id, limit: 3 });
    expect(suggestions.map((s) => s.id)).not.toContain(authorExpert.id);
    expect(suggestions[0]).toMatchObject({ id: cast.expert.id, score: 3 });
    expect(suggestions).toHaveLength(2);
    expect(await suggestReviewers(db(), { topicIds: [], excludeUserId: null })).toEqual([]);
  });

  it("routes a request for an answer to the best experts of the topic its words name", async () => {
    const cast = await workflowCast(db(), { experts: 3 });
    await db().update(topics).set({ name: "Warranty claims" }).where(eq(topics.id, cast.topic.id));
    await certifiedAnswer(db(), cast);
    const outsider = await createExpert(db(), []);
    await requestAnswer({ question: "Is my warranty still valid after a repair?", userId: cast.agent.id }, db());
    const told = await db().select({ userId: notifications.userId }).from(notifications).where(eq(notifications.kind, "answer_requested"));
    const ids = told.map((t) => t.userId);
    expect(ids).toContain(cast.expert.id);
    expect(ids).not.toContain(outsider.id);
    expect(ids.filter((id) => cast.experts.some((e) => e.id === id))).toHaveLength(2);
  });
});

describe("the people pages and the leaderboard switch over HTTP", () => {
  it("shows people and profiles to every role, 404s an unknown person, and lets only an admin turn leaderboards off", async () => {
    const agent = await createUser(db(), { roles: ["agent"] });
    const admin = await createUser(db(), { roles: ["admin"] });
    const a = new TestClient();
    await a.signIn(agent.email, TEST_PASSWORD);
    const list = await a.page("/people?q=refunds&topic=not-a-uuid&page=-3");
    expect(list.response.status).toBe(200);
    expect(list.html).toContain("How expertise and points are counted");
    expect((await a.page(`/people/${agent.id}`)).response.status).toBe(200);
    expect((await a.page("/people/00000000-0000-4000-8000-000000000000")).response.status).toBe(404);
    expect((await a.page("/people/rules")).html).toContain("At most a day");
    expect((await a.post("/admin/settings", { intent: "leaderboards", enabled: "off" })).status).toBe(403);

    const ad = new TestClient();
    await ad.signIn(admin.email, TEST_PASSWORD);
    await ad.page("/admin/settings");
    expect((await ad.post("/admin/settings", { intent: "leaderboards", enabled: "maybe" })).status).toBe(400);
    expect(await db().select().from(appSettings).where(eq(appSettings.key, "leaderboards"))).toHaveLength(0);
    expect((await ad.post("/admin/settings", { intent: "leaderboards", enabled: "off" })).status).toBe(200);
    expect((await db().select().from(appSettings).where(eq(appSettings.key, "leaderboards")))[0]?.value).toEqual({ enabled: false });
  });
});
