import { differenceInBusinessDays } from "date-fns";
import { and, asc, count, desc, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { z } from "zod";
import type { Db, DbOrTx, Tx } from "../../db/client.server";
import {
  answerFlags,
  answerRatings,
  answers,
  answerVersions,
  expertise,
  faqFeedback,
  FEEDBACK_SOURCES,
  READER_FLAG_REASONS,
  topics,
  users,
  type AnswerVersion,
  type FlagReason,
  type FeedbackSource,
} from "../../db/schema";
import { markDueFromFeedback, reviseAnswerIn } from "../../workflows/approval.service";
import { can, type Role } from "../auth/policy";
import { notify } from "../notifications/notify.server";
import { DomainError } from "../utils/errors";
import { isUuid } from "../utils/http.server";
import { recordAudit } from "./audit.server";
import { creditRating } from "./expertise.server";
import { FLAG_REASON_LABELS } from "./feedback-labels";

/**
 * Ratings and flags: every reader can say an answer is helpful or wrong; a flag goes to someone
 * who must act (the answer's owner, else the topic's experts), who either starts a revision
 * (the flag closes when it is certified, see feedback-loop.server.ts) or dismisses it with a
 * reason. The flagger is told either way. Enough distinct flaggers, or one expert saying
 * "incorrect", send the answer to re-verification through the approval machine.
 */

export interface Reader {
  id: string;
  displayName?: string;
  roles: readonly Role[];
}

// ---- input ------------------------------------------------------------------------------------

export const RateSchema = z.object({
  helpful: z.enum(["yes", "no"], { message: "Say whether the answer helped: yes or no." }).transform((v) => v === "yes"),
  source: z.enum(FEEDBACK_SOURCES).default("answer"),
});

const ANSWER_ID = /([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/i;

export const FlagSchema = z
  .object({
    reason: z.enum(READER_FLAG_REASONS, { message: "Choose what is wrong with the answer." }),
    comment: z.string().trim().max(2000, "Keep the comment under 2000 characters.").default(""),
    // A pasted answer address or id.
    duplicateOf: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? (ANSWER_ID.exec(v)?.[1]?.toLowerCase() ?? v) : undefined)),
    source: z.enum(FEEDBACK_SOURCES).default("answer"),
  })
  .superRefine((v, ctx) => {
    if (v.reason === "duplicate") {
      if (!v.duplicateOf || !isUuid(v.duplicateOf)) {
        ctx.addIssue({ code: "custom", path: ["duplicateOf"], message: "Paste the address of the answer this one duplicates." });
      }
    } else if (v.comment.length < 5) {
      ctx.addIssue({ code: "custom", path: ["comment"], message: "Say what is wrong (at least a few words), so the owner can fix it." });
    }
  });
export type FlagInput = z.output<typeof FlagSchema>;

export const DismissSchema = z.object({
  reason: z
    .string({ message: "Give the reason the flagger will read (at least a few words)." })
    .trim().min(5, "Give the reason the flagger will read (at least a few words).").max(1000, "Keep the reason under 1000 characters."),
});

// ---- helpers ----------------------------------------------------------------------------------

async function liveVersionOf(db: DbOrTx, answerId: string): Promise<AnswerVersion | null> {
  if (!isUuid(answerId)) return null;
  const [row] = await db
    .select({ v: answerVersions })
    .from(answers)
    .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
    .where(eq(answers.id, answerId));
  return row && (row.v.state === "certified" || row.v.state === "reverification_due") ? row.v : null;
}

async function expertTopicIds(db: DbOrTx, userId: string): Promise<string[]> {
  return (await db.select({ t: expertise.topicId }).from(expertise).where(eq(expertise.userId, userId))).map((r) => r.t);
}

/** Who may act on a flag: the assignee, an expert of the answer's topics, a knowledge manager. */
async function mayHandle(db: DbOrTx, reader: Reader, flag: { assigneeId: string | null; topicIds: readonly string[] }): Promise<boolean> {
  if (!can(reader.roles, "feedback.act")) return false;
  if (flag.assigneeId === reader.id) return true;
  if (can(reader.roles, "answer.certify")) return true;
  if (!can(reader.roles, "answer.review")) return false;
  const mine = await expertTopicIds(db, reader.id);
  return flag.topicIds.some((t) => mine.includes(t));
}

const lockAnswer = (tx: Tx, answerId: string) => tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`feedback:${answerId}`}))`);

// ---- ratings ----------------------------------------------------------------------------------

export interface RatingCounts {
  helpful: number;
  notHelpful: number;
  mine: boolean | null;
}

async function ratingCounts(db: DbOrTx, versionId: string, userId: string): Promise<RatingCounts> {
  const [row] = await db
    .select({
      helpful: sql<number>`count(*) filter (where ${answerRatings.helpful})`.mapWith(Number),
      notHelpful: sql<number>`count(*) filter (where not ${answerRatings.helpful})`.mapWith(Number),
      mine: sql<boolean | null>`bool_or(${answerRatings.helpful}) filter (where ${answerRatings.userId} = ${userId})`,
    })
    .from(answerRatings)
    .where(eq(answerRatings.versionId, versionId));
  return { helpful: row?.helpful ?? 0, notHelpful: row?.notHelpful ?? 0, mine: row?.mine ?? null };
}

/** One rating per person per certified version; rating again changes it. Never one's own work. */
export async function rateAnswer(db: Db, reader: Reader, answerId: string, input: { helpful: boolean; source: FeedbackSource }, now = new Date()): Promise<RatingCounts> {
  if (!can(reader.roles, "answer.feedback")) throw new DomainError("forbidden", "Your role cannot rate answers.");
  return db.transaction(async (tx) => {
    const live = await liveVersionOf(tx, answerId);
    if (!live) throw new DomainError("not_found", "This answer has no certified version to rate.");
    if (live.authorId === reader.id || live.ownerId === reader.id) {
      throw new DomainError("forbidden", "You wrote or own this answer: its readers rate it, not you.");
    }
    const [before] = await tx
      .select({ helpful: answerRatings.helpful })
      .from(answerRatings)
      .where(and(eq(answerRatings.versionId, live.id), eq(answerRatings.userId, reader.id)))
      .for("update");
    await tx
      .insert(answerRatings)
      .values({ answerId: live.answerId, versionId: live.id, userId: reader.id, helpful: input.helpful, source: input.source, createdAt: now, updatedAt: now })
      .onConflictDoUpdate({ target: [answerRatings.versionId, answerRatings.userId], set: { helpful: input.helpful, source: input.source, updatedAt: now } });
    await creditRating(tx, live, { raterId: reader.id, ratingKey: `${live.id}:${reader.id}`, before: before?.helpful ?? null, after: input.helpful, now });
    await recordAudit(tx, { actorId: reader.id, action: "answer.rate", subjectType: "answer", subjectId: live.answerId, data: { versionId: live.id, helpful: input.helpful, source: input.source }, at: now });
    return ratingCounts(tx, live.id, reader.id);
  });
}

// ---- flags ------------------------------------------------------------------------------------

export interface FiledFlag {
  flagId: string;
  answerId: string;
  assigneeName: string | null;
  /** The flags crossed the topic's line: the answer is now due for re-verification. */
  movedToReverification: boolean;
}

/**
 * Files a flag. `reader` null is an anonymous public FAQ reader (a "No" with a comment), which
 * the FAQ's own rate limit has already let through.
 */
export async function flagAnswer(
  db: DbOrTx,
  reader: Reader | null,
  answerId: string,
  input: { reason: FlagReason; comment: string; duplicateOf?: string | undefined; source: FeedbackSource; faqFeedbackId?: string },
  now = new Date(),
): Promise<FiledFlag> {
  if (reader && !can(reader.roles, "answer.feedback")) throw new DomainError("forbidden", "Your role cannot flag answers.");
  return db.transaction(async (tx) => {
    if (isUuid(answerId)) await lockAnswer(tx, answerId);
    const live = await liveVersionOf(tx, answerId);
    if (!live) throw new DomainError("not_found", "This answer has no certified version to flag.");
    if (reader && live.ownerId === reader.id) {
      throw new DomainError("conflict", "You own this answer: revise it instead of flagging it.");
    }
    if (input.reason === "duplicate") {
      const other = input.duplicateOf === live.answerId ? null : await liveVersionOf(tx, input.duplicateOf ?? "");
      if (!other) throw new DomainError("bad_request", "Paste the address of another certified answer.", { field: "duplicateOf" });
    }
    if (reader) {
      const [already] = await tx
        .select({ id: answerFlags.id })
        .from(answerFlags)
        .where(and(eq(answerFlags.answerId, live.answerId), eq(answerFlags.flaggedBy, reader.id), inArray(answerFlags.status, ["open", "in_revision"])))
        .limit(1);
      if (already) throw new DomainError("conflict", "You have already flagged this answer; you will be told what its owner does about it.", { flagId: already.id });
    }
    const topicId = live.topicIds[0] ?? null;
    const [topic] = topicId ? await tx.select().from(topics).where(eq(topics.id, topicId)) : [];
    const [owner] = live.ownerId ? await tx.select({ id: users.id, name: users.displayName, active: users.active }).from(users).where(eq(users.id, live.ownerId)) : [];
    const assignee = owner?.active ? owner : null;
    const [flag] = await tx
      .insert(answerFlags)
      .values({
        answerId: live.answerId,
        versionId: live.id,
        topicId,
        reason: input.reason,
        comment: input.comment,
        duplicateOfAnswerId: input.reason === "duplicate" ? (input.duplicateOf ?? null) : null,
        flaggedBy: reader?.id ?? null,
        faqFeedbackId: input.faqFeedbackId ?? null,
        source: input.source,
        assigneeId: assignee?.id ?? null,
        createdAt: now,
      })
      .returning({ id: answerFlags.id });
    const flagId = flag!.id;

    // Tell whoever must act: the owner, else the topic's experts.
    const handlers = assignee
      ? [assignee.id]
      : (
          await tx
            .select({ id: expertise.userId })
            .from(expertise)
            .innerJoin(users, eq(users.id, expertise.userId))
            .where(and(inArray(expertise.topicId, live.topicIds.length ? live.topicIds : ["00000000-0000-0000-0000-000000000000"]), eq(users.active, true)))
        ).map((r) => r.id);
    const excerpt = input.comment ? ` — “${input.comment.slice(0, 80)}${input.comment.length > 80 ? "…" : ""}”` : "";
    await notify(
      tx,
      handlers.filter((id) => id !== reader?.id),
      { kind: "flag_filed", title: `Flagged ${FLAG_REASON_LABELS[input.reason]?.toLowerCase()}: ${live.question}${excerpt}`, link: `/feedback/${flagId}`, at: now, data: { flagId } },
    );

    // Enough distinct people (an anonymous reader counts once per address), or one expert's "incorrect".
    const [{ people } = { people: 0 }] = await tx
      .select({ people: sql<number>`count(distinct coalesce(${answerFlags.flaggedBy}::text, 'faq:' || ${faqFeedback.ipHash}, ${answerFlags.id}::text))`.mapWith(Number) })
      .from(answerFlags)
      .leftJoin(faqFeedback, eq(faqFeedback.id, answerFlags.faqFeedbackId))
      .where(and(eq(answerFlags.versionId, live.id), inArray(answerFlags.status, ["open", "in_revision"])));
    const expertIncorrect =
      input.reason === "incorrect" && reader !== null && can(reader.roles, "answer.review") && (await expertTopicIds(tx, reader.id)).some((t) => live.topicIds.includes(t));
    const moved = await markDueFromFeedback(tx, live.id, { distinctFlaggers: people, threshold: topic?.flagThreshold ?? 3, expertIncorrect }, now);

    await recordAudit(tx, {
      actorId: reader?.id ?? null,
      action: "answer.flag",
      subjectType: "answer",
      subjectId: live.answerId,
      data: { flagId, reason: input.reason, source: input.source, movedToReverification: moved },
      at: now,
    });
    return { flagId, answerId: live.answerId, assigneeName: assignee?.name ?? null, movedToReverification: moved };
  });
}

async function lockedFlag(tx: Tx, flagId: string) {
  if (!isUuid(flagId)) throw new DomainError("not_found", "No such flag.");
  const [row] = await tx
    .select({ flag: answerFlags, question: answerVersions.question, topicIds: answerVersions.topicIds })
    .from(answerFlags)
    .innerJoin(answerVersions, eq(answerVersions.id, answerFlags.versionId))
    .where(eq(answerFlags.id, flagId))
    .for("update", { of: answerFlags });
  if (!row) throw new DomainError("not_found", "No such flag.");
  return row;
}

/**
 * "Fix it": starts (or joins) the answer's revision and links every open flag of the answer to
 * it; they close when that revision is certified. Returns where to write it.
 */
export async function startRevisionForFlag(db: Db, reader: Reader, flagId: string, now = new Date()): Promise<{ answerId: string; versionId: string; editable: boolean }> {
  return db.transaction(async (tx) => {
    const { flag, topicIds } = await lockedFlag(tx, flagId);
    if (!(await mayHandle(tx, reader, { assigneeId: flag.assigneeId, topicIds }))) {
      throw new DomainError("forbidden", "Only the answer's owner, the topic's experts or a knowledge manager act on its flags.");
    }
    if (flag.status !== "open") throw new DomainError("conflict", flag.status === "in_revision" ? "A revision for this flag is already under way." : "This flag is closed.");
    await lockAnswer(tx, flag.answerId);
    const [answer] = await tx.select({ open: answers.openVersionId }).from(answers).where(eq(answers.id, flag.answerId)).for("update");
    let versionId = answer?.open ?? null;
    let editable = false;
    if (versionId) {
      const [open] = await tx.select({ authorId: answerVersions.authorId }).from(answerVersions).where(eq(answerVersions.id, versionId));
      editable = open?.authorId === reader.id;
    } else {
      versionId = (await reviseAnswerIn(tx, { actor: { id: reader.id, roles: [...reader.roles] }, answerId: flag.answerId, now })).versionId;
      editable = true;
    }
    const linked = await tx
      .update(answerFlags)
      .set({ status: "in_revision", revisionVersionId: versionId, actedAt: sql`coalesce(${answerFlags.actedAt}, ${now.toISOString()}::timestamptz)` })
      .where(and(eq(answerFlags.answerId, flag.answerId), eq(answerFlags.status, "open")))
      .returning({ id: answerFlags.id });
    await recordAudit(tx, { actorId: reader.id, action: "flag.revise", subjectType: "answer", subjectId: flag.answerId, data: { flagIds: linked.map((l) => l.id), versionId }, at: now });
    return { answerId: flag.answerId, versionId, editable };
  });
}

/** Dismisses a flag with the reason its flagger will read. */
export async function dismissFlag(db: Db, reader: Reader, flagId: string, reason: string, now = new Date()): Promise<void> {
  await db.transaction(async (tx) => {
    const { flag, question, topicIds } = await lockedFlag(tx, flagId);
    if (!(await mayHandle(tx, reader, { assigneeId: flag.assigneeId, topicIds }))) {
      throw new DomainError("forbidden", "Only the answer's owner, the topic's experts or a knowledge manager act on its flags.");
    }
    if (flag.status === "resolved" || flag.status === "dismissed") throw new DomainError("conflict", "This flag is closed already.");
    await tx
      .update(answerFlags)
      .set({
        status: "dismissed",
        closeReason: reason,
        closedBy: reader.id,
        closedAt: now,
        revisionVersionId: null,
        actedAt: sql`coalesce(${answerFlags.actedAt}, ${now.toISOString()}::timestamptz)`,
      })
      .where(eq(answerFlags.id, flag.id));
    if (flag.flaggedBy) {
      await notify(tx, [flag.flaggedBy], {
        kind: "flag_dismissed",
        title: `Your flag on “${question}” was looked at and the answer stays as it is: ${reason}`,
        link: `/feedback/${flag.id}`,
        at: now,
        data: { flagId: flag.id },
      });
    }
    await recordAudit(tx, { actorId: reader.id, action: "flag.dismiss", subjectType: "answer", subjectId: flag.answerId, data: { flagId: flag.id, reason }, at: now });
  });
}

// ---- reading ----------------------------------------------------------------------------------

export interface FlagRow {
  id: string;
  answerId: string;
  question: string;
  reason: string;
  comment: string;
  status: string;
  source: string;
  createdAt: Date;
  closedAt: Date | null;
  closeReason: string | null;
  flaggerName: string | null;
  assigneeName: string | null;
  topicName: string | null;
  /** Working days since it was filed, and the topic's target. */
  ageDays: number;
  targetDays: number;
  overdue: boolean;
  duplicateOfAnswerId: string | null;
  revisionVersionId: string | null;
}

const flagger = alias(users, "flagger");
const assignee = alias(users, "assignee");

function flagSelect(db: DbOrTx) {
  return db
    .select({
      flag: answerFlags,
      question: answerVersions.question,
      topicIds: answerVersions.topicIds,
      flaggerName: flagger.displayName,
      assigneeName: assignee.displayName,
      topicName: topics.name,
      targetDays: topics.flagResponseDays,
    })
    .from(answerFlags)
    .innerJoin(answerVersions, eq(answerVersions.id, answerFlags.versionId))
    .leftJoin(flagger, eq(flagger.id, answerFlags.flaggedBy))
    .leftJoin(assignee, eq(assignee.id, answerFlags.assigneeId))
    .leftJoin(topics, eq(topics.id, answerFlags.topicId));
}

type Selected = Awaited<ReturnType<ReturnType<typeof flagSelect>["where"]>>[number];
function toRow(r: Selected, now: Date): FlagRow {
  const targetDays = r.targetDays ?? 2;
  const ageDays = Math.max(0, differenceInBusinessDays(r.flag.closedAt ?? now, r.flag.createdAt));
  return {
    id: r.flag.id,
    answerId: r.flag.answerId,
    question: r.question,
    reason: r.flag.reason,
    comment: r.flag.comment,
    status: r.flag.status,
    source: r.flag.source,
    createdAt: r.flag.createdAt,
    closedAt: r.flag.closedAt,
    closeReason: r.flag.closeReason,
    flaggerName: r.flaggerName ?? null,
    assigneeName: r.assigneeName ?? null,
    topicName: r.topicName ?? null,
    ageDays,
    targetDays,
    overdue: r.flag.status === "open" && ageDays > targetDays,
    duplicateOfAnswerId: r.flag.duplicateOfAnswerId,
    revisionVersionId: r.flag.revisionVersionId,
  };
}

export const QUEUE_VIEWS = ["open", "closed", "mine"] as const;
export type QueueView = (typeof QUEUE_VIEWS)[number];

/**
 * The feedback queue: knowledge managers see every topic, experts their topics and what is
 * assigned to them, everyone the flags they filed ("mine"). Oldest open first: the overdue on top.
 */
export async function feedbackQueue(db: DbOrTx, reader: Reader, opts: { view: QueueView; topicId?: string | undefined; page?: number; now?: Date }) {
  const now = opts.now ?? new Date();
  const pageSize = 25;
  const page = Math.max(1, opts.page ?? 1);
  const conditions: (SQL | undefined)[] = [];
  if (opts.view === "mine") conditions.push(eq(answerFlags.flaggedBy, reader.id));
  else {
    conditions.push(opts.view === "open" ? inArray(answerFlags.status, ["open", "in_revision"]) : inArray(answerFlags.status, ["resolved", "dismissed"]));
    if (!can(reader.roles, "answer.certify")) {
      const mine = can(reader.roles, "answer.review") ? await expertTopicIds(db, reader.id) : [];
      conditions.push(or(eq(answerFlags.assigneeId, reader.id), mine.length ? inArray(answerFlags.topicId, mine) : undefined));
    }
  }
  if (opts.topicId && isUuid(opts.topicId)) conditions.push(eq(answerFlags.topicId, opts.topicId));
  const where = and(...conditions);
  const [rows, [{ total } = { total: 0 }]] = await Promise.all([
    flagSelect(db)
      .where(where)
      .orderBy(opts.view === "open" ? asc(answerFlags.createdAt) : desc(answerFlags.createdAt))
      .limit(pageSize)
      .offset((page - 1) * pageSize),
    db.select({ total: count() }).from(answerFlags).where(where),
  ]);
  return { items: rows.map((r) => toRow(r, now)), total, page, pageSize };
}

/** One flag, for its flagger and for those who act on it (who also get the actions). */
export async function getFlag(db: DbOrTx, reader: Reader, flagId: string, now = new Date()) {
  if (!isUuid(flagId)) return null;
  const [r] = await flagSelect(db).where(eq(answerFlags.id, flagId));
  if (!r) return null;
  const handler = await mayHandle(db, reader, { assigneeId: r.flag.assigneeId, topicIds: r.topicIds });
  if (!handler && r.flag.flaggedBy !== reader.id) return null;
  const canRevise = handler && can(reader.roles, "answer.draft");
  return { flag: toRow(r, now), canAct: handler && (r.flag.status === "open" || r.flag.status === "in_revision"), canRevise: canRevise && r.flag.status === "open" };
}

/** What the answer page shows: the ratings of the live version, my flag, and the open flags for those who act. */
export async function answerFeedback(db: DbOrTx, reader: Reader, answerId: string, now = new Date()) {
  const live = await liveVersionOf(db, answerId);
  if (!live) return null;
  const [ratings, openRows, [mine]] = await Promise.all([
    ratingCounts(db, live.id, reader.id),
    flagSelect(db)
      .where(and(eq(answerFlags.answerId, live.answerId), inArray(answerFlags.status, ["open", "in_revision"])))
      .orderBy(asc(answerFlags.createdAt))
      .limit(50),
    flagSelect(db)
      .where(and(eq(answerFlags.answerId, live.answerId), eq(answerFlags.flaggedBy, reader.id)))
      .orderBy(desc(answerFlags.createdAt))
      .limit(1),
  ]);
  const handler = await mayHandle(db, reader, { assigneeId: live.ownerId, topicIds: live.topicIds });
  const own = live.authorId === reader.id || live.ownerId === reader.id;
  return {
    ratings,
    canRate: !own,
    canFlag: live.ownerId !== reader.id,
    myFlag: mine ? toRow(mine, now) : null,
    openFlags: handler ? openRows.map((r) => toRow(r, now)) : [],
    openCount: openRows.length,
  };
}

/**
 * "How often are you acting on the feedback you get?" Per topic or owner: flags filed in the
 * period, the share acted on (a revision started or dismissed with a reason), and the median
 * hours to act.
 */
export async function feedbackActing(db: DbOrTx, opts: { topicId?: string | undefined; ownerId?: string | undefined; since?: Date | undefined } = {}) {
  const conditions = [
    opts.topicId ? eq(answerFlags.topicId, opts.topicId) : undefined,
    opts.ownerId ? eq(answerFlags.assigneeId, opts.ownerId) : undefined,
    opts.since ? sql`${answerFlags.createdAt} >= ${opts.since.toISOString()}::timestamptz` : undefined,
  ];
  const [row] = await db
    .select({
      filed: count(),
      acted: sql<number>`count(*) filter (where ${answerFlags.actedAt} is not null)`.mapWith(Number),
      open: sql<number>`count(*) filter (where ${answerFlags.status} = 'open')`.mapWith(Number),
      medianHours: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (${answerFlags.actedAt} - ${answerFlags.createdAt})) / 3600) filter (where ${answerFlags.actedAt} is not null)`,
    })
    .from(answerFlags)
    .where(and(...conditions));
  const filed = row?.filed ?? 0;
  const acted = row?.acted ?? 0;
  const median = row?.medianHours === null || row?.medianHours === undefined ? null : Math.round(Number(row.medianHours) * 10) / 10;
  return { filed, acted, open: row?.open ?? 0, actedShare: filed === 0 ? null : Math.round((acted / filed) * 1000) / 10, medianHoursToAct: median };
}


export interface ActingRow {
  id: string | null;
  name: string;
  filed: number;
  acted: number;
  open: number;
  actedShare: number | null;
  medianHoursToAct: number | null;
}

/** The acting-on-feedback figures per topic and per owner (assignee), for the Feedback page and the API. */
export async function feedbackActingBreakdown(db: DbOrTx, opts: { since: Date; topicId?: string | undefined }): Promise<{ topics: ActingRow[]; owners: ActingRow[] }> {
  const where = and(sql`${answerFlags.createdAt} >= ${opts.since.toISOString()}::timestamptz`, opts.topicId ? eq(answerFlags.topicId, opts.topicId) : undefined);
  const figures = {
    filed: count(),
    acted: sql<number>`count(*) filter (where ${answerFlags.actedAt} is not null)`.mapWith(Number),
    open: sql<number>`count(*) filter (where ${answerFlags.status} = 'open')`.mapWith(Number),
    medianHours: sql<number | null>`percentile_cont(0.5) within group (order by extract(epoch from (${answerFlags.actedAt} - ${answerFlags.createdAt})) / 3600) filter (where ${answerFlags.actedAt} is not null)`,
  };
  const [byTopic, byOwner] = await Promise.all([
    db.select({ id: answerFlags.topicId, name: topics.name, ...figures }).from(answerFlags).leftJoin(topics, eq(topics.id, answerFlags.topicId)).where(where).groupBy(answerFlags.topicId, topics.name),
    db.select({ id: answerFlags.assigneeId, name: users.displayName, ...figures }).from(answerFlags).leftJoin(users, eq(users.id, answerFlags.assigneeId)).where(where).groupBy(answerFlags.assigneeId, users.displayName),
  ]);
  const row = (r: (typeof byTopic)[number], fallback: string): ActingRow => ({
    id: r.id,
    name: r.name ?? fallback,
    filed: r.filed,
    acted: r.acted,
    open: r.open,
    actedShare: r.filed === 0 ? null : Math.round((r.acted / r.filed) * 1000) / 10,
    medianHoursToAct: r.medianHours === null || r.medianHours === undefined ? null : Math.round(Number(r.medianHours) * 10) / 10,
  });
  const order = (a: ActingRow, b: ActingRow) => b.open - a.open || b.filed - a.filed || a.name.localeCompare(b.name);
  return { topics: byTopic.map((r) => row(r, "No topic")).sort(order), owners: byOwner.map((r) => row(r, "The topic's experts")).sort(order) };
}
