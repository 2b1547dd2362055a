import { sql } from "drizzle-orm";
import { getDb, rowsOf, type DbOrTx } from "../../db/client.server";
import { highlightText, scanWords, termHeads, tokenize } from "../../search/highlight";
import { analyzeQuery, escapeHtml } from "../../search/query";
import type { Vocabulary } from "../../search/suggest";
import type { SessionUser } from "../auth/session.server";
import { can } from "../auth/policy";
import { contentVocabulary } from "./suggestions.server";

/**
 * Wiki pages, blog posts and forum threads for the one search box: not certified, so they come
 * after the certified answers and say so. PostgreSQL full-text search on either database (server
 * or PGlite) whichever engine holds the answers — the content is the database's own, small beside
 * the answers, and each kind's visibility rules are SQL `where` clauses here, next to the match.
 * Each kind's weighted tsvector has a GIN expression index (migration 0019); the expressions
 * below must stay identical to the indexed ones.
 *
 * Typo tolerance as the answers have it: a word nobody wrote is replaced by the closest words of
 * the content's vocabulary (trigrams and edit distance, search/suggest.ts); the query's words are
 * OR-ed (every word required loses long questions) and ranked by ts_rank with title above body.
 */

export const CONTENT_KINDS = ["wiki", "blog", "forum"] as const;
export type ContentKind = (typeof CONTENT_KINDS)[number];

export interface ContentHit {
  kind: ContentKind;
  id: string;
  href: string;
  title: string;
  /** HTML-safe: text escaped, matches in <mark>. */
  titleHtml: string;
  /** HTML-safe excerpt of the body (or the best matching forum reply). */
  snippetHtml: string;
  updatedAt: string;
  score: number;
}

const WIKI_TSV = sql`(setweight(to_tsvector('english', p.title), 'A') || setweight(to_tsvector('english', p.body_text), 'C'))`;
const BLOG_TSV = sql`(setweight(to_tsvector('english', b.title), 'A') || setweight(to_tsvector('english', b.body_text), 'C'))`;
const THREAD_TSV = sql`(setweight(to_tsvector('english', t.title), 'A') || setweight(to_tsvector('english', t.body_text), 'C'))`;
const REPLY_TSV = sql`to_tsvector('english', r.body_text)`;
/** ts_rank's weights for D, C, B, A: bodies count for more than PostgreSQL's default (0.1, 0.2, 0.4, 1). */
const WEIGHTS = sql`'{0.2, 0.4, 0.6, 1.0}'::float4[]`;

/** Kept from the best candidates; items below 10 % of the best score are noise (answers: 15 %). */
const CANDIDATES = 50;
const NOISE_FLOOR = 0.1;

/** Each word's lexemes under PostgreSQL's `english` configuration ([] for a stopword). */
export async function stemAll(db: DbOrTx, words: readonly string[]): Promise<Map<string, string[]>> {
  const unique = [...new Set(words)];
  if (unique.length === 0) return new Map();
  const found = rowsOf<{ word: string; lexemes: string[] }>(
    await db.execute(sql`
      select w.word, coalesce((select jsonb_agg(lexeme) from unnest(to_tsvector('english', w.word))), '[]'::jsonb) as lexemes
      from jsonb_array_elements_text(${JSON.stringify(unique)}::jsonb) as w(word)`),
  );
  return new Map(found.map((r) => [r.word, r.lexemes]));
}

/** A tsquery literal OR-ing lexemes (quoted: the lexemes are PostgreSQL's own, never re-parsed as operators). */
export function orQuery(lexemes: Iterable<string>): string {
  return [...new Set(lexemes)].map((l) => `'${l.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`).join(" | ");
}

/** The query's words, each with the close known words that stand in for a word nobody wrote. */
export function expandWithCorrections(words: readonly string[], vocabulary: Vocabulary): string[] {
  const out = new Set<string>();
  for (const w of words) {
    out.add(w);
    if (w.length < 3 || vocabulary.has(w)) continue;
    for (const fix of vocabulary.corrections(w, 2)) if (fix.sim >= 0.4) out.add(fix.word);
  }
  return [...out];
}

export function mayReadContent(user: Pick<SessionUser, "roles">): boolean {
  return can(user.roles, "content.read");
}

interface Row {
  kind: ContentKind;
  id: string;
  title: string;
  body: string;
  reply: string | null;
  updated_at: string;
  rank: number | string;
}

export async function searchContent(
  user: Pick<SessionUser, "id" | "roles">,
  q: string,
  opts: { limit?: number } = {},
  db: DbOrTx = getDb(),
): Promise<{ hits: ContentHit[]; total: number }> {
  if (!mayReadContent(user)) return { hits: [], total: 0 };
  const limit = Math.min(Math.max(opts.limit ?? 10, 1), CANDIDATES);
  const typed = [...new Set(analyzeQuery(q).words)].slice(0, 24);
  if (typed.length === 0) return { hits: [], total: 0 };
  const words = expandWithCorrections(typed, await contentVocabulary(db));
  const stems = await stemAll(db, words);
  const lexemes = new Set(words.flatMap((w) => stems.get(w) ?? []));
  if (lexemes.size === 0) return { hits: [], total: 0 };
  // The query inline in each branch (not a CTE): a constant lets each kind's GIN index answer the match.
  const Q = sql`${orQuery(lexemes)}::tsquery`;
  // Moderators see hidden items in the kinds' own lists (marked there); search shows nobody hidden
  // or draft items: a result list has no room to say why an item is hidden.
  const rows = rowsOf<Row>(
    await db.execute(sql`
      select * from (
        select 'wiki' as kind, p.id, p.title, p.body_text as body, null as reply, p.updated_at::text as updated_at, ts_rank(${WEIGHTS}, ${WIKI_TSV}, ${Q})::float8 as rank
        from wiki_pages p where ${WIKI_TSV} @@ ${Q} and p.hidden_at is null
        union all
        select 'blog', b.id, b.title, b.body_text, null, coalesce(b.published_at, b.updated_at)::text, ts_rank(${WEIGHTS}, ${BLOG_TSV}, ${Q})::float8
        from blog_posts b where ${BLOG_TSV} @@ ${Q} and b.status = 'published' and b.hidden_at is null
        union all
        select 'forum', t.id, t.title, t.body_text, br.body_text, t.last_activity_at::text,
          (case when ${THREAD_TSV} @@ ${Q} then ts_rank(${WEIGHTS}, ${THREAD_TSV}, ${Q}) else 0 end + 0.8 * coalesce(br.rank, 0))::float8
        from forum_threads t
        left join lateral (
          select r.body_text, ts_rank(${WEIGHTS}, setweight(${REPLY_TSV}, 'C'), ${Q}) as rank from forum_replies r
          where r.thread_id = t.id and r.hidden_at is null and ${REPLY_TSV} @@ ${Q} order by rank desc, r.created_at, r.id limit 1
        ) br on true
        -- Candidates from the two indexes (thread text, reply text), never a scan of every thread.
        where t.hidden_at is null and t.id in (
          select t.id from forum_threads t where ${THREAD_TSV} @@ ${Q}
          union select r.thread_id from forum_replies r where r.hidden_at is null and ${REPLY_TSV} @@ ${Q})
      ) x
      order by rank desc, kind, id
      limit ${CANDIDATES}`),
  );
  const best = Number(rows[0]?.rank ?? 0);
  const reachable = rows.filter((r) => Number(r.rank) >= best * NOISE_FLOOR);
  const page = reachable.slice(0, limit);
  const highlights = await highlight(db, page, lexemes);
  return {
    total: reachable.length,
    hits: page.map((r, i) => ({
      kind: r.kind,
      id: r.id,
      href: `/${r.kind}/${r.id}`,
      title: r.title,
      titleHtml: highlights[i]!.title,
      snippetHtml: highlights[i]!.snippet,
      updatedAt: new Date(r.updated_at).toISOString(),
      score: Number(r.rank),
    })),
  };
}

function lead(text: string, words = 30): string {
  const tokens = tokenize(text);
  if (tokens.length <= words) return escapeHtml(text);
  return escapeHtml(text.slice(0, tokens[words - 1]!.end)) + " …";
}

async function highlight(db: DbOrTx, rows: Row[], lexemes: Set<string>): Promise<{ title: string; snippet: string }[]> {
  const heads = termHeads(lexemes);
  const scanned = rows.map((r) => ({ title: scanWords(r.title, heads), body: scanWords(r.body, heads), reply: scanWords(r.reply ?? "", heads) }));
  const stems = await stemAll(
    db,
    scanned.flatMap((t) => [...t.title.candidates.values(), ...t.body.candidates.values(), ...t.reply.candidates.values()]),
  );
  const isMatch = (w: string) => (stems.get(w) ?? []).some((l) => lexemes.has(l));
  const fragments = { count: 2, words: 24 };
  return rows.map((r, i) => {
    const t = scanned[i]!;
    const snippet =
      highlightText(r.body, isMatch, fragments, t.body) ?? (r.reply ? highlightText(r.reply, isMatch, fragments, t.reply) : undefined) ?? lead(r.body);
    return { title: highlightText(r.title, isMatch, undefined, t.title) ?? escapeHtml(r.title), snippet };
  });
}
