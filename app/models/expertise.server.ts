import { differenceInBusinessDays, formatISO, startOfMonth } from "date-fns";
import { and, desc, eq, gte, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx, Tx } from "../../db/client.server";
import {
  answers,
  answerVersions,
  blogPosts,
  expertise,
  expertiseScores,
  forumCategories,
  forumReplies,
  forumThreads,
  reputationEvents,
  topics,
  users,
  wikiPages,
  type AnswerVersion,
  type EvidenceKind,
  type ReputationKind,
} from "../../db/schema";

/**
 * Who knows what, and the credit for it. Every domain event that is evidence of expertise (an
 * answer certified, a review, an accepted forum reply, content promoted to an answer, a use in a
 * reply, a helpful rating) adds to the person's counters per topic and product tag in the event's
 * own transaction, and may award reputation points under the published rules below. Pages read
 * the counters; nothing scans history per view.
 */

// ---- reputation rules (published on /people/rules) ------------------------------------------

export const REPUTATION_RULES: Record<ReputationKind, { points: number; dailyCap: number; label: string }> = {
  answer_certified: { points: 10, dailyCap: 50, label: "An answer you wrote is certified" },
  review_on_time: { points: 2, dailyCap: 20, label: "You review a draft within 2 working days of its submission" },
  accepted_reply: { points: 5, dailyCap: 25, label: "Your forum reply is accepted as the answer" },
  answer_used: { points: 1, dailyCap: 20, label: "An agent uses your answer in a reply" },
  helpful_rating: { points: 2, dailyCap: 20, label: "A colleague rates your answer helpful" },
  flag_fixed: { points: 3, dailyCap: 15, label: "A problem you flagged leads to a fix" },
};

const REVIEW_TARGET_WORKING_DAYS = 2;

/**
 * Awards points once per (person, kind, subject), never to the person who caused the event, and
 * never past the kind's daily cap (a per-person, per-kind, per-day lock keeps the cap exact when
 * awards race). Returns the points awarded.
 */
export async function award(tx: Tx, input: { userId: string | null; kind: ReputationKind; subject: string; topicId?: string | null; actorId?: string | null; now?: Date }): Promise<number> {
  if (!input.userId || input.userId === input.actorId) return 0;
  const now = input.now ?? new Date();
  const day = formatISO(now, { representation: "date" });
  const rule = REPUTATION_RULES[input.kind];
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`rep:${input.userId}:${input.kind}:${day}`}))`);
  const [today] = await tx
    .select({ points: sql<number>`coalesce(sum(${reputationEvents.points}), 0)`.mapWith(Number) })
    .from(reputationEvents)
    .where(and(eq(reputationEvents.userId, input.userId), eq(reputationEvents.kind, input.kind), eq(reputationEvents.day, day)));
  const points = Math.min(rule.points, rule.dailyCap - (today?.points ?? 0));
  if (points <= 0) return 0;
  const inserted = await tx
    .insert(reputationEvents)
    .values({ userId: input.userId, kind: input.kind, points, subject: input.subject, topicId: input.topicId ?? null, day, at: now })
    .onConflictDoNothing()
    .returning({ id: reputationEvents.id });
  return inserted.length > 0 ? points : 0;
}

/** Takes an award back (a use undone). */
async function revoke(tx: Tx, userId: string, kind: ReputationKind, subject: string) {
  await tx.delete(reputationEvents).where(and(eq(reputationEvents.userId, userId), eq(reputationEvents.kind, kind), eq(reputationEvents.subject, subject)));
}

// ---- evidence ---------------------------------------------------------------------------------

/** Adds `n` (may be negative) to one kind of evidence for a person, in each topic and tag of an answer. */
export async function addEvidence(tx: DbOrTx, userId: string | null, where: { topicIds: readonly string[]; tags: readonly string[] }, kind: EvidenceKind, n = 1, now = new Date()) {
  if (!userId || n === 0) return;
  const rows: { scope: "topic" | "tag"; key: string }[] = [
    ...[...new Set(where.topicIds)].map((key) => ({ scope: "topic" as const, key })),
    ...[...new Set(where.tags.map((t) => t.toLowerCase()))].map((key) => ({ scope: "tag" as const, key })),
  ];
  if (rows.length === 0) return;
  const column = expertiseScores[kind];
  await tx
    .insert(expertiseScores)
    .values(rows.map((r) => ({ userId, ...r, [kind]: Math.max(0, n), updatedAt: now })))
    .onConflictDoUpdate({
      target: [expertiseScores.userId, expertiseScores.scope, expertiseScores.key],
      set: { [kind]: sql`greatest(0, ${column} + ${n})`, updatedAt: now },
    });
}

const scopesOf = (v: Pick<AnswerVersion, "topicIds" | "tags">) => ({ topicIds: v.topicIds, tags: v.tags });

/** CERTIFY: the author's answer counts once per answer; content promoted into it credits its writer. */
export async function creditCertified(tx: Tx, v: AnswerVersion, certifierId: string, now: Date) {
  const [earlier] = await tx
    .select({ id: answerVersions.id })
    .from(answerVersions)
    .where(and(eq(answerVersions.answerId, v.answerId), eq(answerVersions.authorId, v.authorId), sql`${answerVersions.id} <> ${v.id}`, sql`${answerVersions.certifiedAt} is not null`))
    .limit(1);
  if (!earlier) await addEvidence(tx, v.authorId, scopesOf(v), "authored", 1, now);
  await award(tx, { userId: v.authorId, kind: "answer_certified", subject: `answer:${v.answerId}`, topicId: v.topicIds[0] ?? null, actorId: certifierId, now });
  if (v.number !== 1) return;
  const [answer] = await tx.select({ origin: answers.origin }).from(answers).where(eq(answers.id, v.answerId));
  const origin = answer?.origin as { type?: string; id?: string } | null;
  const writer = origin?.id ? await originWriter(tx, origin.type, origin.id) : null;
  if (writer) await addEvidence(tx, writer, scopesOf(v), "promoted", 1, now);
}

async function originWriter(tx: Tx, type: string | undefined, id: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  if (type === "wiki") return (await tx.select({ u: wikiPages.createdBy }).from(wikiPages).where(eq(wikiPages.id, id)))[0]?.u ?? null;
  if (type === "blog") return (await tx.select({ u: blogPosts.authorId }).from(blogPosts).where(eq(blogPosts.id, id)))[0]?.u ?? null;
  if (type === "forum") return (await tx.select({ u: forumReplies.authorId }).from(forumReplies).where(eq(forumReplies.id, id)))[0]?.u ?? null;
  return null;
}

/** APPROVE: a review done, and on time if within the target since submission. */
export async function creditReview(tx: Tx, v: AnswerVersion, reviewerId: string, now: Date) {
  await addEvidence(tx, reviewerId, scopesOf(v), "reviews", 1, now);
  if (v.submittedAt && differenceInBusinessDays(now, v.submittedAt) <= REVIEW_TARGET_WORKING_DAYS) {
    await award(tx, { userId: reviewerId, kind: "review_on_time", subject: `review:${v.id}`, topicId: v.topicIds[0] ?? null, actorId: v.authorId, now });
  }
}

async function liveOf(tx: Tx, answerId: string) {
  const [row] = await tx.select({ v: answerVersions }).from(answers).innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId)).where(eq(answers.id, answerId));
  return row?.v ?? null;
}

/** A use in a reply credits the live version's author; undoing it takes the credit back. */
export async function creditUse(tx: Tx, input: { answerId: string; useId: string; agentId: string | null; now: Date }, undo = false) {
  const live = await liveOf(tx, input.answerId);
  if (!live || live.authorId === input.agentId) return;
  await addEvidence(tx, live.authorId, scopesOf(live), "uses", undo ? -1 : 1, input.now);
  if (undo) await revoke(tx, live.authorId, "answer_used", `use:${input.useId}`);
  else await award(tx, { userId: live.authorId, kind: "answer_used", subject: `use:${input.useId}`, topicId: live.topicIds[0] ?? null, actorId: input.agentId, now: input.now });
}

/** A rating that becomes (or stops being) "helpful". */
export async function creditRating(tx: Tx, v: AnswerVersion, input: { raterId: string; ratingKey: string; before: boolean | null; after: boolean; now: Date }) {
  if (input.before === input.after) return;
  if (input.after) {
    await addEvidence(tx, v.authorId, scopesOf(v), "helpful", 1, input.now);
    await award(tx, { userId: v.authorId, kind: "helpful_rating", subject: `rating:${input.ratingKey}`, topicId: v.topicIds[0] ?? null, actorId: input.raterId, now: input.now });
  } else if (input.before === true) {
    await addEvidence(tx, v.authorId, scopesOf(v), "helpful", -1, input.now);
  }
}

/** An accepted forum reply counts in its category's topic. */
export async function creditAcceptedReply(tx: Tx, input: { replyId: string; replyAuthorId: string; categoryId: string; accepterId: string; undo?: boolean; now: Date }) {
  const [category] = await tx.select({ topicId: forumCategories.topicId }).from(forumCategories).where(eq(forumCategories.id, input.categoryId));
  const topicIds = category?.topicId ? [category.topicId] : [];
  await addEvidence(tx, input.replyAuthorId, { topicIds, tags: [] }, "accepted", input.undo ? -1 : 1, input.now);
  if (!input.undo) await award(tx, { userId: input.replyAuthorId, kind: "accepted_reply", subject: `reply:${input.replyId}`, topicId: topicIds[0] ?? null, actorId: input.accepterId, now: input.now });
}

/** The thread's accepted reply, for un-crediting when the acceptance moves. */
export async function acceptedReplyOf(tx: Tx, threadId: string) {
  const [row] = await tx
    .select({ replyId: forumReplies.id, authorId: forumReplies.authorId, categoryId: forumThreads.categoryId, acceptedBy: forumThreads.acceptedBy })
    .from(forumThreads)
    .innerJoin(forumReplies, eq(forumReplies.id, forumThreads.acceptedReplyId))
    .where(eq(forumThreads.id, threadId));
  return row ?? null;
}

// ---- reading ----------------------------------------------------------------------------------

export interface ExpertiseRow {
  scope: "topic" | "tag";
  key: string;
  label: string;
  authored: number;
  reviews: number;
  accepted: number;
  promoted: number;
  uses: number;
  helpful: number;
  score: number;
}

async function labelled(db: DbOrTx, rows: (typeof expertiseScores.$inferSelect)[]): Promise<ExpertiseRow[]> {
  const topicIds = rows.filter((r) => r.scope === "topic").map((r) => r.key);
  const names = topicIds.length ? await db.select({ id: topics.id, name: topics.name }).from(topics).where(inArray(topics.id, topicIds)) : [];
  return rows.map((r) => ({
    scope: r.scope,
    key: r.key,
    label: r.scope === "topic" ? (names.find((n) => n.id === r.key)?.name ?? "Removed topic") : r.key,
    authored: r.authored,
    reviews: r.reviews,
    accepted: r.accepted,
    promoted: r.promoted,
    uses: r.uses,
    helpful: r.helpful,
    score: Math.round((r.score ?? 0) * 10) / 10,
  }));
}

/** Words → the topics and tags they name ("Who knows about refunds?" → tag "refunds", topic "Billing" if named). */
export async function scopesForWords(db: DbOrTx, q: string): Promise<{ topicIds: string[]; tags: string[] }> {
  const words = q
    .toLowerCase()
    .split(/[^\p{L}\p{N}-]+/u)
    .filter((w) => w.length >= 3 && !STOP.has(w));
  if (words.length === 0) return { topicIds: [], tags: [] };
  const stems = words.map((w) => w.replace(/(ies|es|s)$/, ""));
  const topicRows = await db
    .select({ id: topics.id })
    .from(topics)
    .where(sql`${sql.join(stems.map((w) => sql`(lower(${topics.name}) like ${`%${w}%`} or lower(${topics.slug}) like ${`%${w}%`})`), sql` or `)}`);
  const tagRows = await db
    .selectDistinct({ key: expertiseScores.key })
    .from(expertiseScores)
    .where(and(eq(expertiseScores.scope, "tag"), sql`${sql.join(stems.map((w) => sql`${expertiseScores.key} like ${`${w}%`}`), sql` or `)}`));
  return { topicIds: topicRows.map((t) => t.id), tags: tagRows.map((t) => t.key) };
}
const STOP = new Set(["who", "knows", "know", "about", "the", "and", "for", "with", "what", "how", "does", "expert", "experts"]);

export interface PersonHit {
  id: string;
  name: string;
  roles: string[];
  score: number;
  top: ExpertiseRow[];
  topicExpertOf: string[];
}

/**
 * The people search: by topic (its experts and everyone with evidence in it, best first), by
 * words (the topics and tags they name, else people's names), or everyone with evidence.
 */
export async function searchPeople(db: DbOrTx, opts: { q?: string | undefined; topicId?: string | undefined; page?: number }) {
  const pageSize = 20;
  const page = Math.max(1, opts.page ?? 1);
  let scopeFilter: SQL | undefined;
  let matched: { topicIds: string[]; tags: string[] } = { topicIds: [], tags: [] };
  if (opts.topicId) matched = { topicIds: [opts.topicId], tags: [] };
  else if (opts.q) matched = await scopesForWords(db, opts.q);
  const byScope = matched.topicIds.length + matched.tags.length > 0;
  if (byScope) {
    const parts: SQL[] = [];
    if (matched.topicIds.length) parts.push(and(eq(expertiseScores.scope, "topic"), inArray(expertiseScores.key, matched.topicIds))!);
    if (matched.tags.length) parts.push(and(eq(expertiseScores.scope, "tag"), inArray(expertiseScores.key, matched.tags))!);
    scopeFilter = sql`(${sql.join(parts, sql` or `)})`;
  }
  const nameFilter = !byScope && opts.q ? sql`lower(${users.displayName}) like ${`%${opts.q.toLowerCase().trim()}%`}` : undefined;
  const ranked = db
    .select({ userId: expertiseScores.userId, score: sql<number>`sum(${expertiseScores.score})`.mapWith(Number).as("score") })
    .from(expertiseScores)
    .where(scopeFilter ?? (opts.q && !byScope ? sql`false` : undefined))
    .groupBy(expertiseScores.userId)
    .as("ranked");
  // Topic experts the admin named are listed even before they have evidence.
  const named = matched.topicIds.length ? await db.select({ userId: expertise.userId }).from(expertise).where(inArray(expertise.topicId, matched.topicIds)) : [];
  const namedIds = named.map((n) => n.userId);
  const where = and(
    eq(users.active, true),
    nameFilter ?? (byScope ? sql`(${ranked.score} is not null or ${namedIds.length ? inArray(users.id, namedIds) : sql`false`})` : opts.q ? sql`false` : sql`${ranked.score} is not null`),
  );
  const rows = await db
    .select({ id: users.id, name: users.displayName, roles: users.roles, score: ranked.score })
    .from(users)
    .leftJoin(ranked, eq(ranked.userId, users.id))
    .where(where)
    .orderBy(sql`coalesce(${ranked.score}, 0) desc`, users.displayName)
    .limit(pageSize + 1)
    .offset((page - 1) * pageSize);
  const more = rows.length > pageSize;
  const people = rows.slice(0, pageSize);
  const ids = people.map((p) => p.id);
  // Points are on profiles and leaderboards, not here: summing every hit's ledger would cost the
  // list its 50 ms budget at 100,000 answers.
  const [scores, experts] = ids.length
    ? await Promise.all([
        db.select().from(expertiseScores).where(and(inArray(expertiseScores.userId, ids), scopeFilter)).orderBy(desc(expertiseScores.score)),
        db.select({ userId: expertise.userId, name: topics.name }).from(expertise).innerJoin(topics, eq(topics.id, expertise.topicId)).where(inArray(expertise.userId, ids)),
      ])
    : [[], []];
  const labelledScores = await labelled(db, scores);
  const hits: PersonHit[] = people.map((p) => ({
    id: p.id,
    name: p.name,
    roles: p.roles,
    score: Math.round((p.score ?? 0) * 10) / 10,
    top: labelledScores.filter((_, i) => scores[i]!.userId === p.id).slice(0, 3),
    topicExpertOf: experts.filter((e) => e.userId === p.id).map((e) => e.name),
  }));
  return { hits, page, more, matched };
}

/** A person's profile: expertise with its evidence, their certified answers, activity, reputation. */
export async function personProfile(db: DbOrTx, userId: string, now = new Date()) {
  if (!/^[0-9a-f-]{36}$/i.test(userId)) return null;
  const [person] = await db.select({ id: users.id, name: users.displayName, roles: users.roles, active: users.active }).from(users).where(eq(users.id, userId));
  if (!person) return null;
  const month = startOfMonth(now);
  const [scores, authored, ledger, totals, experts] = await Promise.all([
    db.select().from(expertiseScores).where(eq(expertiseScores.userId, userId)).orderBy(desc(expertiseScores.score)).limit(40),
    db
      .select({ answerId: answerVersions.answerId, question: answerVersions.question, state: answerVersions.state, certifiedAt: answerVersions.certifiedAt })
      .from(answers)
      .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
      .where(and(eq(answerVersions.authorId, userId), inArray(answerVersions.state, ["certified", "reverification_due"])))
      .orderBy(desc(answerVersions.certifiedAt))
      .limit(20),
    db.select().from(reputationEvents).where(eq(reputationEvents.userId, userId)).orderBy(desc(reputationEvents.at)).limit(15),
    db
      .select({
        total: sql<number>`coalesce(sum(${reputationEvents.points}), 0)`.mapWith(Number),
        month: sql<number>`coalesce(sum(${reputationEvents.points}) filter (where ${reputationEvents.at} >= ${month.toISOString()}::timestamptz), 0)`.mapWith(Number),
      })
      .from(reputationEvents)
      .where(eq(reputationEvents.userId, userId)),
    db.select({ id: topics.id, name: topics.name }).from(expertise).innerJoin(topics, eq(topics.id, expertise.topicId)).where(eq(expertise.userId, userId)),
  ]);
  const rows = await labelled(db, scores);
  return {
    person,
    topics: rows.filter((r) => r.scope === "topic"),
    tags: rows.filter((r) => r.scope === "tag").slice(0, 12),
    authored,
    ledger: ledger.map((l) => ({ kind: l.kind, points: l.points, at: l.at, label: REPUTATION_RULES[l.kind].label })),
    points: { total: totals[0]?.total ?? 0, month: totals[0]?.month ?? 0 },
    topicExpertOf: experts,
  };
}

/** This month's points per person in a topic. */
export async function leaderboard(db: DbOrTx, topicId: string, now = new Date(), limit = 10) {
  return db
    .select({ userId: reputationEvents.userId, name: users.displayName, points: sql<number>`sum(${reputationEvents.points})`.mapWith(Number) })
    .from(reputationEvents)
    .innerJoin(users, eq(users.id, reputationEvents.userId))
    .where(and(eq(reputationEvents.topicId, topicId), gte(reputationEvents.at, startOfMonth(now)), eq(users.active, true)))
    .groupBy(reputationEvents.userId, users.displayName)
    .orderBy(sql`sum(${reputationEvents.points}) desc`, users.displayName)
    .limit(limit);
}

export interface SuggestedReviewer {
  id: string;
  name: string;
  score: number;
  waiting: number;
}

/**
 * The best available reviewers for a draft: the topics' experts (only they may approve), never
 * the author, ranked by their evidence in those topics and then by how many reviews already wait
 * for them.
 */
export async function suggestReviewers(db: DbOrTx, opts: { topicIds: readonly string[]; excludeUserId: string | null; limit?: number }): Promise<SuggestedReviewer[]> {
  if (opts.topicIds.length === 0) return [];
  const rows = await db
    .select({
      id: users.id,
      name: users.displayName,
      score: sql<number>`coalesce((select sum(s.score) from expertise_scores s where s.user_id = ${users.id} and s.scope = 'topic' and s.key in (${sql.join(
        opts.topicIds.map((t) => sql`${t}`),
        sql`, `,
      )})), 0)`.mapWith(Number),
      waiting: sql<number>`(select count(*) from notifications n where n.user_id = ${users.id} and n.kind = 'review_requested' and n.read_at is null)`.mapWith(Number),
    })
    .from(expertise)
    .innerJoin(users, eq(users.id, expertise.userId))
    .where(and(inArray(expertise.topicId, [...opts.topicIds]), eq(users.active, true), opts.excludeUserId ? sql`${users.id} <> ${opts.excludeUserId}` : undefined))
    .groupBy(users.id, users.displayName);
  return rows
    .map((r) => ({ ...r, score: Math.round(r.score * 10) / 10 }))
    .sort((a, b) => b.score - a.score || a.waiting - b.waiting || a.name.localeCompare(b.name))
    .slice(0, opts.limit ?? 3);
}
