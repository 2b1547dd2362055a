import { sql, type SQL } from "drizzle-orm";
import { isSharedServer, listenToOthers, preparedRows, rowsOf, type Db, type DbOrTx } from "../db/client.server";
import { highlightText, normalizeWord, scanWords, termHeads } from "./highlight";
import type { SearchDocument, SearchHit, SearchIndex, SearchQuery, SearchResult } from "./index";
import { analyzeQuery } from "./query";
import { parseTsvector, planQuery, ResidentIndex, TUNING, tuningGeneration, type SynonymGroup } from "./resident";
import { encodeQuery, encodeSentences, semanticSearchEnabled } from "./sentence-encoder";
import { packVectors } from "./vector-store";

/**
 * The embedded search engine: no server besides PostgreSQL (or PGlite). PostgreSQL holds the
 * index — one row per certified answer in search_documents, its question and phrasings, short
 * answer and body made into weighted lexemes by the `english` configuration (stemming,
 * stopwords) — and does all the stemming, of documents and of queries. Each process ranks over a
 * copy of those rows in memory (search/resident.ts: BM25 with field weights, typo correction,
 * completion of the last word, synonyms, phrase bonus, bounded reads of common terms) and keeps
 * recently returned answers, so a typical search makes no round trip at all. The copy follows
 * the table by version: writes in this process update it before they return; writes elsewhere
 * arrive by NOTIFY (and a poll every few seconds, in case a notification is lost). See
 * docs/decisions/008-resident-search-index.md.
 */

const LOAD_PAGE = 5000;
/** More changes than this since our copy was made: loading afresh is cheaper than catching up. */
const CATCH_UP_LIMIT = 20_000;
const STEM_CACHE_MAX = 200_000;
/** Answers kept as returned, most recently used last; the rest are read when needed. */
const DOC_CACHE_MAX = 20_000;
const POLL_MS = 3000;
/** A slice of sorting a fresh copy's lists between requests: short enough not to be felt by one. */
const PREPARE_SLICE_MS = 8;
/** Answers given their meaning vectors per transaction (~0.1–0.3 s of the encoder's time). */
const VECTOR_BATCH = 32;
/** The question and the first author phrasings get vectors (and as many learned ones); more add little and cost memory. */
const PHRASES_WITH_VECTORS = 8;
/** A learned phrasing's cosine counts this much of an author's. */
const LEARNED_VECTOR_WEIGHT = 0.95;
const CHANNEL = "vetted_search";

function rows<T>(result: unknown): T[] {
  return rowsOf<T>(result);
}

const ids = (xs: readonly string[]) => JSON.stringify(xs);

// Stemming depends only on PostgreSQL's `english` configuration, so one cache serves every index.
const stemCache = new Map<string, string[]>();
/** The words the `english` configuration drops (its stop list, as queries met them). */
const stopwords = new Set<string>();

/**
 * Each word's lexemes as PostgreSQL's `english` configuration makes them; a word on its stop list
 * is itself (lower-cased), which only questions index (see `questionLexemes`).
 */
async function stemWords(db: DbOrTx, words: readonly string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const missing: string[] = [];
  for (const w of new Set(words)) {
    const cached = stemCache.get(w);
    if (cached) out.set(w, cached);
    else missing.push(w);
  }
  if (missing.length === 0) return out;
  const found = await preparedRows<{ word: string; lexemes: string[]; stop: boolean }>(
    db,
    sql`
      select w.word, coalesce((select jsonb_agg(lexeme) from unnest(to_tsvector('english', w.word))),
                              (select jsonb_agg(lexeme) from unnest(to_tsvector('simple', w.word))), '[]'::jsonb) as lexemes,
             to_tsvector('english', w.word) = ''::tsvector and to_tsvector('simple', w.word) <> ''::tsvector as stop
      from jsonb_array_elements_text(${ids(missing)}::jsonb) as w(word)`,
  );
  if (stemCache.size + found.length > STEM_CACHE_MAX) {
    // Oldest first: Map keeps insertion order.
    let drop = stemCache.size / 2;
    for (const k of stemCache.keys()) {
      if (drop-- <= 0) break;
      stemCache.delete(k);
    }
  }
  for (const r of found) {
    if (r.stop) stopwords.add(r.word);
    stemCache.set(r.word, r.lexemes);
    out.set(r.word, r.lexemes);
  }
  return out;
}

interface Copy {
  index: ResidentIndex;
  version: number;
  epoch: number;
  synonymsVersion: number;
  synonyms: SynonymGroup[];
  loadedAt: number;
  caughtUpAt: number;
  preparedAt: number | null;
  /** The forgetResults() generation the copy's remembered nearest vectors belong to. */
  forgotten: number;
}

interface StateRow {
  version: number | string;
  epoch: number | string;
  synonyms_version: number | string;
}

type DocRow = [answerId: string, topicIds: string[], tags: string[], audience: string, state: string, tsv: string, key: string | null, vectors: string | null];

// The tie-break key: the import id, else the creation time to the microsecond (then the id), so
// the same corpus ranks the same however its rows were loaded.
const DOC_COLUMNS = sql`json_build_array(d.answer_id, d.topic_ids, d.tags, d.audience, d.state, d.tsv::text,
  (select coalesce(a.external_id, to_char(a.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || ' ' || a.id) from answers a where a.id = d.answer_id),
  translate(encode(d.vectors, 'base64'), E'\n', ''))`;

/**
 * A question's lexemes: the `english` configuration's (stemmed, stopwords dropped), plus the words
 * its stop list drops, as they are, at their own positions. Short queries carry their intent in
 * those words (*when*, *off*, *up*, *through*); they are kept in questions and phrasings only, where
 * they are few, and their low IDF keeps them from weighing on long queries. Each word is also
 * stored as it was written, `=word` at its position, which the copy keeps apart from the lexemes:
 * a query word whose stem an answer's question has only in another form (*mean* for *meaning*)
 * counts a little less there (TUNING.surfacePenalty in search/resident.ts).
 */
function questionLexemes(text: SQL): SQL {
  return sql`(to_tsvector('english', ${text})::text || ' ' || (select coalesce(string_agg(quote_literal(u.lexeme) || ':' || array_to_string(u.positions, ','), ' '), '')
    from unnest(to_tsvector('simple', ${text})) u where to_tsvector('english', u.lexeme) = ''::tsvector)
    || ' ' || (select coalesce(string_agg(quote_literal('=' || u.lexeme) || ':' || array_to_string(u.positions, ','), ' '), '')
    from unnest(to_tsvector('simple', ${text})) u))::tsvector`;
}

/**
 * The query as the sentence encoder reads it: a misspelt word the index does not know is replaced
 * by the correction the words' ranking uses (*refnd not recieved* is read as *refund not
 * receiv*), so meaning has the same typo tolerance as the words.
 */
function meaningText(index: ResidentIndex, words: { word: string; lexemes: string[] }[]): string {
  return words
    .map(({ word, lexemes }) => {
      if (word.length < TUNING.correctionMinLength || lexemes.length === 0 || lexemes.some((l) => index.frequency(l) > 0)) return word;
      const fix = index.corrections(lexemes[0]!)[0];
      return fix && fix.sim >= TUNING.correctionMinSim ? fix.term : word;
    })
    .join(" ");
}

function apply(index: ResidentIndex, row: DocRow) {
  const [answerId, topicIds, tags, audience, state, tsv, key, vectors] = row;
  const terms = parseTsvector(tsv);
  // The number of words, for BM25's length normalisation: every position of every lexeme (not of
  // the written forms, which repeat the question's positions).
  const length = terms.reduce((n, t) => n + (t.lexeme.startsWith("=") ? 0 : Math.max(t.positions.length, 1)), 0);
  index.upsert({ answerId, topicIds, tags, audience, state, length, terms, key: key ?? answerId, vectors: vectors ? Buffer.from(vectors, "base64") : null });
}

async function loadSynonymGroups(db: DbOrTx): Promise<SynonymGroup[]> {
  const result = await db.execute(sql`
    select (select coalesce(jsonb_agg((select coalesce(jsonb_agg(lexeme), '[]'::jsonb) from unnest(to_tsvector('english', t)))), '[]'::jsonb)
            from unnest(s.terms) t) as lexemes
    from search_synonyms s`);
  return rows<{ lexemes: string[][] }>(result).map((r) => ({ lexemes: r.lexemes.filter((l) => l.length > 0) }));
}

/** Takes the next index version; the row lock it holds until commit puts writers in order. */
async function nextVersion(tx: DbOrTx, bump: "version" | "epoch" | "synonyms" = "version"): Promise<number> {
  const set =
    bump === "epoch"
      ? sql`version = version + 1, epoch = epoch + 1`
      : bump === "synonyms"
        ? sql`version = version + 1, synonyms_version = synonyms_version + 1`
        : sql`version = version + 1`;
  const [row] = rows<{ version: number | string }>(await tx.execute(sql`update search_state set ${set} where id = 1 returning version`));
  if (!row) throw new Error("search_state has no row: run the migrations");
  // Delivered when the transaction commits, to every process that keeps a copy.
  await tx.execute(sql`select pg_notify(${CHANNEL}, ${String(row.version)})`);
  return Number(row.version);
}

/**
 * What one process keeps for one database: the copy of the index and the answers it returned
 * lately. Shared by every SearchIndex made over the same database (the server's, a CLI's, a
 * test's), so whichever of them writes, all of them read the result at once.
 */
interface Resident {
  copy: Copy | null;
  loading: Promise<Copy> | null;
  catchingUp: Promise<void> | null;
  docs: Map<string, SearchDocument>;
  following: boolean;
  /** Results of recent searches, valid for one version of one copy (ResultCache). */
  results: ResultCache;
}

/**
 * The last RESULT_CACHE searches' results, for as long as the copy they were ranked on does not
 * change: any write bumps the version, which empties it (Elasticsearch's request cache works the
 * same way, dropped on every refresh). Agents ask the same questions in the same words, the
 * help-desk panel repeats a ticket's subject on every open, and typing repeats prefixes; a search
 * asked again costs a lookup instead of a ranking (with meaning, the nearest vectors).
 */
const RESULT_CACHE = 1000;
let resultGeneration = 0;
/** Makes every remembered result unreachable, and the copy's remembered nearest vectors (bench:search measures the ranking itself). */
export function forgetResults(): void {
  resultGeneration++;
}
class ResultCache {
  private copy: Copy | null = null;
  private version = -1;
  private entries = new Map<string, SearchResult>();

  private valid(copy: Copy) {
    if (this.copy !== copy || this.version !== copy.version) {
      this.entries.clear();
      this.copy = copy;
      this.version = copy.version;
    }
  }

  get(copy: Copy, key: string): SearchResult | undefined {
    this.valid(copy);
    const hit = this.entries.get(key);
    if (!hit) return undefined;
    this.entries.delete(key);
    this.entries.set(key, hit);
    // Callers get their own arrays: sorting or trimming one must not change the next answer.
    return { hits: [...hit.hits], total: hit.total };
  }

  /** Kept only if the copy did not move while the result was computed. */
  set(copy: Copy, version: number, key: string, result: SearchResult): void {
    this.valid(copy);
    if (copy.version !== version) return;
    if (this.entries.size >= RESULT_CACHE) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { hits: [...result.hits], total: result.total });
  }
}


const residents = new WeakMap<Db, Resident>();

function residentFor(db: Db): Resident {
  let r = residents.get(db);
  if (!r) residents.set(db, (r = { copy: null, loading: null, catchingUp: null, docs: new Map(), following: false, results: new ResultCache() }));
  return r;
}

export function createPostgresIndex(getDb: () => Db): SearchIndex {
  /** A whole new copy: pages through every row, then catches up on what changed meanwhile. */
  async function load(db: Db, resident: Resident): Promise<Copy> {
    for (;;) {
      const [state] = rows<StateRow>(await db.execute(sql`select version, epoch, synonyms_version from search_state where id = 1`));
      if (!state) throw new Error("search_state has no row: run the migrations");
      const fresh: Copy = {
        index: new ResidentIndex(),
        version: Number(state.version),
        epoch: Number(state.epoch),
        synonymsVersion: Number(state.synonyms_version),
        synonyms: await loadSynonymGroups(db),
        loadedAt: Date.now(),
        caughtUpAt: Date.now(),
        preparedAt: null,
        forgotten: resultGeneration,
      };
      resident.docs.clear();
      let after = "00000000-0000-0000-0000-000000000000";
      for (;;) {
        const page = rows<{ r: DocRow }>(
          await db.execute(sql`select ${DOC_COLUMNS} as r from search_documents d where d.answer_id > ${after}::uuid order by d.answer_id limit ${LOAD_PAGE}`),
        );
        for (const { r } of page) apply(fresh.index, r);
        if (page.length < LOAD_PAGE) break;
        after = page[page.length - 1]!.r[0];
      }
      // Rows written while we paged have seq > the version we started from; an emptied index starts over.
      if ((await catchUp(db, fresh, resident)) === "done") return fresh;
    }
  }

  /** Applies every change since the copy's version, read in one statement (one snapshot). */
  async function catchUp(db: Db, target: Copy, resident: Resident): Promise<"done" | "reload"> {
    const [r] = rows<StateRow & { docs: DocRow[] | null; removed: string[] | null; more: boolean }>(
      await db.execute(sql`
        select s.version, s.epoch, s.synonyms_version,
          (select json_agg(x.r) from (select ${DOC_COLUMNS} as r from search_documents d where d.seq > ${target.version} limit ${CATCH_UP_LIMIT}) x) as docs,
          (select json_agg(r.answer_id) from search_removed r where r.seq > ${target.version}) as removed,
          (select count(*) > ${CATCH_UP_LIMIT} from search_documents d where d.seq > ${target.version}) as more
        from search_state s where s.id = 1`),
    );
    if (!r) throw new Error("search_state has no row: run the migrations");
    if (Number(r.epoch) !== target.epoch || r.more) return "reload";
    for (const id of r.removed ?? []) {
      target.index.remove(id);
      resident.docs.delete(id);
    }
    for (const row of r.docs ?? []) {
      apply(target.index, row);
      resident.docs.delete(row[0]);
    }
    if (Number(r.synonyms_version) !== target.synonymsVersion) target.synonyms = await loadSynonymGroups(db);
    target.version = Number(r.version);
    target.synonymsVersion = Number(r.synonyms_version);
    target.caughtUpAt = Date.now();
    return "done";
  }

  /** Hears about writes by other processes: NOTIFY at once, and a slow poll as a safety net. */
  function follow(db: Db, resident: Resident) {
    if (resident.following) return;
    resident.following = true;
    const onChange = () => void refresh(db, resident).catch(() => undefined);
    const poll = () => setInterval(onChange, POLL_MS).unref();
    // PGlite (null): nobody else can write. A server where LISTEN fails (a pooler in transaction
    // mode, say) still gets the poll, so a copy is never more than a few seconds behind.
    void listenToOthers(db, CHANNEL, onChange).then((unlisten) => unlisten && poll(), poll);
  }

  /**
   * Sorts a fresh copy's long posting lists a slice at a time, yielding to requests in between:
   * at 100,000 answers, sorting them on first use was over half the ranking cost of new queries
   * on a freshly started server (docs/benchmarks.md, eleventh session). Stops when the copy is
   * replaced; unref'd, so it never keeps a command-line run alive.
   */
  function prepareBetweenRequests(resident: Resident, copy: Copy): Copy {
    const slice = () => {
      if (resident.copy && resident.copy !== copy) return;
      if (copy.index.prepareImpactOrders(PREPARE_SLICE_MS)) copy.preparedAt = Date.now();
      else setTimeout(slice, 0).unref();
    };
    setTimeout(slice, 0).unref();
    return copy;
  }

  async function ready(db: Db): Promise<Copy> {
    const resident = residentFor(db);
    if (resident.copy) return resident.copy;
    follow(db, resident);
    resident.loading ??= load(db, resident)
      .then((copy) => prepareBetweenRequests(resident, copy))
      .finally(() => (resident.loading = null));
    resident.copy = await resident.loading;
    return resident.copy;
  }

  /** Brings this process's copy up to what is committed; concurrent callers share one catch-up. */
  async function refresh(db: Db, resident: Resident = residentFor(db)): Promise<void> {
    if (!resident.copy) return;
    resident.catchingUp ??= (async () => {
      const current = resident.copy!;
      const outcome = await catchUp(db, current, resident);
      // Emptied, far behind, or full of replaced documents: start over.
      if (outcome === "reload" || current.index.wasted > Math.max(10_000, current.index.size)) {
        resident.copy = null;
        await ready(db);
      }
    })().finally(() => (resident.catchingUp = null));
    await resident.catchingUp;
  }

  /** The answers as the index holds them: from this process's memory, or in one read. */
  async function documents(db: Db, answerIds: string[]): Promise<Map<string, SearchDocument>> {
    const resident = residentFor(db);
    const out = new Map<string, SearchDocument>();
    const missing: string[] = [];
    for (const id of answerIds) {
      const cached = resident.docs.get(id);
      if (cached === undefined) {
        missing.push(id);
        continue;
      }
      resident.docs.delete(id);
      resident.docs.set(id, cached);
      out.set(id, cached);
    }
    if (missing.length > 0) {
      const found = await preparedRows<{ id: string; doc: SearchDocument }>(
        db,
        sql`select d.answer_id as id, d.doc from search_documents d
          where d.answer_id in (select value::uuid from jsonb_array_elements_text(${ids(missing)}::jsonb))`,
      );
      for (const f of found) {
        out.set(f.id, f.doc);
        resident.docs.set(f.id, f.doc);
      }
      for (const id of resident.docs.keys()) {
        if (resident.docs.size <= DOC_CACHE_MAX) break;
        resident.docs.delete(id);
      }
    }
    return out;
  }

  async function upsertIn(tx: DbOrTx, documents: SearchDocument[]) {
    const version = await nextVersion(tx);
    const payload = JSON.stringify(
      documents.map((d) => ({ id: d.id, doc: d, q: [d.question, ...d.alternatives].join("\n"), l: (d.learnedPhrasings ?? []).join("\n"), s: d.shortAnswer, b: d.body })),
    );
    await tx.execute(sql`
      insert into search_documents as t (answer_id, doc, topic_ids, tags, audience, state, tsv, seq, indexed_at, vectors_of)
      select x.id, x.doc,
             array(select jsonb_array_elements_text(x.doc->'topicIds'))::uuid[],
             array(select jsonb_array_elements_text(x.doc->'tags')),
             x.doc->>'audience', x.doc->>'state', v.tsv, ${version}, now(), md5(x.q || E'\n\n' || coalesce(x.l, ''))
      from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, doc jsonb, q text, l text, s text, b text)
      cross join lateral (select setweight(${questionLexemes(sql`x.q`)}, 'A') || setweight(${questionLexemes(sql`coalesce(x.l, '')`)}, 'D') || setweight(to_tsvector('english', x.s), 'B') || setweight(to_tsvector('english', x.b), 'C') as tsv) v
      on conflict (answer_id) do update set doc = excluded.doc, topic_ids = excluded.topic_ids, tags = excluded.tags, audience = excluded.audience,
        state = excluded.state, tsv = excluded.tsv, seq = excluded.seq, indexed_at = excluded.indexed_at,
        -- The meaning vectors stay while the texts they were computed from do.
        vectors = case when t.vectors_of = excluded.vectors_of then t.vectors end, vectors_of = excluded.vectors_of`);
    await tx.execute(sql`delete from search_removed where answer_id in (select value::uuid from jsonb_array_elements_text(${ids(documents.map((d) => d.id))}::jsonb))`);
  }

  async function removeIn(tx: DbOrTx, answerIds: string[]) {
    const version = await nextVersion(tx);
    await tx.execute(sql`
      with d as (delete from search_documents where answer_id in (select value::uuid from jsonb_array_elements_text(${ids(answerIds)}::jsonb)) returning answer_id)
      insert into search_removed (answer_id, seq) select answer_id, ${version} from d
      on conflict (answer_id) do update set seq = excluded.seq`);
  }

  async function highlightsFor(db: DbOrTx, docs: SearchDocument[], terms: string[]): Promise<SearchHit["highlights"][]> {
    // Only words that begin like a query term can stem to one: only those are made into strings
    // and asked about (search/highlight.ts).
    const heads = termHeads(terms);
    const scans = docs.map((d) => ({ question: scanWords(d.question, heads), short: scanWords(d.shortAnswer, heads), body: scanWords(d.body, heads) }));
    const stems = await stemWords(
      db,
      scans.flatMap((s) => [...s.question.candidates.values(), ...s.short.candidates.values(), ...s.body.candidates.values()]),
    );
    const wanted = new Set(terms);
    // Asked once per distinct word: a body repeats its words, and ten bodies share most of them.
    const verdicts = new Map<string, boolean>();
    const isMatch = (w: string) => {
      let m = verdicts.get(w);
      if (m === undefined) verdicts.set(w, (m = stems.get(w)?.some((l) => wanted.has(l)) ?? false));
      return m;
    };
    return docs.map((d, i) => ({
      question: highlightText(d.question, isMatch, undefined, scans[i]!.question),
      shortAnswer: highlightText(d.shortAnswer, isMatch, undefined, scans[i]!.short),
      body: highlightText(d.body, isMatch, { count: 2, words: 24 }, scans[i]!.body),
    }));
  }

  /** Encodes up to `limit` indexed answers that lack vectors and stores them, unless their texts changed meanwhile. */
  async function embedBatch(db: Db, limit: number): Promise<number> {
    const pending = rows<{ answer_id: string; vectors_of: string | null; texts: string[]; learned: string[] }>(
      await db.execute(sql`
        select answer_id, vectors_of, jsonb_build_array(doc->>'question') || coalesce(doc->'alternatives', '[]'::jsonb) as texts,
               coalesce(doc->'learnedPhrasings', '[]'::jsonb) as learned
        from search_documents where vectors is null order by answer_id limit ${limit}`),
    );
    if (pending.length === 0) return 0;
    // The author's question and phrasings count fully; agents' learned wordings a little less,
    // as their words do (FIELD_WEIGHT.D): an official phrasing wins a tie with a learned one.
    const texts = pending.map((p) => [
      ...p.texts.filter((t) => t.trim()).slice(0, PHRASES_WITH_VECTORS).map((text) => ({ text, weight: 1 })),
      ...p.learned.filter((t) => t.trim()).slice(0, PHRASES_WITH_VECTORS).map((text) => ({ text, weight: LEARNED_VECTOR_WEIGHT })),
    ]);
    const flat = await encodeSentences(texts.flat().map((t) => t.text));
    let at = 0;
    const payload = JSON.stringify(
      pending.map((p, i) => {
        const mine = texts[i]!;
        const vectors = flat.slice(at, (at += mine.length));
        return { id: p.answer_id, of: p.vectors_of, v: packVectors(vectors, mine.map((t) => t.weight)).toString("base64") };
      }),
    );
    await db.transaction(async (tx) => {
      const version = await nextVersion(tx);
      // Only if the texts are still the ones encoded: an edit meanwhile nulled them for the next round.
      await tx.execute(sql`
        update search_documents t set vectors = decode(x.v, 'base64'), seq = ${version}
        from jsonb_to_recordset(${payload}::jsonb) as x(id uuid, of text, v text)
        where t.answer_id = x.id and t.vectors is null and t.vectors_of is not distinct from x.of`);
    });
    await refresh(db);
    return pending.length;
  }

  return {
    engine: "postgres",

    async upsert(documents: SearchDocument[]) {
      if (documents.length === 0) return;
      const db = getDb();
      await db.transaction((tx) => upsertIn(tx, documents));
      await refresh(db);
    },

    async remove(answerIds: string[]) {
      if (answerIds.length === 0) return;
      const db = getDb();
      await db.transaction((tx) => removeIn(tx, answerIds));
      await refresh(db);
    },

    async search(query: SearchQuery): Promise<SearchResult> {
      const db = getDb();
      const limit = Math.min(Math.max(query.limit ?? 10, 1), 50);
      const offset = Math.max(query.offset ?? 0, 0);
      const analyzed = analyzeQuery(query.q);
      if (analyzed.words.length === 0) return { hits: [], total: 0 };
      const stems = await stemWords(db, analyzed.words);
      const words = analyzed.words.map((word) => ({ word, lexemes: stems.get(word) ?? [], stop: stopwords.has(word) }));
      const last = analyzed.words.at(-1)!;
      const prefixWord = analyzed.prefix && !query.submitted && last.length >= 2 ? normalizeWord(last) : "";
      const filter = { audience: query.audience, states: query.states, topicIds: query.topicIds, tags: query.tags };

      const current = await ready(db);
      const semantic = semanticSearchEnabled();
      const key = JSON.stringify([analyzed.words, prefixWord, filter, limit, offset, semantic, tuningGeneration(), resultGeneration]);
      const resident = residentFor(db);
      const cached = resident.results.get(current, key);
      if (cached) return cached;
      if (current.forgotten !== resultGeneration) {
        current.index.forgetNearest();
        current.forgotten = resultGeneration;
      }
      const version = current.version;
      // The encoder (its own thread) works on the query while the words are ranked here.
      const encoding = semantic && current.index.withVectors > 0 ? encodeQuery(meaningText(current.index, words)) : null;
      const plan = planQuery(current.index, words, prefixWord, current.synonyms);
      const byWords = current.index.rankWords(plan.terms, plan.bigrams, filter, offset);
      const meaning = encoding ? await encoding : null;
      if (plan.terms.length === 0 && !meaning) return { hits: [], total: 0 };
      const ranked = current.index.finishRanking(byWords, meaning, limit, offset);
      const docs = await documents(db, ranked.ids);
      // An answer removed a moment ago may still be in the copy: it is simply left out.
      const found = ranked.ids.flatMap((id, i) => (docs.has(id) ? [{ doc: docs.get(id)!, score: ranked.scores[i]! }] : []));
      const highlights = await highlightsFor(db, found.map((f) => f.doc), plan.terms.map((t) => t.term));
      const result = { hits: found.map((f, i) => ({ document: f.doc, score: f.score, highlights: highlights[i]! })), total: ranked.total };
      resident.results.set(current, version, key, result);
      return result;
    },

    async warmUp() {
      await ready(getDb());
    },

    async embedPending(limit = VECTOR_BATCH) {
      if (!semanticSearchEnabled()) return 0;
      const db = getDb();
      if (!isSharedServer(db)) return embedBatch(db, limit);
      // Every instance runs the vectors job, and they would all pick the same first rows: one at a
      // time holds this lock (only a lock, on a connection of its own: no row is locked, no write
      // waits) and the others skip the round. PGlite has one process, and one connection to hold.
      return db.transaction(async (tx) => {
        const [lock] = rows<{ held: boolean }>(await tx.execute(sql`select pg_try_advisory_xact_lock(hashtext('vetted:search-vectors')) as held`));
        return lock?.held ? embedBatch(db, limit) : 0;
      });
    },

    residentCopy() {
      const copy = residentFor(getDb()).copy;
      return copy
        ? { loaded: true, documents: copy.index.size, version: copy.version, loadedAt: copy.loadedAt, caughtUpAt: copy.caughtUpAt, preparedAt: copy.preparedAt }
        : { loaded: false, documents: 0, version: 0, loadedAt: null, caughtUpAt: null, preparedAt: null };
    },

    async setSynonyms(groups: string[][]) {
      // This engine reads the synonym table itself: storing them is configuring it.
      await storeSynonyms(getDb(), groups);
      await refresh(getDb());
    },

    async clear() {
      const db = getDb();
      await db.transaction(async (tx) => {
        await nextVersion(tx, "epoch");
        await tx.execute(sql`delete from search_documents`);
        await tx.execute(sql`delete from search_removed`);
      });
      await refresh(db);
    },

    async health() {
      try {
        await getDb().execute(sql`select version from search_state where id = 1`);
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
  };
}

/** The synonym groups, the source of truth for both engines; bumps the version copies watch. */
export async function storeSynonyms(db: Db, groups: string[][]): Promise<void> {
  await db.transaction(async (tx) => {
    await nextVersion(tx, "synonyms");
    await tx.execute(sql`delete from search_synonyms`);
    for (const terms of groups) {
      await tx.execute(sql`insert into search_synonyms (terms) select array(select jsonb_array_elements_text(${JSON.stringify(terms)}::jsonb))`);
    }
  });
}

export async function loadSynonyms(db: DbOrTx): Promise<string[][]> {
  return rows<{ terms: string[] }>(await db.execute(sql`select terms from search_synonyms order by created_at, id`)).map((r) => r.terms);
}
