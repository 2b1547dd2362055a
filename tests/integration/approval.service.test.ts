import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getAnswerPage, reviewQueue, certificationQueue, myDrafts } from "../../app/models/answer.server";
import type { SessionUser } from "../../app/auth/session.server";
import { DomainError } from "../../app/utils/errors";
import { answerEvents, answers, answerVersions, notifications, searchOutbox } from "../../db/schema";
import { createDraft, reviseAnswer, runReverification, saveDraft, sendEvent } from "../../workflows/approval.service";
import { actor, certifiedAnswer, doc, draftInput, workflowCast } from "../support/answers";
import { useFreshDatabase } from "../support/db";
import { createExpert, createUser } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

const session = (u: { id: string; email: string; displayName: string; roles: string[] }): SessionUser => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  roles: u.roles as SessionUser["roles"],
});

async function refusal(p: Promise<unknown>): Promise<DomainError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(DomainError);
  return e as DomainError;
}

async function version(id: string) {
  const [v] = await db().select().from(answerVersions).where(eq(answerVersions.id, id));
  return v!;
}

describe("the approval workflow on the database", () => {
  it("takes a draft through review, changes, approval and certification", async () => {
    const cast = await workflowCast(db());
    let minute = 0;
    const t0 = new Date("2026-01-01T10:00:00Z");
    const at = () => new Date(t0.getTime() + ++minute * 60_000);
    const { answerId, versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }), now: t0 });
    expect((await myDrafts(session(cast.author))).map((d) => d.versionId)).toContain(versionId);

    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" }, now: at() });
    expect((await reviewQueue(session(cast.expert))).map((q) => q.versionId)).toEqual([versionId]);
    const [asked] = await db().select().from(notifications).where(and(eq(notifications.userId, cast.expert.id), eq(notifications.kind, "review_requested")));
    expect(asked?.link).toBe(`/answers/${answerId}/review`);

    const noComment = await refusal(sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 1, event: { type: "REQUEST_CHANGES", comment: "  " } }));
    expect(noComment.status).toBe(400);
    await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 1, event: { type: "REQUEST_CHANGES", comment: "Say how long it takes." }, now: at() });
    expect((await version(versionId)).state).toBe("changes_requested");

    const v = await version(versionId);
    const saved = await saveDraft(db(), {
      actor: actor(cast.author),
      versionId,
      lockVersion: v.lockVersion,
      draft: draftInput({ topicIds: [cast.topic.id], body: doc("Refunds take 5 working days.") }),
      now: at(),
    });
    expect(saved.revision).toBe(2);
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 2, event: { type: "RESUBMIT" }, now: at() });
    await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 2, event: { type: "APPROVE" }, now: at() });
    expect((await version(versionId)).state).toBe("in_certification");
    expect((await certificationQueue(session(cast.km))).map((q) => q.versionId)).toEqual([versionId]);

    const t1 = new Date("2026-02-01T10:00:00Z"); // after every step above
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 2, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 }, now: t1 });
    const certified = await version(versionId);
    expect(certified).toMatchObject({ state: "certified", certifiedBy: cast.km.id, ownerId: cast.author.id });
    expect(certified.reverifyAt?.toISOString()).toBe("2026-03-03T10:00:00.000Z");
    const [a] = await db().select().from(answers).where(eq(answers.id, answerId));
    expect(a).toMatchObject({ liveVersionId: versionId, openVersionId: null });
    expect(await db().select().from(searchOutbox).where(eq(searchOutbox.answerId, answerId))).toHaveLength(1);

    const page = await getAnswerPage(session(cast.agent), answerId);
    expect(page?.shown.certifiedByName).toBe(cast.km.displayName);
    expect(page?.history.map((h) => h.event)).toEqual(["CERTIFY", "APPROVE", "RESUBMIT", "REQUEST_CHANGES", "SUBMIT", "CREATE"]);
    expect(page?.history.find((h) => h.event === "REQUEST_CHANGES")?.comment).toBe("Say how long it takes.");
  });

  it("never lets authors approve or certify their own work", async () => {
    const cast = await workflowCast(db());
    const expertAuthor = await createExpert(db(), [cast.topic], { roles: ["expert", "employee"] });
    const { versionId } = await createDraft(db(), { actor: actor(expertAuthor), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await sendEvent(db(), { actor: actor(expertAuthor), versionId, revision: 1, event: { type: "SUBMIT" } });
    const own = await refusal(sendEvent(db(), { actor: actor(expertAuthor), versionId, revision: 1, event: { type: "APPROVE" } }));
    expect(own.status).toBe(403);

    const kmAuthor = await createUser(db(), { roles: ["knowledge_manager"] });
    const second = await createDraft(db(), { actor: actor(kmAuthor), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await sendEvent(db(), { actor: actor(kmAuthor), versionId: second.versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId: second.versionId, revision: 1, event: { type: "APPROVE" } });
    const certifyOwn = await refusal(
      sendEvent(db(), { actor: actor(kmAuthor), versionId: second.versionId, revision: 1, event: { type: "CERTIFY", ownerId: kmAuthor.id, reverifyIntervalDays: 10 } }),
    );
    expect(certifyOwn.status).toBe(403);
    expect((await version(second.versionId)).state).toBe("in_certification");
  });

  it("never lets one person both approve and certify a version (separation of duties)", async () => {
    const cast = await workflowCast(db());
    const both = await createExpert(db(), [cast.topic], { roles: ["expert", "knowledge_manager"] });
    const { versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(both), versionId, revision: 1, event: { type: "APPROVE" } });
    expect((await version(versionId)).state).toBe("in_certification");
    const alone = await refusal(
      sendEvent(db(), { actor: actor(both), versionId, revision: 1, event: { type: "CERTIFY", ownerId: both.id, reverifyIntervalDays: 30 } }),
    );
    expect(alone.status).toBe(403);
    expect(alone.message).toMatch(/approved this version as an expert/);
    expect((await version(versionId)).state).toBe("in_certification");
  });

  it("refuses approval by someone who is not an expert of the topic", async () => {
    const cast = await workflowCast(db());
    const outsider = await createExpert(db(), []);
    const { versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } });
    for (const who of [outsider, cast.agent, cast.km]) {
      const e = await refusal(sendEvent(db(), { actor: actor(who), versionId, revision: 1, event: { type: "APPROVE" } }));
      expect(e.status).toBe(403);
    }
    const [events] = await db().select({ n: count() }).from(answerEvents).where(eq(answerEvents.versionId, versionId));
    expect(events?.n).toBe(2);
  });

  it("never shows an agent a draft", async () => {
    const cast = await workflowCast(db());
    const { answerId, versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    expect(await getAnswerPage(session(cast.agent), answerId)).toBeNull();
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } });
    expect(await getAnswerPage(session(cast.agent), answerId)).toBeNull();
    expect(await getAnswerPage(session(cast.expert), answerId)).not.toBeNull();
    const other = await createUser(db());
    expect(await getAnswerPage(session(other), answerId)).toBeNull();
  });

  it("counts two reviewers approving at the same moment once each and reaches the quorum exactly once", async () => {
    const cast = await workflowCast(db(), { requiredApprovals: 2, experts: 2 });
    const { versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } });
    const results = await Promise.allSettled(
      cast.experts.map((e) => sendEvent(db(), { actor: actor(e), versionId, revision: 1, event: { type: "APPROVE" } })),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    const v = await version(versionId);
    expect(v.state).toBe("in_certification");
    const approvals = await db().select().from(answerEvents).where(and(eq(answerEvents.versionId, versionId), eq(answerEvents.event, "APPROVE")));
    expect(approvals).toHaveLength(2);
    expect(approvals.filter((e) => e.toState === "in_certification")).toHaveLength(1);
    const [kmNotes] = await db().select({ n: count() }).from(notifications).where(and(eq(notifications.userId, cast.km.id), eq(notifications.kind, "certification_requested")));
    expect(kmNotes?.n).toBe(1);
    // The same reviewer again does not count twice.
    const again = await refusal(sendEvent(db(), { actor: actor(cast.experts[0]!), versionId, revision: 1, event: { type: "APPROVE" } }));
    expect(again.status).toBe(409);
  });

  it("lets one of two concurrent edits win and refuses the other with 409, losing nothing", async () => {
    const cast = await workflowCast(db());
    const { versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    const texts = ["First tab's text", "Second tab's text"];
    const results = await Promise.allSettled(
      texts.map((t) => saveDraft(db(), { actor: actor(cast.author), versionId, lockVersion: 1, draft: draftInput({ topicIds: [cast.topic.id], shortAnswer: t }) })),
    );
    const won = results.findIndex((r) => r.status === "fulfilled");
    const lost = results.findIndex((r) => r.status === "rejected");
    expect(won).toBeGreaterThanOrEqual(0);
    expect(lost).toBeGreaterThanOrEqual(0);
    const error = (results[lost] as PromiseRejectedResult).reason as DomainError;
    expect(error.status).toBe(409);
    expect(error.message).toContain("changed since you opened it");
    expect((await version(versionId)).shortAnswer).toBe(texts[won]);
  });

  it("refuses hostile or malformed rich text and writes nothing", async () => {
    const cast = await workflowCast(db());
    const [before] = await db().select({ n: count() }).from(answerVersions);
    const hostile = [
      { type: "doc", content: [{ type: "script", content: [{ type: "text", text: "alert(1)" }] }] },
      { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] }] },
      { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "a".repeat(5 * 1024 * 1024) }] }] },
      { type: "doc", content: [{ type: "paragraph", attrs: { onclick: "alert(1)" }, content: [{ type: "text", text: "x" }] }] },
      "not a document",
    ];
    for (const body of hostile) {
      const e = await refusal(createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id], body }) }));
      expect(e.status).toBe(400);
      expect(e.details.field).toBe("body");
    }
    const [after] = await db().select({ n: count() }).from(answerVersions);
    expect(after?.n).toBe(before?.n);

    // Markup typed as text is kept as text and rendered escaped.
    const { versionId } = await createDraft(db(), {
      actor: actor(cast.author),
      draft: draftInput({ topicIds: [cast.topic.id], body: doc("<script>alert(1)</script>") }),
    });
    expect((await version(versionId)).bodyHtml).toContain("&lt;script&gt;");
  });

  it("refuses a decision on content that changed since the reviewer opened it", async () => {
    const cast = await workflowCast(db());
    const { versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await saveDraft(db(), { actor: actor(cast.author), versionId, lockVersion: 1, draft: draftInput({ topicIds: [cast.topic.id], shortAnswer: "new" }) });
    const stale = await refusal(sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } }));
    expect(stale.status).toBe(409);
    expect(stale.message).toBe("This answer changed since you opened it — reload to see the latest version.");
  });

  it("keeps the certified version live while a revision is reviewed, then supersedes it", async () => {
    const cast = await workflowCast(db());
    const { answerId, versionId: v1 } = await certifiedAnswer(db(), cast);
    const { versionId: v2 } = await reviseAnswer(db(), { actor: actor(cast.author), answerId });
    const other = await createUser(db());
    const busy = await refusal(reviseAnswer(db(), { actor: actor(other), answerId }));
    expect(busy.status).toBe(409);
    await saveDraft(db(), { actor: actor(cast.author), versionId: v2, lockVersion: 1, draft: draftInput({ topicIds: [cast.topic.id], shortAnswer: "Five working days." }) });
    await sendEvent(db(), { actor: actor(cast.author), versionId: v2, revision: 2, event: { type: "SUBMIT" } });
    const during = await getAnswerPage(session(cast.agent), answerId);
    expect(during?.shown.id).toBe(v1);
    expect(during?.open).toBeNull();
    await sendEvent(db(), { actor: actor(cast.expert), versionId: v2, revision: 2, event: { type: "APPROVE" } });
    await sendEvent(db(), { actor: actor(cast.km), versionId: v2, revision: 2, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 } });
    expect((await version(v1)).state).toBe("superseded");
    const after = await getAnswerPage(session(cast.agent), answerId);
    expect(after?.shown).toMatchObject({ id: v2, number: 2, shortAnswer: "Five working days." });
    const old = await getAnswerPage(session(cast.author), answerId, 1);
    expect(old?.shown.state).toBe("superseded");
  });

  it("sends answers past their date to re-verification, and back", async () => {
    const cast = await workflowCast(db());
    const t0 = new Date("2026-03-01T00:00:00Z");
    const { answerId, versionId } = await certifiedAnswer(db(), cast, {}, t0);
    await runReverification(db(), new Date("2026-03-20T00:00:00Z"));
    expect((await version(versionId)).state).toBe("certified");
    expect(await runReverification(db(), new Date("2026-04-01T00:00:00Z"))).toBeGreaterThanOrEqual(1);
    expect((await version(versionId)).state).toBe("reverification_due");
    // Running again finds nothing left to move.
    expect(await runReverification(db(), new Date("2026-04-01T00:00:00Z"))).toBe(0);
    const [note] = await db().select().from(notifications).where(and(eq(notifications.userId, cast.author.id), eq(notifications.kind, "reverification_due")));
    expect(note?.link).toBe(`/answers/${answerId}`);
    expect((await getAnswerPage(session(cast.agent), answerId))?.shown.state).toBe("reverification_due");

    await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 1, event: { type: "REVERIFY" }, now: new Date("2026-04-02T00:00:00Z") });
    const v = await version(versionId);
    expect(v.state).toBe("certified");
    expect(v.reverifyAt?.toISOString()).toBe("2026-05-02T00:00:00.000Z");

    const noReason = await refusal(sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "ARCHIVE", reason: "" } }));
    expect(noReason.status).toBe(400);
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "ARCHIVE", reason: "Product discontinued" } });
    expect(await getAnswerPage(session(cast.agent), answerId)).toBeNull();
    const ops = await db().select({ op: searchOutbox.op }).from(searchOutbox).where(eq(searchOutbox.answerId, answerId)).orderBy(searchOutbox.seq);
    expect(ops.map((o) => o.op)).toEqual(["upsert", "upsert", "upsert", "remove"]);
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "RESTORE" } });
    expect((await version(versionId)).state).toBe("certified");
  });

  it("refuses a snapshot from an unknown machine version with a clear error", async () => {
    const cast = await workflowCast(db());
    const { versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await db().update(answerVersions).set({ machineVersion: 999 }).where(eq(answerVersions.id, versionId));
    const e = await refusal(sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } }));
    expect(e.status).toBe(422);
    expect((await version(versionId)).state).toBe("draft");
  });
});
