import { and, eq, inArray, sql } from "drizzle-orm";
import type { Db, DbOrTx } from "../../db/client.server";
import { expertise, reviewEscalations, users } from "../../db/schema";
import { notify } from "../notifications/notify.server";
import { companyCalendar } from "./calendar.server";
import { overlapsScope, query, type Scope } from "./sql.server";
import { workingDaysBetween, type WorkingCalendar } from "./working-time";

/** A topic's target when it names none (and for a version in no topic): two working days. */
export const DEFAULT_REVIEW_TARGET_DAYS = 2;
export const TARGETED_STATES = ["in_review", "in_certification"] as const;

export interface QueueAge {
  versionId: string;
  answerId: string;
  question: string;
  state: (typeof TARGETED_STATES)[number];
  since: Date;
  /** Whole working days waited so far, by the company's working calendar. */
  ageDays: number;
  /** The same, with the part of the current working day (what overdue is decided on). */
  workingDays: number;
  targetDays: number;
  overdue: boolean;
  /** Breaches within the next working day: what reviewers' home pages warn about. */
  dueNext: boolean;
  link: string;
}

export const reviewLink = (answerId: string, state: string) => (state === "in_review" ? `/answers/${answerId}/review` : `/answers/${answerId}`);

/**
 * Drafts waiting for review and approved ones waiting for certification, with how long each has
 * waited in its current state against the strictest target of its topics, oldest first.
 */
export async function queueAges(db: DbOrTx, scope: Scope, now: Date, calendar?: WorkingCalendar): Promise<QueueAge[]> {
  const cal = calendar ?? (await companyCalendar(db));
  const rows = await query<{ version_id: string; answer_id: string; question: string; state: QueueAge["state"]; since: string; target: number | null }>(
    db,
    sql`select v.id as version_id, v.answer_id, v.question, v.state,
      coalesce((select max(e.at) from answer_events e where e.version_id = v.id and e.to_state = v.state and e.from_state is distinct from e.to_state), v.submitted_at, v.updated_at)::text as since,
      (select min(t.review_target_days) from topics t where t.id = any(v.topic_ids))::int as target
    from answer_versions v where v.state in ('in_review', 'in_certification') and ${overlapsScope(sql`v.topic_ids`, scope)}`,
  );
  return rows
    .map((r) => {
      const since = new Date(r.since);
      const workingDays = workingDaysBetween(since, now, cal);
      const targetDays = r.target ?? DEFAULT_REVIEW_TARGET_DAYS;
      const overdue = workingDays > targetDays;
      return {
        versionId: r.version_id,
        answerId: r.answer_id,
        question: r.question,
        state: r.state,
        since,
        ageDays: Math.floor(workingDays),
        workingDays,
        targetDays,
        overdue,
        dueNext: !overdue && workingDays > targetDays - 1,
        link: reviewLink(r.answer_id, r.state),
      };
    })
    .sort((a, b) => a.since.getTime() - b.since.getTime());
}

/** Who hears of an overdue item: knowledge managers who are experts of its topics, else every knowledge manager. */
async function knowledgeManagersFor(tx: DbOrTx, topicIds: readonly string[]): Promise<string[]> {
  const isKm = sql`'knowledge_manager' = any(${users.roles})`;
  const topical = topicIds.length
    ? await tx.selectDistinct({ id: users.id }).from(users).innerJoin(expertise, eq(expertise.userId, users.id)).where(and(eq(users.active, true), isKm, inArray(expertise.topicId, [...topicIds])))
    : [];
  if (topical.length) return topical.map((u) => u.id);
  return (await tx.select({ id: users.id }).from(users).where(and(eq(users.active, true), isKm))).map((u) => u.id);
}

/**
 * Escalates every review or certification past its topic's target, once per version and state:
 * the escalation row and the inbox items commit together, and the row's key makes a second run
 * (or a second server running the same job) a no-op. Returns how many items were escalated.
 */
export async function escalateOverdueReviews(db: Db, now = new Date()): Promise<number> {
  const overdue = (await queueAges(db, null, now)).filter((q) => q.overdue);
  let escalated = 0;
  for (const item of overdue) {
    await db.transaction(async (tx) => {
      const [claimed] = await tx.insert(reviewEscalations).values({ versionId: item.versionId, state: item.state, escalatedAt: now }).onConflictDoNothing().returning({ versionId: reviewEscalations.versionId });
      if (!claimed) return;
      const [v] = await query<{ topic_ids: string[] | string }>(tx, sql`select topic_ids from answer_versions where id = ${item.versionId}`);
      const topicIds = parseUuidArray(v?.topic_ids);
      const what = item.state === "in_review" ? "Review" : "Certification";
      await notify(tx, await knowledgeManagersFor(tx, topicIds), {
        kind: "review_escalated",
        title: `${what} overdue (${item.ageDays} working days, target ${item.targetDays}): ${item.question}`,
        link: item.link,
        at: now,
        data: { versionId: item.versionId, state: item.state, ageDays: item.ageDays, targetDays: item.targetDays },
      });
      escalated++;
    });
  }
  return escalated;
}

/** postgres.js parses uuid[] into an array; PGlite's raw rows may hand back the `{a,b}` literal. */
function parseUuidArray(v: string[] | string | undefined): string[] {
  if (!v) return [];
  if (Array.isArray(v)) return v;
  return v.replace(/^\{|\}$/g, "").split(",").filter(Boolean);
}
