import { and, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { answers, answerVersions, expertise, learnedPhrasings, PHRASING_STATUSES, searchOutbox, type PhrasingStatus } from "../../db/schema";
import { reviseAnswerIn } from "../../workflows/approval.service";
import { can } from "../auth/policy";
import type { SessionUser } from "../auth/session.server";
import { recordAudit } from "../models/audit.server";
import { DomainError } from "../utils/errors";
import { learningSettings } from "./learn.server";

/**
 * Knowledge managers (and admins; experts for the answers in their topics) review what search
 * learned: **promote** a phrasing to an official "also asked as" — a new draft version of the
 * answer with the phrasing among its alternatives, which then goes through review and
 * certification like any edit (the certified version is not touched) — or **reject** it: out of
 * the index at once, and never learned again.
 */

export const PhrasingDecisionSchema = z.object({
  intent: z.enum(["promote", "reject"], { message: "Choose promote or reject" }),
  phrasingId: z.uuid("Unknown phrasing"),
});

export const PhrasingListSchema = z.object({
  status: z.enum(PHRASING_STATUSES, { message: "Unknown status" }).default("learned"),
});

export function mayReviewPhrasings(user: Pick<SessionUser, "roles">): boolean {
  return can(user.roles, "phrasings.review") || can(user.roles, "phrasings.topics");
}

/** null: every answer; else the topics whose answers this person reviews phrasings of. */
async function reviewScope(user: SessionUser, db: DbOrTx): Promise<string[] | null> {
  if (can(user.roles, "phrasings.review")) return null;
  if (!can(user.roles, "phrasings.topics")) throw new DomainError("forbidden", "Your role does not review learned phrasings.");
  const rows = await db.select({ topicId: expertise.topicId }).from(expertise).where(eq(expertise.userId, user.id));
  return rows.map((r) => r.topicId);
}

export interface PhrasingRow {
  id: string;
  answerId: string;
  question: string | null;
  phrasing: string;
  agents: number;
  conversations: number;
  status: PhrasingStatus;
  active: boolean;
  firstSeenAt: Date;
  lastSeenAt: Date;
}

const COLUMNS = {
  id: learnedPhrasings.id,
  answerId: learnedPhrasings.answerId,
  question: answerVersions.question,
  phrasing: learnedPhrasings.phrasing,
  agents: learnedPhrasings.agents,
  conversations: learnedPhrasings.conversations,
  status: learnedPhrasings.status,
  active: learnedPhrasings.active,
  firstSeenAt: learnedPhrasings.firstSeenAt,
  lastSeenAt: learnedPhrasings.lastSeenAt,
};

function inScope(scope: string[] | null) {
  if (scope === null) return undefined;
  if (scope.length === 0) return sql`false`;
  return sql`${answerVersions.topicIds} && array(select jsonb_array_elements_text(${JSON.stringify(scope)}::jsonb))::uuid[]`;
}

/** Phrasings with their answer's live question, limited to what the reviewer may see. */
function phrasingsWhere(scope: string[] | null, where: SQL | undefined, db: DbOrTx) {
  return db
    .select(COLUMNS)
    .from(learnedPhrasings)
    .innerJoin(answers, eq(answers.id, learnedPhrasings.answerId))
    .leftJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
    .where(and(where, inScope(scope)))
    .$dynamic();
}

/** The review list: phrasings of one status, most-taught first. */
export async function listPhrasings(user: SessionUser, options: { status?: PhrasingStatus; limit?: number } = {}, db: DbOrTx = getDb()): Promise<PhrasingRow[]> {
  return phrasingsWhere(await reviewScope(user, db), eq(learnedPhrasings.status, options.status ?? "learned"), db)
    .orderBy(desc(learnedPhrasings.active), desc(learnedPhrasings.agents), desc(learnedPhrasings.lastSeenAt), learnedPhrasings.id)
    .limit(options.limit ?? 200);
}

/** One answer's learned and promoted phrasings, for its page; [] for those who do not review them. */
export async function phrasingsOfAnswer(user: SessionUser, answerId: string, db: DbOrTx = getDb()): Promise<PhrasingRow[]> {
  if (!mayReviewPhrasings(user)) return [];
  return phrasingsWhere(await reviewScope(user, db), and(eq(learnedPhrasings.answerId, answerId), inArray(learnedPhrasings.status, ["learned", "promoted"])), db)
    .orderBy(desc(learnedPhrasings.active), desc(learnedPhrasings.agents), learnedPhrasings.phrasing)
    .limit(100);
}

export function minAgentsToLearn(): number {
  return learningSettings().minAgents;
}

/** Promotes or rejects one phrasing; returns where to go next (the new draft, for a promotion). */
export async function decidePhrasing(
  user: SessionUser,
  input: z.infer<typeof PhrasingDecisionSchema>,
  options: { now?: Date } = {},
  db: Db = getDb(),
): Promise<{ status: PhrasingStatus; answerId: string; versionId?: string }> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const scope = await reviewScope(user, tx);
    const [p] = await tx
      .select({ id: learnedPhrasings.id, answerId: learnedPhrasings.answerId, phrasing: learnedPhrasings.phrasing, status: learnedPhrasings.status, active: learnedPhrasings.active, topicIds: answerVersions.topicIds })
      .from(learnedPhrasings)
      .innerJoin(answers, eq(answers.id, learnedPhrasings.answerId))
      .leftJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
      .where(eq(learnedPhrasings.id, input.phrasingId))
      .for("update", { of: learnedPhrasings });
    if (!p) throw new DomainError("not_found", "No such learned phrasing.");
    if (scope !== null && !(p.topicIds ?? []).some((t) => scope.includes(t))) throw new DomainError("forbidden", "This answer is outside the topics you review.");
    if (p.status !== "learned") throw new DomainError("conflict", `This phrasing was already ${p.status}.`);

    let versionId: string | undefined;
    if (input.intent === "reject") {
      await tx.update(learnedPhrasings).set({ status: "rejected", active: false, decidedBy: user.id, decidedAt: now }).where(eq(learnedPhrasings.id, p.id));
      // Out of the index now, not when the answer next changes.
      if (p.active) await tx.insert(searchOutbox).values({ answerId: p.answerId, op: "upsert", createdAt: now, nextAttemptAt: now });
    } else {
      // An edit like any other: the person's open draft of the answer, or a new one based on the live version.
      ({ versionId } = await reviseAnswerIn(tx, { actor: { id: user.id, roles: user.roles }, answerId: p.answerId, now }));
      const [v] = await tx.select().from(answerVersions).where(eq(answerVersions.id, versionId)).for("update");
      if (!v || (v.state !== "draft" && v.state !== "changes_requested")) {
        throw new DomainError("conflict", "Your revision of this answer is in review; add the phrasing after the review, or withdraw it first.");
      }
      const known = [v.question, ...v.alternatives].map((a) => a.trim().toLowerCase());
      if (!known.includes(p.phrasing)) {
        if (v.alternatives.length >= 20) throw new DomainError("conflict", "The answer already has 20 phrasings; remove one in the draft first.");
        await tx
          .update(answerVersions)
          .set({ alternatives: [...v.alternatives, p.phrasing], lockVersion: v.lockVersion + 1, revision: v.revision + 1, updatedAt: now })
          .where(eq(answerVersions.id, v.id));
      }
      // Stays indexed as learned until the edit is certified (documents skip it once it is an alternative).
      await tx.update(learnedPhrasings).set({ status: "promoted", decidedBy: user.id, decidedAt: now }).where(eq(learnedPhrasings.id, p.id));
    }
    await recordAudit(tx, {
      actorId: user.id,
      action: `phrasing.${input.intent}`,
      subjectType: "answer",
      subjectId: p.answerId,
      data: { phrasingId: p.id, phrasing: p.phrasing, ...(versionId ? { versionId } : {}) },
      at: now,
    });
    return { status: input.intent === "reject" ? ("rejected" as const) : ("promoted" as const), answerId: p.answerId, ...(versionId ? { versionId } : {}) };
  });
}
