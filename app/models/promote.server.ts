import { eq, sql } from "drizzle-orm";
import type { JSONContent } from "@tiptap/core";
import { getDb, rowsOf, type DbOrTx } from "../../db/client.server";
import { forumReplies, forumThreads, users, type AnswerOrigin } from "../../db/schema";
import { can } from "../auth/policy";
import type { SessionUser } from "../auth/session.server";
import { PromoteFromSchema } from "./content.schema";
import { getBlogPost } from "./blog.server";
import { canSeeHidden } from "./content.server";
import { getWikiPage } from "./wiki.server";

export interface PromotionSource {
  from: string;
  origin: AnswerOrigin;
  question: string;
  body: JSONContent;
  /** Where the source lives, to link back from the new answer. */
  link: string;
}

/**
 * What "Make this a draft answer" starts from: `wiki:<id>`, `blog:<id>` or `forum:<reply id>`,
 * if the user may read it. The question comes from the page or post title (or the thread's
 * question), the full answer from the content; the origin keeps the link back.
 */
export async function promotionSource(user: Pick<SessionUser, "id" | "roles">, from: string | null, db: DbOrTx = getDb()): Promise<PromotionSource | null> {
  if (!from || !can(user.roles, "content.read")) return null;
  const parsed = PromoteFromSchema.safeParse(from);
  if (!parsed.success) return null;
  const { type, id } = parsed.data;
  if (type === "wiki") {
    const view = await getWikiPage(user, id, undefined, db);
    if (!view || view.page.hiddenAt) return null;
    return { from, origin: { type, id, label: `the wiki page “${view.page.title}”` }, question: view.page.title, body: view.page.body, link: `/wiki/${id}` };
  }
  if (type === "blog") {
    const view = await getBlogPost(user, id, db);
    if (!view || view.post.status !== "published" || view.post.hiddenAt) return null;
    return { from, origin: { type, id, label: `the blog post “${view.post.title}” by ${view.authorName}` }, question: view.post.title, body: view.post.body, link: `/blog/${id}` };
  }
  const [row] = await db
    .select({ body: forumReplies.body, hiddenAt: forumReplies.hiddenAt, threadHidden: forumThreads.hiddenAt, title: forumThreads.title, threadId: forumThreads.id, authorName: users.displayName })
    .from(forumReplies)
    .innerJoin(forumThreads, eq(forumThreads.id, forumReplies.threadId))
    .innerJoin(users, eq(users.id, forumReplies.authorId))
    .where(eq(forumReplies.id, id));
  if (!row || row.hiddenAt || (row.threadHidden && !canSeeHidden(user))) return null;
  return {
    from,
    origin: { type, id, label: `${row.authorName}’s reply in the forum thread “${row.title}”` },
    question: row.title.slice(0, 300),
    body: row.body as JSONContent,
    link: `/forum/${row.threadId}#reply-${id}`,
  };
}

/** The link back from an answer to where it came from (null for imports and requests). */
export async function originLink(origin: unknown, db: DbOrTx = getDb()): Promise<string | null> {
  const o = origin as Partial<AnswerOrigin> | null;
  if (!o || typeof o.id !== "string" || !/^[0-9a-f-]{36}$/i.test(o.id)) return null;
  if (o.type === "wiki") return `/wiki/${o.id}`;
  if (o.type === "blog") return `/blog/${o.id}`;
  if (o.type === "forum") {
    const [row] = await db.select({ threadId: forumReplies.threadId }).from(forumReplies).where(eq(forumReplies.id, o.id));
    return row ? `/forum/${row.threadId}#reply-${o.id}` : null;
  }
  return null;
}

export interface SimilarAnswer {
  answerId: string;
  question: string;
  matched: string;
  state: string;
  certified: boolean;
  authorName: string;
  /** The viewer's own draft: they may open it. */
  mine: boolean;
  score: number;
}

const OPEN = ["draft", "in_review", "changes_requested", "in_certification"];
const LIVE = ["certified", "reverification_due"];

/**
 * Certified answers and open drafts whose question or another phrasing resembles `q` (pg_trgm:
 * the better of similarity and word_similarity, so a half-typed question already matches).
 * Others' drafts show their question and author only, so people join them instead of
 * duplicating; they can open only their own.
 */
export async function similarAnswers(user: Pick<SessionUser, "id">, q: string, limit = 5, db: DbOrTx = getDb()): Promise<SimilarAnswer[]> {
  const query = q.trim().slice(0, 300);
  if (query.length < 4) return [];
  const rows = rowsOf<{ answer_id: string; question: string; matched: string; state: string; author_id: string; author_name: string; score: number }>(
    await db.execute(sql`
      with candidates as (
        select a.id as answer_id, v.question, v.state, v.author_id, p.phrase,
               greatest(similarity(p.phrase, ${query}), word_similarity(${query}, p.phrase)) as score
        from answers a
        join answer_versions v on v.id in (a.live_version_id, a.open_version_id)
        cross join lateral unnest(array[v.question] || v.alternatives) as p(phrase)
        where v.state in (${sql.join([...LIVE, ...OPEN].map((s) => sql`${s}`), sql`, `)})
      ), best as (
        select distinct on (answer_id, state) answer_id, question, state, author_id, phrase as matched, score
        from candidates where score >= 0.35
        order by answer_id, state, score desc
      )
      select b.*, u.display_name as author_name from best b join users u on u.id = b.author_id
      order by b.score desc, (b.state in ('certified', 'reverification_due')) desc
      limit ${limit * 2}`),
  );
  const seen = new Set<string>();
  const out: SimilarAnswer[] = [];
  for (const r of rows) {
    if (seen.has(r.answer_id)) continue;
    seen.add(r.answer_id);
    out.push({ answerId: r.answer_id, question: r.question, matched: r.matched, state: r.state, certified: LIVE.includes(r.state), authorName: r.author_name, mine: r.author_id === user.id, score: Number(r.score) });
    if (out.length >= limit) break;
  }
  return out;
}

