import { createHash } from "node:crypto";
import { and, desc, eq, gt, sql, type SQL } from "drizzle-orm";
import { getDb, rowsOf, type DbOrTx } from "../../db/client.server";
import { answers, answerVersions, appSettings, faqFeedback, faqSlugs, topics } from "../../db/schema";
import { flagAnswer } from "./feedback.server";
import { getConfig } from "../../server/config";
import type { FaqAnswer, FaqAnswerSummary, FaqTopic } from "../ui/faq/types";
import { recordAudit } from "./audit.server";
import { faqPageCache } from "./faq-cache.server";
import { searchAnswers } from "./search.server";
import { BrandingSchema, DEFAULT_BRANDING, type Branding } from "./faq.schema";

// The public FAQ shows an answer only when its live version is `certified` and `public`, and
// it has a current slug (public answers get one when certified; see faq-slugs.server.ts).
// Re-verification-due answers are left out (docs/decisions/007-public-faq.md). No reviewer,
// certifier, owner or comment ever leaves this module: the row shapes below carry none.
const PUBLIC_FROM = sql`
  from answers a
  join answer_versions v on v.id = a.live_version_id and v.state = 'certified' and v.audience = 'public'
  join faq_slugs s on s.answer_id = a.id and s.current
  join topics t on t.id = s.topic_id`;

const SUMMARY_COLUMNS = sql`a.id as "answerId", v.question, v.short_answer as "shortAnswer", t.slug as "topicSlug",
  t.name as "topicName", s.slug, to_char(v.certified_at at time zone 'UTC', 'YYYY-MM-DD') as "certifiedOn"`;

async function summaries(db: DbOrTx, rest: SQL): Promise<FaqAnswerSummary[]> {
  return rowsOf<FaqAnswerSummary>(await db.execute(sql`select ${SUMMARY_COLUMNS} ${PUBLIC_FROM} ${rest}`));
}

/** Topics with at least one public answer listed in them (an answer is listed in each of its topics). */
export async function listFaqTopics(db: DbOrTx = getDb()): Promise<FaqTopic[]> {
  const rows = rowsOf<FaqTopic & { count: string | number }>(
    await db.execute(sql`
      select tt.slug, tt.name, tt.description, count(*) as count
      ${PUBLIC_FROM}
      join topics tt on tt.id = any(v.topic_ids)
      group by tt.id, tt.slug, tt.name, tt.description
      order by tt.name, tt.slug`),
  );
  return rows.map((r) => ({ ...r, count: Number(r.count) }));
}

/**
 * "Most used" answers for the home page: the ones agents used most in replies (and copied), then
 * the most "helpful" votes, then the most recently certified (ties broken by address). All-time
 * counts, not a sliding window, so an export of unchanged data is byte-identical.
 *
 * A use counts at most once per person, answer and (UTC) day: one employee once recorded 200
 * copies in a burst and topped the list. Every use is still recorded (the answer page and the
 * insights count them all); a help-desk tool's API token counts as one person.
 */
export async function popularFaqAnswers(limit = 10, db: DbOrTx = getDb()): Promise<FaqAnswerSummary[]> {
  return summaries(
    db,
    sql`left join (
          select answer_id,
            count(distinct coalesce(user_id::text, 'token:' || api_token_id::text, 'use:' || id::text) || '/' || ((at at time zone 'UTC')::date)::text) as n
          from answer_uses where undone_at is null group by answer_id) u on u.answer_id = a.id
        left join (select answer_id, count(*) filter (where helpful) as yes from faq_feedback group by answer_id) f on f.answer_id = a.id
        order by coalesce(u.n, 0) desc, coalesce(f.yes, 0) desc, v.certified_at desc, t.slug, s.slug limit ${limit}`,
  );
}

export async function getFaqTopic(topicSlug: string, db: DbOrTx = getDb()): Promise<{ topic: FaqTopic; answers: FaqAnswerSummary[] } | null> {
  const [topic] = await db.select({ id: topics.id, slug: topics.slug, name: topics.name, description: topics.description }).from(topics).where(eq(topics.slug, topicSlug));
  if (!topic) return null;
  const list = await summaries(db, sql`where ${topic.id}::uuid = any(v.topic_ids) order by lower(v.question), s.slug`);
  if (list.length === 0) return null;
  return { topic: { slug: topic.slug, name: topic.name, description: topic.description, count: list.length }, answers: list };
}

export type FaqLookup = { kind: "answer"; answer: FaqAnswer } | { kind: "redirect"; topicSlug: string; slug: string } | null;

/**
 * The answer at /faq/<topic>/<slug>, or where it moved (an older slug, or the answer's address
 * is now under another topic), or null when no public certified answer is there.
 */
export async function findFaqAnswer(topicSlug: string, slug: string, db: DbOrTx = getDb()): Promise<FaqLookup> {
  const [row] = rowsOf<FaqAnswer & { requestedCurrent: boolean }>(
    await db.execute(sql`
      select ${SUMMARY_COLUMNS}, v.body_html as "bodyHtml", v.body_text as "bodyText", v.alternatives,
        (s.topic_id = req.topic_id and s.slug = req.slug) as "requestedCurrent"
      from faq_slugs req
      join topics rt on rt.id = req.topic_id and rt.slug = ${topicSlug}
      join answers a on a.id = req.answer_id
      join answer_versions v on v.id = a.live_version_id and v.state = 'certified' and v.audience = 'public'
      join faq_slugs s on s.answer_id = a.id and s.current
      join topics t on t.id = s.topic_id
      where req.slug = ${slug}`),
  );
  if (!row) return null;
  const { requestedCurrent, ...answer } = row;
  if (!requestedCurrent) return { kind: "redirect", topicSlug: answer.topicSlug, slug: answer.slug };
  return { kind: "answer", answer };
}

/**
 * Search over public answers only, with the search index (the same engine agents use, filtered
 * to public certified documents), then each hit mapped to its current public address: a hit
 * whose live version is no longer public and certified here (the index lags the outbox by a
 * moment), or that has no current slug, is dropped. The index's order is kept.
 */
export async function searchFaq(query: string, limit = 20, db: DbOrTx = getDb()): Promise<FaqAnswerSummary[]> {
  const q = query.trim();
  if (!q) return [];
  const { hits } = await searchAnswers({ q, audience: "public", states: ["certified"], limit, submitted: true });
  const ids = [...new Set(hits.map((h) => h.document.id))].filter((id) => /^[0-9a-f-]{36}$/i.test(id));
  if (ids.length === 0) return [];
  const rows = await summaries(db, sql`where a.id in (${sql.join(ids.map((id) => sql`${id}::uuid`), sql`, `)})`);
  const byId = new Map(rows.map((r) => [r.answerId, r]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

export async function getBranding(db: DbOrTx = getDb()): Promise<Branding> {
  const [row] = await db.select().from(appSettings).where(eq(appSettings.key, "branding"));
  const parsed = BrandingSchema.safeParse(row?.value);
  return parsed.success ? parsed.data : DEFAULT_BRANDING;
}

export async function saveBranding(branding: Branding, actorId: string, db: DbOrTx = getDb()): Promise<void> {
  const value = BrandingSchema.parse(branding);
  await db.transaction(async (tx) => {
    await tx
      .insert(appSettings)
      .values({ key: "branding", value, updatedAt: new Date() })
      .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } });
    await recordAudit(tx, { actorId, action: "settings.branding", subjectType: "settings", subjectId: "branding", data: { ...value } });
  });
  // Every public page shows the branding: this process drops its cached pages at once.
  faqPageCache().invalidate();
}

/** One vote per address and answer per day: enough for real readers, useless for stuffing. */
export const FEEDBACK_WINDOW_MS = 24 * 60 * 60 * 1000;

function ipHash(ip: string): string {
  return createHash("sha256").update(`${getConfig().sessionSecret}:${ip}`).digest("hex");
}

export type FeedbackResult = { ok: true } | { ok: false; reason: "not_found" | "rate_limited" };

/** Records "Was this helpful?" for the public answer at this address (its current slug only). */
export async function recordFaqFeedback(
  input: { topicSlug: string; slug: string; helpful: boolean; comment?: string | undefined; ip: string; now?: Date },
  db: DbOrTx = getDb(),
): Promise<FeedbackResult> {
  const found = await findFaqAnswer(input.topicSlug, input.slug, db);
  if (found?.kind !== "answer") return { ok: false, reason: "not_found" };
  const now = input.now ?? new Date();
  const hash = ipHash(input.ip);
  const answerId = found.answer.answerId;
  return db.transaction(async (tx) => {
    // Serialise votes of one address on one answer so two quick posts cannot both pass.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`${hash}:${answerId}`}))`);
    const [recent] = await tx
      .select({ id: faqFeedback.id })
      .from(faqFeedback)
      .where(and(eq(faqFeedback.ipHash, hash), eq(faqFeedback.answerId, answerId), gt(faqFeedback.createdAt, new Date(now.getTime() - FEEDBACK_WINDOW_MS))))
      .limit(1);
    if (recent) return { ok: false as const, reason: "rate_limited" as const };
    const [answer] = await tx.select({ live: answers.liveVersionId }).from(answers).where(eq(answers.id, answerId));
    const comment = input.comment?.trim() ? input.comment.trim() : null;
    const [vote] = await tx
      .insert(faqFeedback)
      .values({ answerId, versionId: answer?.live ?? null, helpful: input.helpful, comment, ipHash: hash, createdAt: now })
      .returning({ id: faqFeedback.id });
    // A "No" that says why is feedback someone must act on, like a reader's flag.
    if (!input.helpful && comment) {
      await flagAnswer(tx, null, answerId, { reason: "not_helpful", comment, source: "faq", faqFeedbackId: vote!.id }, now);
    }
    return { ok: true as const };
  });
}

export interface FeedbackSummary {
  helpful: number;
  notHelpful: number;
  recentComments: { helpful: boolean; comment: string; at: Date }[];
}

/**
 * Readers' comments are anonymous and unmoderated (anyone on the internet can write one): on
 * the internal answer page the answer's owner and knowledge managers read them, not every
 * employee or agent. The helpful / not helpful counts are for everyone who reads the answer.
 */
export function maySeeFeedbackComments(viewer: { id: string; roles: readonly string[] }, ownerId: string | null): boolean {
  return viewer.roles.includes("knowledge_manager") || (ownerId !== null && viewer.id === ownerId);
}

/** The ratings shown on the internal answer page; the comments only with `withComments`. */
export async function feedbackSummary(answerId: string, { withComments = false }: { withComments?: boolean } = {}, db: DbOrTx = getDb()): Promise<FeedbackSummary> {
  const [counts] = await db
    .select({
      helpful: sql<number>`count(*) filter (where ${faqFeedback.helpful})`.mapWith(Number),
      notHelpful: sql<number>`count(*) filter (where not ${faqFeedback.helpful})`.mapWith(Number),
    })
    .from(faqFeedback)
    .where(eq(faqFeedback.answerId, answerId));
  const comments = withComments
    ? await db
        .select({ helpful: faqFeedback.helpful, comment: faqFeedback.comment, at: faqFeedback.createdAt })
        .from(faqFeedback)
        .where(and(eq(faqFeedback.answerId, answerId), sql`${faqFeedback.comment} is not null`))
        .orderBy(desc(faqFeedback.createdAt))
        .limit(5)
    : [];
  return {
    helpful: counts?.helpful ?? 0,
    notHelpful: counts?.notHelpful ?? 0,
    recentComments: comments.map((c) => ({ helpful: c.helpful, comment: c.comment ?? "", at: c.at })),
  };
}

/** The current public address of an answer, if it has one (for links from the internal page). */
export async function faqPathOf(answerId: string, db: DbOrTx = getDb()): Promise<string | null> {
  const [row] = await db
    .select({ topicSlug: topics.slug, slug: faqSlugs.slug })
    .from(faqSlugs)
    .innerJoin(topics, eq(topics.id, faqSlugs.topicId))
    .innerJoin(answers, eq(answers.id, faqSlugs.answerId))
    .innerJoin(answerVersions, and(eq(answerVersions.id, answers.liveVersionId), eq(answerVersions.state, "certified"), eq(answerVersions.audience, "public")))
    .where(and(eq(faqSlugs.answerId, answerId), eq(faqSlugs.current, true)));
  return row ? `/faq/${row.topicSlug}/${row.slug}` : null;
}

/**
 * Public answers with their full text in address order, a batch at a time (keyset paging), so
 * an export of any size holds only one batch of bodies in memory.
 */
export async function publicAnswerBatch(after: { topicSlug: string; slug: string } | null, limit: number, db: DbOrTx = getDb()): Promise<FaqAnswer[]> {
  const cursor = after ? sql`where (t.slug, s.slug) > (${after.topicSlug}, ${after.slug})` : sql``;
  return rowsOf<FaqAnswer>(
    await db.execute(sql`
      select ${SUMMARY_COLUMNS}, v.body_html as "bodyHtml", v.body_text as "bodyText", v.alternatives
      ${PUBLIC_FROM} ${cursor}
      order by t.slug, s.slug limit ${limit}`),
  );
}
