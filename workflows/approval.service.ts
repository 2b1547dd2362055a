import { and, asc, eq, inArray, lte, sql } from "drizzle-orm";
import type { Role } from "../app/auth/policy";
import { can } from "../app/auth/policy";
import { renderDocument, validateDocument } from "../app/editor/document.server";
import { DraftSchema, type DraftInput } from "../app/models/answer.schema";
import { refreshFaqSlug } from "../app/models/faq-slugs.server";
import { notify, resolveNotifications } from "../app/notifications/notify.server";
import { closeFlagsFixedBy, reopenFlagsOf } from "../app/models/feedback-loop.server";
import { creditCertified, creditReview } from "../app/models/expertise.server";
import { DomainError } from "../app/utils/errors";
import type { Db, Tx } from "../db/client.server";
import {
  answerRequestAskers,
  answerRequests,
  answerEvents,
  answers,
  answerVersions,
  expertise,
  searchOutbox,
  topics,
  users,
  type AnswerOrigin,
  type AnswerVersion,
} from "../db/schema";
import {
  decide,
  initialSnapshot,
  MACHINE_VERSION,
  persistSnapshot,
  restoreSnapshot,
  SnapshotVersionError,
  type ApprovalEvent,
} from "./approval.machine";

/** Who is acting; the service looks up their topic expertise itself. */
export interface Actor {
  id: string;
  roles: Role[];
}

export const SYSTEM_ACTOR = { id: "system", roles: [] as Role[], expertTopicIds: [] as string[] };

/** Events a person sends (the system sends REVERIFICATION_DUE and SUPERSEDE itself). */
export type UserEvent =
  | { type: "SUBMIT" }
  | { type: "RESUBMIT" }
  | { type: "WITHDRAW" }
  | { type: "APPROVE"; comment?: string }
  | { type: "REQUEST_CHANGES"; comment: string }
  | { type: "REJECT"; reason: string; duplicateOf?: string }
  | { type: "CERTIFY"; ownerId: string; reverifyIntervalDays: number }
  | { type: "REVERIFY"; comment?: string }
  | { type: "ARCHIVE"; reason: string }
  | { type: "RESTORE" };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STALE = "This answer changed since you opened it — reload to see the latest version.";

async function expertTopicIds(tx: Tx, userId: string): Promise<string[]> {
  const rows = await tx.select({ topicId: expertise.topicId }).from(expertise).where(eq(expertise.userId, userId));
  return rows.map((r) => r.topicId);
}

/** Checks a draft's fields and renders its rich text; throws field errors as a DomainError. */
async function prepareContent(tx: Tx, raw: unknown) {
  const parsed = DraftSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    throw new DomainError("bad_request", first.message, { field: String(first.path[0] ?? "form"), issues: parsed.error.issues });
  }
  return prepareParsedContent(tx, parsed.data);
}

async function prepareParsedContent(tx: Tx, input: DraftInput) {
  const doc = validateDocument(input.body);
  if (!doc.ok) throw new DomainError("bad_request", doc.message, { field: "body" });
  const { html, text } = renderDocument(doc.doc);
  const topicRows = input.topicIds.length
    ? await tx.select({ id: topics.id, requiredApprovals: topics.requiredApprovals }).from(topics).where(inArray(topics.id, input.topicIds))
    : [];
  if (topicRows.length !== new Set(input.topicIds).size) throw new DomainError("bad_request", "Choose topics from the list.", { field: "topicIds" });
  const requiredApprovals = Math.max(1, ...topicRows.map((t) => t.requiredApprovals));
  return {
    values: {
      question: input.question,
      alternatives: input.alternatives,
      shortAnswer: input.shortAnswer,
      body: doc.doc,
      bodyHtml: html,
      bodyText: text,
      topicIds: [...new Set(input.topicIds)],
      tags: [...new Set(input.tags)],
      audience: input.audience,
    },
    requiredApprovals,
  };
}

/**
 * What a version still needs before experts can review it, as [field, message] pairs: the draft
 * page lists them before the author tries, and SUBMIT refuses with them.
 */
export function missingForReview(v: Pick<AnswerVersion, "topicIds" | "shortAnswer" | "bodyText">): [string, string][] {
  const missing: [string, string][] = [];
  if (v.topicIds.length === 0) missing.push(["topicIds", "Choose the answer's topic before submitting it."]);
  if (!v.shortAnswer.trim()) missing.push(["shortAnswer", "Write the short answer before submitting it."]);
  if (!v.bodyText.trim()) missing.push(["body", "Write the full answer before submitting it."]);
  return missing;
}

function assertReadyForReview(v: AnswerVersion): void {
  const missing = missingForReview(v);
  if (missing.length > 0) throw new DomainError("bad_request", missing[0]![1], { field: missing[0]![0], missing });
}


/** Starts a new answer with its first draft version. */
export async function createDraft(
  db: Db,
  input: { actor: Actor; draft: unknown; now?: Date; origin?: AnswerOrigin; externalId?: string },
): Promise<{ answerId: string; versionId: string }> {
  if (!can(input.actor.roles, "answer.draft")) throw new DomainError("forbidden", "Your role cannot write answers.");
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const { values, requiredApprovals } = await prepareContent(tx, input.draft);
    const [answer] = await tx
      .insert(answers)
      .values({ createdBy: input.actor.id, origin: input.origin, externalId: input.externalId, createdAt: now, updatedAt: now })
      .returning({ id: answers.id });
    const snapshot = initialSnapshot({ authorId: input.actor.id, topicIds: values.topicIds, requiredApprovals });
    const [version] = await tx
      .insert(answerVersions)
      .values({
        ...values,
        answerId: answer!.id,
        number: 1,
        authorId: input.actor.id,
        state: String(snapshot.value),
        snapshot: persistSnapshot(snapshot).snapshot,
        machineVersion: MACHINE_VERSION,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: answerVersions.id });
    await tx.update(answers).set({ openVersionId: version!.id }).where(eq(answers.id, answer!.id));
    await tx.insert(answerEvents).values({
      answerId: answer!.id,
      versionId: version!.id,
      at: now,
      actorId: input.actor.id,
      event: "CREATE",
      fromState: null,
      toState: "draft",
      data: input.origin ? { origin: input.origin } : {},
    });
    return { answerId: answer!.id, versionId: version!.id };
  });
}

/** Starts a revision of a certified answer: a new draft version while the live one stays live. */
export async function reviseAnswer(db: Db, input: { actor: Actor; answerId: string; now?: Date }): Promise<{ versionId: string }> {
  return db.transaction((tx) => reviseAnswerIn(tx, input));
}

/** reviseAnswer inside the caller's transaction (a flag's "start a revision" links the two). */
export async function reviseAnswerIn(tx: Tx, input: { actor: Actor; answerId: string; now?: Date }): Promise<{ versionId: string }> {
  if (!can(input.actor.roles, "answer.draft")) throw new DomainError("forbidden", "Your role cannot write answers.");
  const now = input.now ?? new Date();
  {
    const [answer] = await tx.select().from(answers).where(eq(answers.id, input.answerId)).for("update");
    if (!answer) throw new DomainError("not_found", "No such answer.");
    if (answer.openVersionId) {
      const [open] = await tx
        .select({ authorId: answerVersions.authorId, name: users.displayName })
        .from(answerVersions)
        .innerJoin(users, eq(users.id, answerVersions.authorId))
        .where(eq(answerVersions.id, answer.openVersionId));
      if (open?.authorId === input.actor.id) return { versionId: answer.openVersionId };
      throw new DomainError("conflict", `${open?.name ?? "Someone"} is already revising this answer; improve their draft instead of starting another.`);
    }
    if (!answer.liveVersionId) throw new DomainError("conflict", "This answer has no certified version to revise.");
    const [live] = await tx.select().from(answerVersions).where(eq(answerVersions.id, answer.liveVersionId));
    if (!live) throw new DomainError("not_found", "No such answer.");
    const [{ next } = { next: 1 }] = await tx
      .select({ next: sql<number>`coalesce(max(${answerVersions.number}), 0)::int + 1` })
      .from(answerVersions)
      .where(eq(answerVersions.answerId, answer.id));
    const topicRows = live.topicIds.length
      ? await tx.select({ requiredApprovals: topics.requiredApprovals }).from(topics).where(inArray(topics.id, live.topicIds))
      : [];
    const snapshot = initialSnapshot({
      authorId: input.actor.id,
      topicIds: live.topicIds,
      requiredApprovals: Math.max(1, ...topicRows.map((t) => t.requiredApprovals)),
    });
    const [version] = await tx
      .insert(answerVersions)
      .values({
        answerId: answer.id,
        number: next,
        authorId: input.actor.id,
        basedOnVersionId: live.id,
        question: live.question,
        alternatives: live.alternatives,
        shortAnswer: live.shortAnswer,
        body: live.body,
        bodyHtml: live.bodyHtml,
        bodyText: live.bodyText,
        topicIds: live.topicIds,
        tags: live.tags,
        audience: live.audience,
        state: String(snapshot.value),
        snapshot: persistSnapshot(snapshot).snapshot,
        machineVersion: MACHINE_VERSION,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: answerVersions.id });
    await tx.update(answers).set({ openVersionId: version!.id, updatedAt: now }).where(eq(answers.id, answer.id));
    await tx.insert(answerEvents).values({
      answerId: answer.id,
      versionId: version!.id,
      at: now,
      actorId: input.actor.id,
      event: "REVISE",
      fromState: null,
      toState: "draft",
      data: { basedOn: live.number },
    });
    return { versionId: version!.id };
  }
}

/**
 * Saves the author's edits to a draft (or a version sent back for changes). `lockVersion` is the
 * one the editor loaded: if anything was written since, the save is refused with 409 and the
 * caller keeps its text, so nothing is lost.
 */
export async function saveDraft(
  db: Db,
  input: { actor: Actor; versionId: string; lockVersion: number; draft: unknown; now?: Date },
): Promise<{ lockVersion: number; revision: number }> {
  const now = input.now ?? new Date();
  return db.transaction(async (tx) => {
    const [v] = await tx.select().from(answerVersions).where(eq(answerVersions.id, input.versionId)).for("update");
    if (!v) throw new DomainError("not_found", "No such draft.");
    if (v.authorId !== input.actor.id) throw new DomainError("forbidden", "Only the author edits a draft; suggest changes in a review comment instead.");
    if (v.lockVersion !== input.lockVersion) throw new DomainError("conflict", STALE, { current: v.lockVersion });
    if (v.state !== "draft" && v.state !== "changes_requested") {
      throw new DomainError("conflict", "This version is no longer a draft: withdraw it or wait for the review to edit it.");
    }
    const { values, requiredApprovals } = await prepareContent(tx, input.draft);
    const snapshot = restoreSnapshot({ machineVersion: v.machineVersion, snapshot: v.snapshot });
    const decided = decide(snapshot, {
      type: "EDIT",
      actor: { ...input.actor, expertTopicIds: [] },
      at: now.toISOString(),
      topicIds: values.topicIds,
      requiredApprovals,
    } as ApprovalEvent);
    if (!decided.ok) throw new DomainError(decided.code === "forbidden" ? "forbidden" : "conflict", decided.reason);
    const [updated] = await tx
      .update(answerVersions)
      .set({
        ...values,
        snapshot: persistSnapshot(decided.snapshot).snapshot,
        lockVersion: v.lockVersion + 1,
        revision: v.revision + 1,
        updatedAt: now,
      })
      .where(and(eq(answerVersions.id, v.id), eq(answerVersions.lockVersion, v.lockVersion)))
      .returning({ lockVersion: answerVersions.lockVersion, revision: answerVersions.revision });
    if (!updated) throw new DomainError("conflict", STALE);
    await tx.update(answers).set({ updatedAt: now }).where(eq(answers.id, v.answerId));
    return updated;
  });
}

export interface TransitionResult {
  versionId: string;
  answerId: string;
  from: string;
  to: string;
  lockVersion: number;
}

/**
 * Sends one workflow event for a version, in one transaction: lock the row, check the content
 * is what the sender saw (`revision`), let the machine decide, then persist the snapshot, the
 * state column, the audit event, notifications and — when what agents can find changes — an
 * outbox row for the search index. Concurrent decisions on the same content serialise on the
 * row lock, so two approvals both count and a quorum is reached exactly once.
 */
export async function sendEvent(
  db: Db,
  input: { actor: Actor; versionId: string; revision: number; event: UserEvent; now?: Date; answerId?: string },
): Promise<TransitionResult> {
  const now = input.now ?? new Date();
  if (!UUID.test(input.versionId)) throw new DomainError("not_found", "No such answer version.");
  return db.transaction(async (tx) => {
    const [v] = await tx.select().from(answerVersions).where(eq(answerVersions.id, input.versionId)).for("update");
    if (!v || (input.answerId && v.answerId !== input.answerId)) throw new DomainError("not_found", "No such answer version.");
    if (v.revision !== input.revision) throw new DomainError("conflict", STALE, { current: v.revision });
    if (input.event.type === "SUBMIT" || input.event.type === "RESUBMIT") assertReadyForReview(v);
    if (input.event.type === "CERTIFY") {
      const [owner] = await tx.select({ active: users.active }).from(users).where(eq(users.id, input.event.ownerId));
      if (!owner?.active) throw new DomainError("bad_request", "Choose an active user as the owner.", { field: "ownerId" });
    }
    const actor = { ...input.actor, expertTopicIds: await expertTopicIds(tx, input.actor.id) };
    return applyEvent(tx, v, { ...input.event, actor, at: now.toISOString() } as ApprovalEvent, now, input.actor.id);
  });
}

async function applyEvent(tx: Tx, v: AnswerVersion, event: ApprovalEvent, now: Date, actorId: string | null): Promise<TransitionResult> {
  let snapshot;
  try {
    snapshot = restoreSnapshot({ machineVersion: v.machineVersion, snapshot: v.snapshot });
  } catch (error) {
    if (error instanceof SnapshotVersionError) throw new DomainError("unprocessable", `This version's workflow state cannot be read: ${error.message}`);
    throw error;
  }
  const decided = decide(snapshot, event);
  if (!decided.ok) {
    const code = decided.code === "forbidden" ? "forbidden" : decided.code === "bad_request" ? "bad_request" : "conflict";
    const field = event.type === "REQUEST_CHANGES" ? "comment" : event.type === "REJECT" || event.type === "ARCHIVE" ? "reason" : undefined;
    throw new DomainError(code, decided.reason, field && code === "bad_request" ? { field } : {});
  }
  const next = decided.snapshot;
  const ctx = next.context;
  const from = v.state;
  const to = String(next.value);
  const [updated] = await tx
    .update(answerVersions)
    .set({
      state: to,
      snapshot: persistSnapshot(next).snapshot,
      machineVersion: MACHINE_VERSION,
      lockVersion: v.lockVersion + 1,
      updatedAt: now,
      submittedAt: event.type === "SUBMIT" || event.type === "RESUBMIT" ? now : v.submittedAt,
      ownerId: ctx.ownerId ?? v.ownerId,
      certifiedBy: ctx.certifiedBy ?? v.certifiedBy,
      certifiedAt: ctx.certifiedAt ? new Date(ctx.certifiedAt) : v.certifiedAt,
      reverifyAt: ctx.reverifyAt ? new Date(ctx.reverifyAt) : v.reverifyAt,
    })
    .where(eq(answerVersions.id, v.id))
    .returning({ lockVersion: answerVersions.lockVersion });
  const e = event as ApprovalEvent & { comment?: string; reason?: string; duplicateOf?: string; ownerId?: string; reverifyIntervalDays?: number };
  await tx.insert(answerEvents).values({
    answerId: v.answerId,
    versionId: v.id,
    at: now,
    actorId,
    event: event.type,
    fromState: from,
    toState: to,
    comment: e.comment ?? e.reason ?? null,
    data: {
      ...(e.duplicateOf ? { duplicateOf: e.duplicateOf } : {}),
      ...(e.ownerId ? { ownerId: e.ownerId } : {}),
      ...(e.reverifyIntervalDays ? { reverifyIntervalDays: e.reverifyIntervalDays } : {}),
      ...(event.type === "FEEDBACK_REVERIFY"
        ? { distinctFlaggers: event.distinctFlaggers, threshold: event.threshold, expertIncorrect: event.expertIncorrect }
        : {}),
      ...(event.type === "APPROVE" ? { approvals: ctx.approvals.length, required: ctx.requiredApprovals } : {}),
      // What the reviewer decided on, so their next visit can show what changed since.
      ...(DECISIONS.has(event.type)
        ? { seen: { question: v.question, alternatives: v.alternatives, shortAnswer: v.shortAnswer, bodyText: v.bodyText, body: v.body } }
        : {}),
    },
  });
  await applyEffects(tx, v, from, to, event, now);
  return { versionId: v.id, answerId: v.answerId, from, to, lockVersion: updated!.lockVersion };
}

const DECISIONS = new Set(["APPROVE", "REQUEST_CHANGES", "REJECT", "CERTIFY"]);

const LIVE_STATES = new Set(["certified", "reverification_due"]);

/** Inbox items that asked for this step are done once the step is taken, by anyone. */
async function resolveStaleInboxItems(tx: Tx, v: AnswerVersion, from: string, to: string, event: ApprovalEvent, now: Date) {
  const link = `/answers/${v.answerId}`;
  if (event.type === "APPROVE" && to === "in_review") {
    // This expert has reviewed it; the others are still asked.
    await resolveNotifications(tx, { kinds: ["review_requested"], link: `${link}/review`, userIds: [event.actor.id] }, "You approved it.", now);
  }
  if (from === "in_review" && to !== "in_review") {
    await resolveNotifications(tx, { kinds: ["review_requested"], link: `${link}/review` }, "The review was decided.", now);
  }
  if (from === "in_certification" && to !== "in_certification") {
    await resolveNotifications(tx, { kinds: ["certification_requested"], link }, to === "certified" ? "It was certified." : "It was sent back.", now);
  }
  if (from === "reverification_due" && to !== "reverification_due") {
    await resolveNotifications(tx, { kinds: ["reverification_due"], link }, to === "certified" ? "It was re-verified." : "It is no longer due.", now);
  }
}

/** What a transition changes beyond the version itself: the answer's pointers, the index, inboxes. */
async function applyEffects(tx: Tx, v: AnswerVersion, from: string, to: string, event: ApprovalEvent, now: Date) {
  const link = `/answers/${v.answerId}`;
  const title = v.question;
  await resolveStaleInboxItems(tx, v, from, to, event, now);
  if (from === to && event.type !== "REVERIFY") {
    return;
  }
  if (to === "in_review" && from !== "in_review") {
    const experts = await tx
      .select({ userId: expertise.userId })
      .from(expertise)
      .innerJoin(users, eq(users.id, expertise.userId))
      .where(and(inArray(expertise.topicId, v.topicIds.length ? v.topicIds : ["00000000-0000-0000-0000-000000000000"]), eq(users.active, true)));
    await notify(
      tx,
      experts.map((x) => x.userId).filter((id) => id !== v.authorId),
      { kind: "review_requested", title: `Review requested: ${title}`, link: `${link}/review`, at: now },
    );
  }
  if (to === "in_certification") {
    const kms = await tx.select({ id: users.id }).from(users).where(and(eq(users.active, true), sql`'knowledge_manager' = any(${users.roles})`));
    await notify(tx, kms.map((k) => k.id).filter((id) => id !== v.authorId), { kind: "certification_requested", title: `Ready to certify: ${title}`, link, at: now });
  }
  if (to === "changes_requested" || to === "rejected" || (to === "certified" && event.type === "CERTIFY")) {
    const kind = to === "changes_requested" ? "changes_requested" : to === "rejected" ? "rejected" : "certified";
    const verb = to === "changes_requested" ? "Changes requested" : to === "rejected" ? "Rejected" : "Certified";
    await notify(tx, [v.authorId], { kind, title: `${verb}: ${title}`, link, at: now });
  }
  if (to === "reverification_due" && v.ownerId) {
    await notify(tx, [v.ownerId], { kind: "reverification_due", title: `Re-verification due: ${title}`, link, at: now });
  }

  // The answer's pointers: one live version, one open version at a time.
  if (to === "certified" && event.type === "CERTIFY") {
    const [answer] = await tx.select().from(answers).where(eq(answers.id, v.answerId)).for("update");
    if (answer?.liveVersionId && answer.liveVersionId !== v.id) {
      const [old] = await tx.select().from(answerVersions).where(eq(answerVersions.id, answer.liveVersionId)).for("update");
      if (old && !["superseded", "rejected", "withdrawn"].includes(old.state)) {
        await applyEvent(tx, old, { type: "SUPERSEDE", actor: SYSTEM_ACTOR, at: now.toISOString() } as ApprovalEvent, now, null);
      }
    }
    await tx.update(answers).set({ liveVersionId: v.id, openVersionId: null, updatedAt: now }).where(eq(answers.id, v.answerId));
    // The closed loop: everyone who asked for this answer hears that it exists now.
    const answered = await tx
      .update(answerRequests)
      .set({ status: "answered", answeredAt: now })
      .where(and(eq(answerRequests.answerId, v.answerId), inArray(answerRequests.status, ["open", "drafting"])))
      .returning({ id: answerRequests.id });
    if (answered.length > 0) {
      const askers = await tx
        .select({ userId: answerRequestAskers.userId })
        .from(answerRequestAskers)
        .where(inArray(answerRequestAskers.requestId, answered.map((r) => r.id)));
      await notify(tx, askers.map((a) => a.userId), { kind: "request_answered", title: `The answer you asked for is certified: ${title}`, link, at: now });
    }
  }
  if (to === "certified" && event.type === "CERTIFY") {
    await closeFlagsFixedBy(tx, v, event.actor.id, now);
    await creditCertified(tx, v, event.actor.id, now);
  }
  if (event.type === "APPROVE") await creditReview(tx, v, event.actor.id, now);
  if (to === "rejected" || to === "withdrawn") await reopenFlagsOf(tx, v);
  if (to === "rejected" || to === "withdrawn") {
    await tx
      .update(answers)
      .set({ openVersionId: null, updatedAt: now })
      .where(and(eq(answers.id, v.answerId), eq(answers.openVersionId, v.id)));
  }

  // Search: what agents can find changed.
  const wasLive = LIVE_STATES.has(from);
  const isLive = LIVE_STATES.has(to);
  if (isLive) {
    await tx.insert(searchOutbox).values({ answerId: v.answerId, op: "upsert", createdAt: now, nextAttemptAt: now });
    // The public FAQ address follows the live question (old addresses become redirects).
    await refreshFaqSlug(tx, v.answerId);
  } else if (wasLive && (to === "archived")) {
    await tx.insert(searchOutbox).values({ answerId: v.answerId, op: "remove", createdAt: now, nextAttemptAt: now });
  }
}

/**
 * Readers' flags crossed the line: the live version goes to re-verification due through the
 * machine (its guard re-checks the figures). Returns whether it moved; a version no longer
 * certified, or figures below the threshold, leave it as it is.
 */
export async function markDueFromFeedback(
  tx: Tx,
  versionId: string,
  figures: { distinctFlaggers: number; threshold: number; expertIncorrect: boolean },
  now: Date,
): Promise<boolean> {
  const [v] = await tx.select().from(answerVersions).where(eq(answerVersions.id, versionId)).for("update");
  if (!v || v.state !== "certified") return false;
  const event = { type: "FEEDBACK_REVERIFY", actor: SYSTEM_ACTOR, at: now.toISOString(), ...figures } as ApprovalEvent;
  if (!decide(restoreSnapshot({ machineVersion: v.machineVersion, snapshot: v.snapshot }), event).ok) return false;
  await applyEvent(tx, v, event, now, null);
  return true;
}

/**
 * Moves every certified version past its re-verification date to "re-verification due" (the
 * owner is told); run by `npm run jobs:reverify` and on a timer by the server. Returns how many.
 */
export async function runReverification(db: Db, now = new Date(), batch = 200): Promise<number> {
  let total = 0;
  for (;;) {
    const due = await db
      .select({ id: answerVersions.id })
      .from(answerVersions)
      .where(and(eq(answerVersions.state, "certified"), lte(answerVersions.reverifyAt, now)))
      .orderBy(asc(answerVersions.reverifyAt))
      .limit(batch);
    if (due.length === 0) return total;
    for (const { id } of due) {
      await db.transaction(async (tx) => {
        const [v] = await tx.select().from(answerVersions).where(eq(answerVersions.id, id)).for("update");
        // Re-checked under the lock: someone may have re-verified or archived it meanwhile.
        if (!v || v.state !== "certified" || !v.reverifyAt || v.reverifyAt > now) return;
        await applyEvent(tx, v, { type: "REVERIFICATION_DUE", actor: SYSTEM_ACTOR, at: now.toISOString() } as ApprovalEvent, now, null);
        total++;
      });
    }
    if (due.length < batch) return total;
  }
}
