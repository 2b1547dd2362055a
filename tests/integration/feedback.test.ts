import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { answerFlags, answerRatings, answerVersions, auditLog, notifications, topics } from "../../db/schema";
import { recordFaqFeedback, faqPathOf } from "../../app/models/faq.server";
import { answerFeedback, dismissFlag, feedbackActing, feedbackQueue, FlagSchema, flagAnswer, rateAnswer, startRevisionForFlag } from "../../app/models/feedback.server";
import { sendEvent } from "../../workflows/approval.service";
import { DomainError } from "../../app/utils/errors";
import { createApiToken } from "../../app/models/agent.server";
import { callApi } from "../support/api";
import { actor, certifiedAnswer, workflowCast } from "../support/answers";
import { useFreshDatabase } from "../support/db";
import { createExpert, createUser } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
type Cast = Awaited<ReturnType<typeof workflowCast>>;

const reader = (u: { id: string; roles: string[] }) => ({ id: u.id, roles: u.roles as never });
const inbox = (userId: string, kind: string) =>
  db().select().from(notifications).where(and(eq(notifications.userId, userId), eq(notifications.kind, kind)));
const stateOf = async (versionId: string) => (await db().select({ s: answerVersions.state }).from(answerVersions).where(eq(answerVersions.id, versionId)))[0]?.s;
const refusal = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error("expected a refusal");
};

describe("flag → owner told → revision certified → flag closed → flagger told", () => {
  let cast: Cast;
  let answerId: string;
  let versionId: string;
  let flagId: string;
  beforeAll(async () => {
    cast = await workflowCast(db(), { experts: 2 });
    ({ answerId, versionId } = await certifiedAnswer(db(), cast));
  });

  it("files the agent's flag, assigned to the owner, in the owner's inbox at once", async () => {
    const filed = await flagAnswer(db(), reader(cast.agent), answerId, { reason: "outdated", comment: "Refunds take 10 days since May.", source: "search" });
    flagId = filed.flagId;
    expect(filed.movedToReverification).toBe(false);
    const [flag] = await db().select().from(answerFlags).where(eq(answerFlags.id, flagId));
    expect(flag).toMatchObject({ assigneeId: cast.author.id, status: "open", reason: "outdated", source: "search", topicId: cast.topic.id });
    const items = await inbox(cast.author.id, "flag_filed");
    expect(items.map((n) => n.link)).toEqual([`/feedback/${flagId}`]);
    expect(items[0]!.title).toMatch(/Refunds take 10 days/);
    expect((await db().select().from(auditLog).where(eq(auditLog.action, "answer.flag"))).length).toBe(1);
  });

  it("refuses the same person's second open flag on the answer, and the owner's own flag", async () => {
    expect((await refusal(flagAnswer(db(), reader(cast.agent), answerId, { reason: "unclear", comment: "Again, still wrong.", source: "answer" }))).code).toBe("conflict");
    expect((await refusal(flagAnswer(db(), reader(cast.author), answerId, { reason: "unclear", comment: "Mine is wrong.", source: "answer" }))).message).toMatch(/revise it/);
  });

  it("shows in the topic's feedback queue for its experts, and in the flagger's own list", async () => {
    const q = await feedbackQueue(db(), reader(cast.expert), { view: "open" });
    expect(q.items.map((i) => i.id)).toContain(flagId);
    expect(q.items[0]).toMatchObject({ targetDays: 2, overdue: false, flaggerName: cast.agent.displayName });
    const other = await createExpert(db(), []);
    expect((await feedbackQueue(db(), reader(other), { view: "open" })).items).toEqual([]);
    expect((await feedbackQueue(db(), reader(cast.agent), { view: "mine" })).items.map((i) => i.id)).toEqual([flagId]);
  });

  it("lets neither an agent nor an outsider act on it", async () => {
    expect((await refusal(dismissFlag(db(), reader(cast.agent), flagId, "Not a problem at all"))).code).toBe("forbidden");
    const outsider = await createUser(db(), { roles: ["employee"] });
    expect((await refusal(startRevisionForFlag(db(), reader(outsider), flagId))).code).toBe("forbidden");
  });

  it("the owner starts a revision: the flag is linked and acted on; certifying it closes it and tells the agent what changed", async () => {
    const started = await startRevisionForFlag(db(), reader(cast.author), flagId);
    expect(started.editable).toBe(true);
    const [linked] = await db().select().from(answerFlags).where(eq(answerFlags.id, flagId));
    expect(linked).toMatchObject({ status: "in_revision", revisionVersionId: started.versionId });
    expect(linked!.actedAt).not.toBeNull();
    expect((await refusal(startRevisionForFlag(db(), reader(cast.author), flagId))).code).toBe("conflict");

    await sendEvent(db(), { actor: actor(cast.author), versionId: started.versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId: started.versionId, revision: 1, event: { type: "APPROVE" } });
    expect((await db().select().from(answerFlags).where(eq(answerFlags.id, flagId)))[0]!.status).toBe("in_revision");
    await sendEvent(db(), { actor: actor(cast.km), versionId: started.versionId, revision: 1, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 } });
    const [closed] = await db().select().from(answerFlags).where(eq(answerFlags.id, flagId));
    expect(closed).toMatchObject({ status: "resolved", closedBy: cast.km.id });
    const told = await inbox(cast.agent.id, "flag_resolved");
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toMatch(/Because of what you told us, we changed “How do I get a refund\?” \(version 2\)/);
    expect(await stateOf(versionId)).toBe("superseded");
  });

  it("counts the flag as acted on for the topic and the owner", async () => {
    const stats = await feedbackActing(db(), { topicId: cast.topic.id });
    expect(stats).toMatchObject({ filed: 1, acted: 1, actedShare: 100, open: 0 });
    expect(stats.medianHoursToAct).not.toBeNull();
    expect((await feedbackActing(db(), { ownerId: cast.author.id })).filed).toBe(1);
  });

  it("gives the same figures per topic and owner through the API, to a token with the insights:read scope only", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const { token } = await createApiToken({ name: "bi", scopes: ["insights:read"], createdBy: admin.id }, db());
    const { token: searchOnly } = await createApiToken({ name: "desk", scopes: ["search:read"], createdBy: admin.id }, db());
    const auth = (t: string) => ({ headers: { Authorization: `Bearer ${t}` } });
    const res = await callApi(`/api/v1/feedback/stats?topic=${cast.topic.id}`, auth(token));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { filed: number; actedShare: number; topics: { id: string; acted: number }[]; owners: { id: string; name: string; filed: number }[] };
    expect(body).toMatchObject({ filed: 1, actedShare: 100 });
    expect(body.topics).toEqual([expect.objectContaining({ id: cast.topic.id, acted: 1 })]);
    expect(body.owners).toEqual([expect.objectContaining({ id: cast.author.id, filed: 1 })]);
    expect((await callApi("/api/v1/feedback/stats", auth(searchOnly))).status).toBe(403);
    expect((await callApi("/api/v1/feedback/stats")).status).toBe(401);
    const bad = await callApi("/api/v1/feedback/stats?days=0&topic=nope", auth(token));
    expect(bad.status).toBe(400);
    expect(Object.keys(((await bad.json()) as { error: { fields: Record<string, string[]> } }).error.fields).sort()).toEqual(["days", "topic"]);
  });
});

describe("dismissing, and a revision given up", () => {
  it("dismisses with a reason the flagger reads; a withdrawn revision hands the flag back", async () => {
    const cast = await workflowCast(db());
    const { answerId } = await certifiedAnswer(db(), cast);
    const a = await flagAnswer(db(), reader(cast.agent), answerId, { reason: "unclear", comment: "Which card do you mean?", source: "panel" });
    const started = await startRevisionForFlag(db(), reader(cast.expert), a.flagId);
    await sendEvent(db(), { actor: actor(cast.expert), versionId: started.versionId, revision: 1, event: { type: "WITHDRAW" } });
    expect((await db().select().from(answerFlags).where(eq(answerFlags.id, a.flagId)))[0]).toMatchObject({ status: "open", revisionVersionId: null, actedAt: null });

    await dismissFlag(db(), reader(cast.author), a.flagId, "The card is the one you paid with; the answer says so.");
    const [flag] = await db().select().from(answerFlags).where(eq(answerFlags.id, a.flagId));
    expect(flag).toMatchObject({ status: "dismissed", closedBy: cast.author.id, closeReason: "The card is the one you paid with; the answer says so." });
    const told = await inbox(cast.agent.id, "flag_dismissed");
    expect(told[0]!.title).toMatch(/the one you paid with/);
    expect((await refusal(dismissFlag(db(), reader(cast.author), a.flagId, "Twice over"))).code).toBe("conflict");
  });
});

describe("flags that cross the line send the answer to re-verification", () => {
  it("after the topic's threshold of distinct people, not before; search then warns", async () => {
    const cast = await workflowCast(db());
    await db().update(topics).set({ flagThreshold: 3 }).where(eq(topics.id, cast.topic.id));
    const { answerId, versionId } = await certifiedAnswer(db(), cast);
    const people = await Promise.all([1, 2, 3].map(() => createUser(db(), { roles: ["agent"] })));
    expect((await flagAnswer(db(), reader(people[0]!), answerId, { reason: "outdated", comment: "Prices changed.", source: "search" })).movedToReverification).toBe(false);
    expect((await flagAnswer(db(), reader(people[1]!), answerId, { reason: "outdated", comment: "Prices changed!", source: "panel" })).movedToReverification).toBe(false);
    expect(await stateOf(versionId)).toBe("certified");
    expect((await flagAnswer(db(), reader(people[2]!), answerId, { reason: "unclear", comment: "Which price?", source: "answer" })).movedToReverification).toBe(true);
    expect(await stateOf(versionId)).toBe("reverification_due");
    const [v] = await db().select().from(answerVersions).where(eq(answerVersions.id, versionId));
    expect(v!.reverifyAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await inbox(cast.author.id, "reverification_due")).toHaveLength(1);
  });

  it("at once on one expert's \"incorrect\" flag", async () => {
    const cast = await workflowCast(db(), { experts: 2 });
    const { answerId, versionId } = await certifiedAnswer(db(), cast);
    const filed = await flagAnswer(db(), reader(cast.experts[1]!), answerId, { reason: "incorrect", comment: "The limit is 60 days, not 30.", source: "answer" });
    expect(filed.movedToReverification).toBe(true);
    expect(await stateOf(versionId)).toBe("reverification_due");
  });

  it("but not on an agent's single \"incorrect\" flag", async () => {
    const cast = await workflowCast(db());
    const { answerId, versionId } = await certifiedAnswer(db(), cast);
    await flagAnswer(db(), reader(cast.agent), answerId, { reason: "incorrect", comment: "The limit is 60 days.", source: "answer" });
    expect(await stateOf(versionId)).toBe("certified");
  });
});

describe("ratings", () => {
  it("keeps one rating per person per version, changeable, and refuses the author's and owner's", async () => {
    const cast = await workflowCast(db());
    const { answerId, versionId } = await certifiedAnswer(db(), cast);
    expect(await rateAnswer(db(), reader(cast.agent), answerId, { helpful: true, source: "search" })).toEqual({ helpful: 1, notHelpful: 0, mine: true });
    expect(await rateAnswer(db(), reader(cast.agent), answerId, { helpful: false, source: "answer" })).toEqual({ helpful: 0, notHelpful: 1, mine: false });
    expect(await db().select().from(answerRatings).where(eq(answerRatings.versionId, versionId))).toHaveLength(1);
    expect((await refusal(rateAnswer(db(), reader(cast.author), answerId, { helpful: true, source: "answer" }))).code).toBe("forbidden");
    const page = await answerFeedback(db(), reader(cast.expert), answerId);
    expect(page).toMatchObject({ ratings: { helpful: 0, notHelpful: 1, mine: null }, canRate: true, canFlag: true });
    expect((await answerFeedback(db(), reader(cast.author), answerId))?.canRate).toBe(false);
  });
});

describe("hostile input is refused with nothing written", () => {
  it("validates the flag form", () => {
    expect(FlagSchema.safeParse({ reason: "bogus", comment: "Something" }).success).toBe(false);
    expect(FlagSchema.safeParse({ reason: "outdated", comment: "" }).success).toBe(false);
    expect(FlagSchema.safeParse({ reason: "outdated", comment: "x".repeat(2001) }).success).toBe(false);
    expect(FlagSchema.safeParse({ reason: "duplicate", duplicateOf: "not an answer" }).success).toBe(false);
    const pasted = FlagSchema.safeParse({ reason: "duplicate", duplicateOf: "https://kb.example/answers/0E1F2A3B-0000-4000-8000-000000000001?x=1" });
    expect(pasted.success && pasted.data.duplicateOf).toBe("0e1f2a3b-0000-4000-8000-000000000001");
  });

  it("refuses a flag on a missing answer, a draft, or a duplicate that is not another certified answer", async () => {
    const cast = await workflowCast(db());
    const { answerId } = await certifiedAnswer(db(), cast);
    const before = (await db().select().from(answerFlags)).length;
    expect((await refusal(flagAnswer(db(), reader(cast.agent), "00000000-0000-4000-8000-000000000000", { reason: "unclear", comment: "Which one?", source: "answer" }))).code).toBe("not_found");
    expect((await refusal(flagAnswer(db(), reader(cast.agent), "'; drop table answers; --", { reason: "unclear", comment: "Which one?", source: "answer" }))).code).toBe("not_found");
    expect((await refusal(flagAnswer(db(), reader(cast.agent), answerId, { reason: "duplicate", comment: "", duplicateOf: answerId, source: "answer" }))).details.field).toBe("duplicateOf");
    expect((await db().select().from(answerFlags)).length).toBe(before);
  });
});

describe("the public FAQ's \"No\" with a comment", () => {
  it("becomes an anonymous feedback item for the owner; a bare \"No\" stays a count", async () => {
    const cast = await workflowCast(db());
    const { answerId } = await certifiedAnswer(db(), cast, { audience: "public" });
    const path = await faqPathOf(answerId, db());
    const [, , topicSlug, slug] = path!.split("/");
    expect(await recordFaqFeedback({ topicSlug: topicSlug!, slug: slug!, helpful: false, ip: "198.51.100.7" }, db())).toEqual({ ok: true });
    expect(await db().select().from(answerFlags).where(eq(answerFlags.answerId, answerId))).toHaveLength(0);
    expect(await recordFaqFeedback({ topicSlug: topicSlug!, slug: slug!, helpful: false, comment: "It does not say how to ship it back.", ip: "198.51.100.8" }, db())).toEqual({ ok: true });
    const [flag] = await db().select().from(answerFlags).where(eq(answerFlags.answerId, answerId));
    expect(flag).toMatchObject({ flaggedBy: null, source: "faq", reason: "not_helpful", assigneeId: cast.author.id, comment: "It does not say how to ship it back." });
    expect(await inbox(cast.author.id, "flag_filed")).toHaveLength(1);
  });
});
