import { sql, type SQL } from "drizzle-orm";
import { rowsOf, type Db, type DbOrTx } from "../db/client.server";
import type { SearchDocument, SearchHit, SearchIndex, SearchQuery, SearchResult } from "./index";
import { analyzeQuery, escapeHtml } from "./query";

/**
 * The embedded search engine, all inside PostgreSQL (server or PGlite). Ranking is BM25 over an
 * impact-ordered inverted index (search_postings): each query is reduced to its informative
 * stemmed terms (stopwords and very common words dropped, rare words weighted up), misspelled words
 * are mapped to the closest indexed word with pg_trgm, the last word typed also matches as a
 * prefix, synonyms add their group's words, and only the best postings of each term are read, so
 * long pasted messages and large collections stay fast. The top candidates are then re-ranked with
 * a phrase/proximity bonus and highlighted with ts_headline. See docs/decisions/005-search.md.
 */

const K1 = 1.2;
const B = 0.75;
/** Field weights inside a document's term frequency: the question says most about an answer. */
const W_QUESTION = 3;
const W_SHORT = 2;
const W_BODY = 1;
/** Postings read per query term; bounds the work of common terms. */
const POSTINGS_PER_TERM = 250;
const MAX_TERMS = 12;
const RERANK = 50;
const DOC_COUNT_TERM = "#documents";
const MARK_OPEN = "\u27e6";
const MARK_CLOSE = "\u27e7";

interface TermStat {
  term: string;
  df: number;
}

function rows<T>(result: unknown): T[] {
  return rowsOf<T>(result);
}

/** `'a' | 'b'` for to_tsquery('simple', …): lexemes are already stemmed, quoting keeps them literal. */
function orQuery(terms: string[]): string {
  return terms.map((t) => `'${t.replace(/'/g, "''").replace(/\\/g, "\\\\")}'`).join(" | ");
}

function highlight(text: string | null | undefined): string | undefined {
  if (!text || !text.includes(MARK_OPEN)) return undefined;
  return escapeHtml(text).replaceAll(MARK_OPEN, "<mark>").replaceAll(MARK_CLOSE, "</mark>");
}

export function createPostgresIndex(getDb: () => Db): SearchIndex {
  let synonymCache: { at: number; groups: { lexemes: string[][] }[] } | null = null;

  async function synonymGroups(db: DbOrTx) {
    if (synonymCache && Date.now() - synonymCache.at < 5000) return synonymCache.groups;
    const result = await db.execute(sql`
      select (select coalesce(jsonb_agg((select coalesce(jsonb_agg(lexeme), '[]'::jsonb) from unnest(to_tsvector('english', t)))), '[]'::jsonb)
              from unnest(s.terms) t) as lexemes
      from search_synonyms s`);
    const groups = rows<{ lexemes: string[][] }>(result).map((r) => ({ lexemes: r.lexemes.filter((l) => l.length > 0) }));
    synonymCache = { at: Date.now(), groups };
    return groups;
  }

  async function removeIn(tx: DbOrTx, ids: string[]) {
    const idsJson = JSON.stringify(ids);
    await tx.execute(sql`
      update search_terms t set df = t.df - c.n
      from (select term, count(*)::int as n from search_postings
            where answer_id in (select value::uuid from jsonb_array_elements_text(${idsJson}::jsonb)) group by term) c
      where t.term = c.term`);
    await tx.execute(sql`delete from search_postings where answer_id in (select value::uuid from jsonb_array_elements_text(${idsJson}::jsonb))`);
    const removed = rows<{ n: number }>(
      await tx.execute(sql`with d as (delete from search_documents where answer_id in (select value::uuid from jsonb_array_elements_text(${idsJson}::jsonb)) returning 1)
                            select count(*)::int as n from d`),
    )[0]?.n ?? 0;
    if (removed > 0) {
      await tx.execute(sql`update search_terms set df = df - ${removed} where term = ${DOC_COUNT_TERM}`);
    }
    await tx.execute(sql`delete from search_terms where df <= 0 and term <> ${DOC_COUNT_TERM}`);
  }

  return {
    engine: "postgres",

    async upsert(documents: SearchDocument[]) {
      if (documents.length === 0) return;
      const ids = documents.map((d) => d.id);
      const payload = JSON.stringify(
        documents.map((d) => ({
          id: d.id,
          doc: d,
          q: [d.question, ...d.alternatives].join("\n"),
          s: d.shortAnswer,
          b: d.body,
        })),
      );
      await getDb().transaction(async (tx) => {
        // One writer at a time: term statistics are shared rows.
        await tx.execute(sql`select pg_advisory_xact_lock(727275)`);
        await removeIn(tx, ids);
        await tx.execute(sql`
          insert into search_documents (answer_id, doc, topic_ids, tags, audience, tsv, length)
          select x.id, x.doc,
                 array(select jsonb_array_elements_text(x.doc->'topicIds'))::uuid[],
                 array(select jsonb_array_elements_text(x.doc->'tags')),
                 x.doc->>'audience',
                 setweight(to_tsvector('english', x.q), 'A') || setweight(to_tsvector('english', x.s), 'B') || setweight(to_tsvector('english', x.b), 'C'),
                 coalesce((select sum(coalesce(array_length(positions, 1), 1)) from unnest(to_tsvector('english', x.q || ' ' || x.s || ' ' || x.b))), 0)
          from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, doc jsonb, q text, s text, b text)`);
        await tx.execute(sql`
          insert into search_terms (term, df) values (${DOC_COUNT_TERM}, ${documents.length})
          on conflict (term) do update set df = search_terms.df + excluded.df`);
        const avg = rows<{ avg: number | null }>(await tx.execute(sql`select avg(length)::float8 as avg from search_documents`))[0]?.avg ?? 1;
        await tx.execute(sql`
          insert into search_postings (term, answer_id, impact)
          select z.term, z.id, (z.tfw * ${sql.raw(String(K1 + 1))}) / (z.tfw + ${sql.raw(String(K1))} * (${sql.raw(String(1 - B))} + ${sql.raw(String(B))} * greatest(z.len, 1) / ${sql.raw(Math.max(avg, 1).toFixed(4))}))
          from (
            select x.id, t.lexeme as term, sum(t.w * coalesce(array_length(t.positions, 1), 1))::float8 as tfw, max(d.length) as len
            from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, q text, s text, b text)
            join search_documents d on d.answer_id = x.id
            cross join lateral (
              select lexeme, positions, ${sql.raw(String(W_QUESTION))} as w from unnest(to_tsvector('english', x.q))
              union all select lexeme, positions, ${sql.raw(String(W_SHORT))} from unnest(to_tsvector('english', x.s))
              union all select lexeme, positions, ${sql.raw(String(W_BODY))} from unnest(to_tsvector('english', x.b))
            ) t
            group by x.id, t.lexeme
          ) z
          order by z.term`);
        await tx.execute(sql`
          insert into search_terms (term, df)
          select term, count(*)::int from search_postings
          where answer_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb))
          group by term order by term
          on conflict (term) do update set df = search_terms.df + excluded.df`);
      });
    },

    async remove(ids: string[]) {
      if (ids.length === 0) return;
      await getDb().transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(727275)`);
        await removeIn(tx, ids);
      });
    },

    async search(query: SearchQuery): Promise<SearchResult> {
      const db = getDb();
      const limit = Math.min(Math.max(query.limit ?? 10, 1), 50);
      const offset = Math.max(query.offset ?? 0, 0);
      const analyzed = analyzeQuery(query.q);
      const timing = process.env.SEARCH_TIMING ? [performance.now()] : null;
      const mark = (label: string) => {
        if (timing) {
          timing.push(performance.now());
          process.stderr.write(`${label} ${(timing.at(-1)! - timing.at(-2)!).toFixed(2)}ms  `);
        }
      };
      if (analyzed.words.length === 0) return { hits: [], total: 0 };

      // 1. In one round trip: stem every word (stopwords come back empty), look up the stems the
      //    index knows, the document count, and completions of the last word (it may be unfinished).
      const prefixWord = analyzed.prefix && analyzed.words.at(-1)!.length >= 2 ? analyzed.words.at(-1)! : "";
      const [analysis] = rows<{ words: { ord: number; word: string; lexemes: string[] }[]; known: TermStat[] | null; completions: TermStat[] | null }>(
        await db.execute(sql`
          with w as (
            select w.ord::int as ord, w.word, array(select lexeme from unnest(to_tsvector('english', w.word))) as lexemes
            from jsonb_array_elements_text(${JSON.stringify(analyzed.words)}::jsonb) with ordinality as w(word, ord))
          select
            (select jsonb_agg(jsonb_build_object('ord', ord, 'word', word, 'lexemes', to_jsonb(lexemes)) order by ord) from w) as words,
            (select jsonb_agg(jsonb_build_object('term', t.term, 'df', t.df)) from search_terms t
               where t.term = ${DOC_COUNT_TERM} or t.term in (select unnest(lexemes) from w)) as known,
            (select jsonb_agg(jsonb_build_object('term', c.term, 'df', c.df)) from (
               select term, df from search_terms where ${prefixWord} <> '' and term like ${prefixWord + "%"} and term <> ${DOC_COUNT_TERM}
               order by df desc limit 6) c) as completions`),
      );
      const stems = analysis?.words ?? [];
      const known = new Map((analysis?.known ?? []).map((r) => [r.term, r.df]));
      const docCount = Math.max(known.get(DOC_COUNT_TERM) ?? 0, 1);
      mark("analysis");

      // term → weight factor (1 for the word itself; less for corrections, prefixes and synonyms)
      const terms = new Map<string, number>();
      const add = (term: string, factor: number) => terms.set(term, Math.max(terms.get(term) ?? 0, factor));
      const unknown: string[] = [];
      for (const s of stems) {
        for (const l of s.lexemes) {
          if (known.has(l)) add(l, 1);
          else if (l.length >= 3) unknown.push(l);
        }
      }
      // 2. Typos: an unknown word maps to the closest indexed words by trigram similarity.
      if (unknown.length > 0) {
        // Trigram neighbours catch most typos; an edit distance of two on words with the same first
        // letters catches transpositions ("refnud") that share too few trigrams.
        const fixes = rows<{ w: string; term: string; sim: number; df: number }>(
          await db.execute(sql`
            select q.w, t.term, t.sim::float8 as sim, t.df from jsonb_array_elements_text(${JSON.stringify(unknown.slice(0, 8))}::jsonb) as q(w)
            cross join lateral (
              select term, df, sim from (
                select term, df, similarity(term, q.w) as sim from search_terms
                where term % q.w and term <> ${DOC_COUNT_TERM}
                union
                select term, df, 1 - levenshtein(term, q.w)::float8 / greatest(length(term), length(q.w)) as sim from search_terms
                where term like substr(q.w, 1, 2) || '%' and abs(length(term) - length(q.w)) <= 2
                  and levenshtein_less_equal(term, q.w, 2) <= (case when length(q.w) <= 4 then 1 else 2 end) and term <> ${DOC_COUNT_TERM}
              ) c order by sim desc, df desc limit 2) t`),
        );
        for (const f of fixes) {
          if (f.sim >= 0.4) {
            add(f.term, 0.9 * f.sim);
            known.set(f.term, f.df);
          }
        }
      }
      mark("typos");
      // 3. The last word as typed may be unfinished: its completions count too.
      if (prefixWord) {
        for (const c of analysis?.completions ?? []) {
          add(c.term, c.term === prefixWord ? 1 : 0.8);
          known.set(c.term, c.df);
        }
      }
      mark("prefix");
      // 4. Synonyms: when every word of one phrase of a group is asked for, the others count too.
      const groups = await synonymGroups(db);
      // Every word asked for counts here, even one the index has never seen ("domicile").
      const asked = new Set([...terms.keys(), ...stems.flatMap((s) => s.lexemes)]);
      for (const g of groups) {
        if (!g.lexemes.some((phrase) => phrase.every((l) => asked.has(l)))) continue;
        for (const phrase of g.lexemes) for (const l of phrase) if (!asked.has(l)) add(l, 0.8);
      }
      if (terms.size === 0) return { hits: [], total: 0 };
      // Synonym terms may be new: fetch their document frequencies.
      const missing = [...terms.keys()].filter((t) => !known.has(t));
      if (missing.length > 0) {
        for (const r of rows<TermStat>(await db.execute(sql`select term, df from search_terms where term in (select jsonb_array_elements_text(${JSON.stringify(missing)}::jsonb))`))) {
          known.set(r.term, r.df);
        }
      }

      // 5. Keep the informative terms: weight by IDF, drop what nearly every answer contains.
      let weighted = [...terms.entries()]
        .map(([term, factor]) => {
          const df = known.get(term) ?? 0;
          return { term, df, w: factor * Math.log(1 + (docCount - df + 0.5) / (df + 0.5)) };
        })
        .filter((t) => t.df > 0)
        .sort((a, b) => b.w - a.w);
      const informative = weighted.filter((t) => t.df <= docCount * 0.3);
      if (informative.length >= 2) weighted = informative;
      weighted = weighted.slice(0, MAX_TERMS);
      if (weighted.length === 0) return { hits: [], total: 0 };

      // 6. Candidates: the best postings of each term, BM25-summed.
      const filters: SQL[] = [];
      if (query.audience) filters.push(sql`d.audience = ${query.audience}`);
      if (query.topicIds?.length) filters.push(sql`d.topic_ids && array(select jsonb_array_elements_text(${JSON.stringify(query.topicIds)}::jsonb))::uuid[]`);
      if (query.tags?.length) filters.push(sql`d.tags && array(select jsonb_array_elements_text(${JSON.stringify(query.tags)}::jsonb))`);
      if (query.states?.length) filters.push(sql`d.doc->>'state' in (select jsonb_array_elements_text(${JSON.stringify(query.states)}::jsonb))`);
      const filtered = filters.length > 0;
      const termsJson = JSON.stringify(weighted.map(({ term, w }) => ({ term, w })));
      const original = stems.flatMap((s) => s.lexemes.filter((l) => terms.has(l)));
      const bigrams: string[] = [];
      for (let i = 0; i + 1 < original.length && bigrams.length < 10; i++) {
        const a = original[i]!.replace(/'/g, "''");
        const b = original[i + 1]!.replace(/'/g, "''");
        if (a !== b) bigrams.push(`'${a}' <-> '${b}'`);
      }
      const postings = filtered
        ? sql`select p.answer_id, p.impact from search_postings p join search_documents d on d.answer_id = p.answer_id
              where p.term = q.term and ${sql.join(filters, sql` and `)} order by p.impact desc limit ${POSTINGS_PER_TERM}`
        : sql`select p.answer_id, p.impact from search_postings p where p.term = q.term order by p.impact desc limit ${POSTINGS_PER_TERM}`;
      // 6–7. Candidates (the best postings of each term, BM25-summed), then words of the query that
      //      stand next to each other in the answer (phrases) earn a bonus — one round trip.
      const scored = rows<{ answer_id: string; score: number; total: number; doc: SearchDocument; phrases: number }>(
        await db.execute(sql`
          with c as (
            select p.answer_id, sum(q.w * p.impact)::float8 as score, count(*) over ()::int as total
            from jsonb_to_recordset(${termsJson}::jsonb) as q(term text, w float8)
            cross join lateral (${postings}) p
            group by p.answer_id order by score desc limit ${RERANK + offset})
          select c.answer_id, c.score, c.total, d.doc,
                 (select count(*)::int from jsonb_array_elements_text(${JSON.stringify(bigrams)}::jsonb) b where d.tsv @@ to_tsquery('simple', b.value)) as phrases
          from c join search_documents d on d.answer_id = c.answer_id`),
      );
      mark("candidates");
      if (scored.length === 0) return { hits: [], total: 0 };
      const headlineQuery = orQuery(weighted.map((t) => t.term));
      const all = scored
        .map((r) => ({ ...r, score: r.score * (1 + 0.25 * Math.min(r.phrases, 4)) }))
        .sort((a, b) => b.score - a.score || a.answer_id.localeCompare(b.answer_id));
      // Answers that share only a stray word with the query are noise under the good ones.
      const floor = (all[0]?.score ?? 0) * 0.15;
      const ranked = all.filter((r) => r.score >= floor).slice(offset, offset + limit);
      if (ranked.length === 0) return { hits: [], total: scored[0]?.total ?? 0 };

      // 8. Highlights for the page of results only.
      const opts = `StartSel=${MARK_OPEN}, StopSel=${MARK_CLOSE}`;
      const marks = rows<{ answer_id: string; question: string; short: string; body: string }>(
        await db.execute(sql`
          select d.answer_id,
                 ts_headline('english', d.doc->>'question', to_tsquery('simple', ${headlineQuery}), ${opts + ", HighlightAll=true"}) as question,
                 ts_headline('english', d.doc->>'shortAnswer', to_tsquery('simple', ${headlineQuery}), ${opts + ", HighlightAll=true"}) as short,
                 ts_headline('english', d.doc->>'body', to_tsquery('simple', ${headlineQuery}), ${opts + ", MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter= … "}) as body
          from search_documents d
          where d.answer_id in (select jsonb_array_elements_text(${JSON.stringify(ranked.map((r) => r.answer_id))}::jsonb)::uuid)`),
      );
      mark("headlines");
      if (timing) process.stderr.write("\n");
      const hits: SearchHit[] = ranked.map((r) => {
        const m = marks.find((x) => x.answer_id === r.answer_id);
        return {
          document: r.doc,
          score: r.score,
          highlights: { question: highlight(m?.question), shortAnswer: highlight(m?.short), body: highlight(m?.body) },
        };
      });
      return { hits, total: scored[0]?.total ?? hits.length };
    },

    async setSynonyms(groups: string[][]) {
      // This engine reads the synonym table itself: storing them is configuring it.
      await storeSynonyms(getDb(), groups);
      synonymCache = null;
    },

    async clear() {
      await getDb().transaction(async (tx) => {
        await tx.execute(sql`select pg_advisory_xact_lock(727275)`);
        await tx.execute(sql`delete from search_postings`);
        await tx.execute(sql`delete from search_documents`);
        await tx.execute(sql`delete from search_terms`);
      });
    },

    async health() {
      try {
        await getDb().execute(sql`select 1 from search_terms limit 1`);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
  };
}

/** The synonym groups, the source of truth for both engines. */
export async function storeSynonyms(db: Db, groups: string[][]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`delete from search_synonyms`);
    for (const terms of groups) {
      await tx.execute(sql`insert into search_synonyms (terms) select array(select jsonb_array_elements_text(${JSON.stringify(terms)}::jsonb))`);
    }
  });
}

export async function loadSynonyms(db: DbOrTx): Promise<string[][]> {
  return rows<{ terms: string[] }>(await db.execute(sql`select terms from search_synonyms order by created_at, id`)).map((r) => r.terms);
}
