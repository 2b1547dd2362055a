/**
 * The embedded engine's ranking, held in the memory of each app process: an inverted index over
 * the lexemes PostgreSQL's `english` configuration produced for each certified answer (the rows of
 * search_documents are the source; search/postgres.ts keeps this copy in step with them). Pure: no
 * database, no clock, so it is tested on its own (tests/unit/resident-index.test.ts).
 *
 * Why in memory: answering 20 agents at once within 30 ms on two cores leaves about a millisecond
 * of CPU per request for everything; BM25 over SQL postings costs ten (docs/decisions/008-…).
 */

import { VectorStore } from "./vector-store";

export const K1 = 1.2;
const MAX_TERMS_DEFAULT = 12;
/**
 * BM25F: each field's term frequency is normalised by that field's length against its average
 * (b per field) and weighted, the sum saturates once (K1). Fields are the tsvector weights:
 * A question and author phrasings, B short answer, C body, D learned phrasings (just below A).
 */
export const FIELDS = ["A", "B", "C", "D"] as const;
export const FIELD_WEIGHT: Record<string, number> = { A: 1, B: 0.5, C: 0.33, D: 0.8 };
export const FIELD_B: Record<string, number> = { A: 0.75, B: 0.75, C: 0.75, D: 0.3 };
/** Ranking knobs beside BM25F, in one place so search:eval can compare them. */
export const TUNING = {
  /** BM25's saturation of the fields' combined term frequency. */
  k1: K1,
  /** Score bonus per adjacent query-word pair found in the answer (at most 4 pairs)… */
  phraseBonus: 0.15,
  /** …for queries of at least this many terms: on a short query the pair is the query. */
  phraseMinTerms: MAX_TERMS_DEFAULT,
  /** Factor of a corrected word (times its similarity), and the similarity it needs. */
  correction: 0.9,
  correctionMinSim: 0.4,
  /** Unknown words shorter than this are left alone: short ones are more often real words than typos. */
  correctionMinLength: 5,
  /** Answers under this share of the best score are noise. */
  floor: 0.15,
  /** Terms in more than this share of answers are dropped when two rarer ones remain. */
  commonShare: 0.3,
  /**
   * An answer whose question has a query word's stem only in another form (*mean* for *meaning*,
   * *regard* for *regarding*; plurals are the same form) loses this share of that word's part of
   * the query's IDF weight. Snowball's stems still match; only the top RERANK answers are checked.
   */
  surfacePenalty: 0.3,
  /**
   * Meaning (search/sentence-encoder.ts) blended with the words: an answer's score is
   * semanticShare × its BM25 score over the best one's + (1 − semanticShare) × its best cosine with
   * the query, rescaled so semanticFloor (what unrelated sentences reach) counts 0. Answers that
   * share no word with the query come in from the nearest semanticCandidates when their cosine is
   * at least semanticOnly.
   */
  semanticShare: 0.25,
  semanticFloor: 0.3,
  semanticOnly: 0.5,
  semanticCandidates: 100,
};

/** Harman's S-stemmer: plurals only (*reservations* → *reservation*, *stories* → *story*). */
export function sStem(word: string): string {
  if (word.length > 4 && word.endsWith("ies") && !/[ae]ies$/.test(word)) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith("es") && !/[aeo]es$/.test(word)) return word.slice(0, -1);
  if (word.length > 3 && word.endsWith("s") && !/[us]s$/.test(word)) return word.slice(0, -1);
  return word;
}
const SURFACE = "=";
/** Unknown words whose corrections are remembered (see ResidentIndex.corrections). */
const CORRECTIONS_CACHED = 20_000;
/** Longer posting lists are read best-impact first and cut here: bounds the work of common terms. */
export const POSTINGS_PER_TERM = 1000;
let tuning = 0;
/** Call after changing FIELD_WEIGHT, FIELD_B or TUNING.k1 in a running process (search/tune-ranking.ts): cached impacts are rebuilt. */
export function retuned(): void {
  tuning++;
}
let params = { tuning: -1, weight: [] as number[], b: [] as number[] };
/** The fields' weights and length normalisation in FIELDS order, as of the last retuned(). */
function fieldParams() {
  if (params.tuning !== tuning) params = { tuning, weight: FIELDS.map((f) => FIELD_WEIGHT[f] ?? 1), b: FIELDS.map((f) => FIELD_B[f] ?? 0.75) };
  return params;
}
/** Changes with every retuned(): results ranked under other settings are not reused. */
export function tuningGeneration(): number {
  return tuning;
}
/** Positions packed below an impact's bits: 2^21, so that (bits ≤ 2^31) × 2^21 + position stays an exact integer. */
const POSITION_SPAN = 2 ** 21;
/** Above the bit pattern of every finite non-negative float32 (+Infinity's). */
const FLOAT_BITS_ABOVE = 0x7f800000;
/**
 * Positions of `impact`, highest impact first and equal impacts in key order, so that which
 * postings survive the cut never depends on load order. Sorting with a comparator that compares
 * key strings made the first query to use a common word on a fresh copy pay tens of
 * milliseconds; here the numbers sort natively, packed with their position into one float
 * (impacts are non-negative, so their bit patterns order as they do), and only runs of equal
 * impact compare keys. Same order as a stable comparator sort (tests/unit/impact-order.test.ts).
 */
export function impactOrderOf(impact: Float32Array, keyOf: (i: number) => string): Int32Array {
  const n = impact.length;
  const byKey = (a: number, b: number) => {
    const ka = keyOf(a);
    const kb = keyOf(b);
    return ka < kb ? -1 : ka > kb ? 1 : a - b;
  };
  if (n >= POSITION_SPAN) return Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => impact[b]! - impact[a]! || byKey(a, b));
  const bits = new Uint32Array(impact.buffer, impact.byteOffset, n);
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = (FLOAT_BITS_ABOVE - bits[i]!) * POSITION_SPAN + i;
  packed.sort();
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = packed[i]! % POSITION_SPAN;
  for (let start = 0; start < n; ) {
    let end = start + 1;
    while (end < n && bits[order[end]!] === bits[order[start]!]) end++;
    if (end - start > 1) order.subarray(start, end).sort(byKey);
    start = end;
  }
  return order;
}
export const MAX_TERMS = MAX_TERMS_DEFAULT;
export const RERANK = 50;
/** Body word pairs kept per document for the phrase bonus (question and short answer: all). */
const BODY_BIGRAMS = 160;

export interface IndexedTerm {
  lexeme: string;
  /** Positions of the lexeme in the weighted tsvector, with the weight letter of each. */
  positions: number[];
  weights: string[];
}

export interface IndexedDocument {
  answerId: string;
  /**
   * Breaks ties between equal scores, so one corpus ranks the same on every load and on both
   * databases: the import id, else the creation time (search/postgres.ts). Defaults to answerId.
   */
  key?: string;
  topicIds: string[];
  tags: string[];
  audience: string;
  state: string;
  /** Number of words (positions), for BM25's length normalisation. */
  length: number;
  terms: IndexedTerm[];
  /** Meaning vectors of its question and phrasings, packed (search/vector-store.ts); absent until computed. */
  vectors?: Uint8Array | null;
}

export interface Filter {
  audience?: string | undefined;
  states?: readonly string[] | undefined;
  topicIds?: readonly string[] | undefined;
  tags?: readonly string[] | undefined;
}

export interface WeightedTerm {
  term: string;
  df: number;
  w: number;
  /** The query's words (S-stemmed) this lexeme stems from, for the surface penalty. */
  forms?: string[];
}

const FIELD_INDEX: Record<string, number> = { A: 0, B: 1, C: 2, D: 3 };

/**
 * Scratch space of upsert, reused across documents: the lexeme (id + 1, 0 = none) and field at
 * each tsvector position (at most 16,383). Two Maps of every body position per answer made
 * loading a copy of 100,000 real answers mostly allocation and garbage collection.
 */
let scratch = { term: new Int32Array(1024), field: new Uint8Array(1024) };
function scratchFor(size: number) {
  if (scratch.term.length < size) {
    const n = 2 ** Math.ceil(Math.log2(size));
    scratch = { term: new Int32Array(n), field: new Uint8Array(n) };
  }
  return scratch;
}

/**
 * Each answer's small sorted arrays (its lexemes, word pairs, question lexemes, word forms) are
 * views into shared 1 MB buffers rather than arrays of their own: a typed array of its own is
 * three heap objects, a view one. At 100,000 answers those arrays were most of what a full
 * garbage collection marks (one took 380 ms single-threaded with the copy loaded), and under a
 * stream of new queries V8 finished that marking in a pause of up to 250 ms (docs/benchmarks.md,
 * fifteenth session). A removed answer's space is not reused; the copy is rebuilt when too much is
 * dead (`wasted`).
 */
class Slab {
  private buffer = new ArrayBuffer(0);
  private used = 0;
  private take(n: number): number {
    const bytes = n * 4;
    if (this.used + bytes > this.buffer.byteLength) {
      this.buffer = new ArrayBuffer(Math.max(SLAB_BYTES, bytes));
      this.used = 0;
    }
    const at = this.used;
    this.used += bytes;
    return at;
  }
  int32(values: ArrayLike<number>): Int32Array {
    return this.view(Int32Array, EMPTY_INT32, values);
  }
  uint32(values: ArrayLike<number>): Uint32Array {
    return this.view(Uint32Array, EMPTY_UINT32, values);
  }
  private view<T extends Int32Array | Uint32Array>(Kind: new (buffer: ArrayBuffer, at: number, length: number) => T, empty: T, values: ArrayLike<number>): T {
    if (values.length === 0) return empty;
    const at = this.take(values.length);
    const view = new Kind(this.buffer, at, values.length);
    view.set(values);
    return view;
  }
}
const SLAB_BYTES = 1 << 20;
const EMPTY_INT32 = new Int32Array(0);
const EMPTY_UINT32 = new Uint32Array(0);
const NO_STRINGS: readonly string[] = Object.freeze([]);

class PostingList {
  docs = new Int32Array(4);
  /** Term frequency per field, four to a posting (A, B, C, D). */
  tf = new Float32Array(16);
  n = 0;
  dead = 0;
  /**
   * The list as (slot, BM25 term impact) pairs, best impact first when the list is longer than a
   * query reads; rebuilt when the list changed or the average length moved by 5 %.
   */
  bySlot: Int32Array | null = null;
  byImpact: Float32Array | null = null;
  builtAvg: number[] = [];
  builtTuning = -1;
  /** Whether bySlot is in impact order (a long list) or in posting order (read whole). */
  sorted = false;
  /**
   * Postings (by index) added since bySlot was built, to be merged into it: every write re-indexes
   * an answer, and re-sorting the long lists of its common words on each (tens of ms for a list of
   * 100,000) made a server that takes writes pay that on nearly every search (docs/benchmarks.md).
   */
  pending: number[] = [];

  push(slot: number, tf: ArrayLike<number>) {
    if (this.n === this.docs.length) {
      const docs = new Int32Array(this.n * 2);
      docs.set(this.docs);
      this.docs = docs;
      const tfs = new Float32Array(this.n * 8);
      tfs.set(this.tf);
      this.tf = tfs;
    }
    this.docs[this.n] = slot;
    this.tf.set(tf, this.n * 4);
    // A short list is read whole and rebuilt in one pass; only a sorted one is worth merging into.
    if (this.sorted) this.pending.push(this.n);
    else this.bySlot = null;
    this.n++;
  }

  /** Drops the postings of dead slots once they are a quarter of the list. */
  compact(alive: (slot: number) => boolean) {
    if (this.dead * 4 < this.n) return;
    let j = 0;
    for (let i = 0; i < this.n; i++) {
      const slot = this.docs[i]!;
      if (!alive(slot)) continue;
      this.docs[j] = slot;
      this.tf.copyWithin(j * 4, i * 4, i * 4 + 4);
      j++;
    }
    this.n = j;
    this.dead = 0;
    this.bySlot = null;
    this.sorted = false;
    this.pending = [];
  }
}

/** pg_trgm's trigrams of one word: padded with two blanks before and one after, as a set. */
export function trigrams(word: string): string[] {
  const padded = `  ${word} `;
  const out = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  return [...out];
}

/** Edit distance, or `max + 1` as soon as it must exceed `max`. */
export function levenshteinWithin(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      cur.push(v);
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    prev = cur;
  }
  return prev[b.length]!;
}

function pairHash(a: number, b: number): number {
  return (Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca77)) >>> 0;
}

function formHash(form: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < form.length; i++) h = Math.imul(h ^ form.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function containsSorted(xs: Uint32Array | Int32Array, v: number): boolean {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = xs[mid]!;
    if (x === v) return true;
    if (x < v) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** A fixed-size min-heap of the best (slot, score) pairs; of equal scores, the smaller key is better. */
class TopK {
  slots: number[] = [];
  scores: number[] = [];
  constructor(
    private k: number,
    private keys: string[],
  ) {}
  /** Is i worse than j (nearer the heap's root)? */
  private worse(si: number, ki: number, sj: number, kj: number): boolean {
    return si < sj || (si === sj && this.keys[ki]! > this.keys[kj]!);
  }
  offer(slot: number, score: number) {
    if (this.slots.length < this.k) {
      this.slots.push(slot);
      this.scores.push(score);
      this.up(this.slots.length - 1);
    } else if (this.worse(this.scores[0]!, this.slots[0]!, score, slot)) {
      this.slots[0] = slot;
      this.scores[0] = score;
      this.down(0);
    }
  }
  private swap(i: number, j: number) {
    const slot = this.slots[i]!;
    this.slots[i] = this.slots[j]!;
    this.slots[j] = slot;
    const score = this.scores[i]!;
    this.scores[i] = this.scores[j]!;
    this.scores[j] = score;
  }
  private up(i: number) {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.worse(this.scores[i]!, this.slots[i]!, this.scores[p]!, this.slots[p]!)) return;
      this.swap(i, p);
      i = p;
    }
  }
  private down(i: number) {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.slots.length && this.worse(this.scores[l]!, this.slots[l]!, this.scores[m]!, this.slots[m]!)) m = l;
      if (r < this.slots.length && this.worse(this.scores[r]!, this.slots[r]!, this.scores[m]!, this.slots[m]!)) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}

export class ResidentIndex {
  // Vocabulary: every lexeme ever seen gets an id; df counts live documents only.
  private termId = new Map<string, number>();
  private termText: string[] = [];
  private df: number[] = [];
  private postings: PostingList[] = [];
  private byTrigram = new Map<string, number[]>();
  /** Each lexeme's number of trigrams, for the similarity of corrections. */
  private termGrams: number[] = [];
  private byPrefix = new Map<string, number[]>();
  /** Corrections already worked out, by limit and word; emptied by every write. */
  private corrected = new Map<string, { term: string; sim: number; df: number }[]>();
  // Documents live in slots; a replaced or removed document's slot dies and its postings are skipped.
  private slotOf = new Map<string, number>();
  private slotAnswer: (string | null)[] = [];
  /** 1 for a removed slot: what rank() checks per posting (a byte array stays in cache; the ids do not). */
  private slotDead = new Uint8Array(1024);
  private slotKey: string[] = [];
  /** Words per field, four to a slot (A, B, C, D), for BM25F's length normalisation. */
  private slotLength = new Float32Array(64);
  private slotAudience: string[] = [];
  private slotState: string[] = [];
  /** Answers share one array per distinct list of topics (of tags): most lists repeat (see Slab). */
  private slotTopics: (readonly string[])[] = [];
  private slotTags: (readonly string[])[] = [];
  private lists = new Map<string, readonly string[]>();
  private slab = new Slab();
  private slotTerms: Int32Array[] = [];
  private slotBigrams: Uint32Array[] = [];
  /** Per slot, sorted: ids of lexemes in the question (A, D), and hashes of its words' S-stems. */
  private slotQuestionTerms: Int32Array[] = [];
  private slotForms: Uint32Array[] = [];
  private liveDocs = 0;
  private totalLength = [0, 0, 0, 0];
  /** Live documents that have each field: a field's average length is over those (D is rare). */
  private fieldDocs = [0, 0, 0, 0];
  private deadSlots = 0;
  private scores = new Float64Array(0);
  private touched: Int32Array | null = null;
  private vectors = new VectorStore();

  get size(): number {
    return this.liveDocs;
  }

  /** Slots held by replaced or removed documents; the owner rebuilds when this grows large. */
  get wasted(): number {
    return this.deadSlots;
  }

  private internTerm(lexeme: string): number {
    let id = this.termId.get(lexeme);
    if (id !== undefined) return id;
    id = this.termText.length;
    this.termId.set(lexeme, id);
    this.termText.push(lexeme);
    this.df.push(0);
    this.postings.push(new PostingList());
    const grams = trigrams(lexeme);
    this.termGrams.push(grams.length);
    for (const g of grams) {
      const list = this.byTrigram.get(g);
      if (list) list.push(id);
      else this.byTrigram.set(g, [id]);
    }
    const p = lexeme.slice(0, 2);
    const list = this.byPrefix.get(p);
    if (list) list.push(id);
    else this.byPrefix.set(p, [id]);
    return id;
  }

  /** Adds or replaces one document. */
  upsert(doc: IndexedDocument): void {
    this.remove(doc.answerId);
    const slot = this.slotAnswer.length;
    const lengths = [0, 0, 0, 0];
    const tf = new Float32Array(4);
    const forms: number[] = [];
    const questionTerms: number[] = [];
    const terms = doc.terms.filter((t) => {
      if (!t.lexeme.startsWith(SURFACE)) return true;
      forms.push(formHash(sStem(t.lexeme.slice(1))));
      return false;
    });
    let last = 0;
    for (const t of terms) for (const p of t.positions) if (p > last) last = p;
    const { term: termAt, field: fieldAt } = scratchFor(last + 2);
    const ids: number[] = new Array(terms.length);
    for (let i = 0; i < terms.length; i++) {
      const t = terms[i]!;
      const id = this.internTerm(t.lexeme);
      ids[i] = id;
      tf.fill(0);
      // A lexeme without positions (a tsvector stripped of them) counts once, in the body.
      if (t.positions.length === 0) tf[2] = 1;
      for (let k = 0; k < t.positions.length; k++) {
        const field = FIELD_INDEX[t.weights[k] ?? "D"] ?? 3;
        tf[field]!++;
        termAt[t.positions[k]!] = id + 1;
        fieldAt[t.positions[k]!] = field;
      }
      for (let f = 0; f < 4; f++) lengths[f]! += tf[f]!;
      if (tf[0]! + tf[3]! > 0) questionTerms.push(id);
      this.postings[id]!.push(slot, tf);
      this.df[id]!++;
    }
    // Word pairs for the phrase bonus: all of the question's and short answer's (fields 0 and 1),
    // the body's first ones. Positions ascend through the scratch arrays, which are left empty again.
    const pairs: number[] = [];
    let bodyPairs = 0;
    for (let p = 1; p <= last; p++) {
      const here = termAt[p]!;
      if (here === 0) continue;
      const next = termAt[p + 1]!;
      if (next !== 0 && next !== here && (fieldAt[p]! <= 1 || bodyPairs++ < BODY_BIGRAMS)) pairs.push(pairHash(here - 1, next - 1));
    }
    termAt.fill(0, 0, last + 2);
    const bigrams = this.slab.uint32(Uint32Array.from(new Set(pairs)).sort());

    this.slotOf.set(doc.answerId, slot);
    this.slotAnswer.push(doc.answerId);
    if (this.slotDead.length <= slot) {
      const grown = new Uint8Array(this.slotDead.length * 2);
      grown.set(this.slotDead);
      this.slotDead = grown;
    }
    this.slotKey.push(doc.key ?? doc.answerId);
    if (this.slotLength.length < (slot + 1) * 4) {
      const grown = new Float32Array(Math.max(64, this.slotLength.length * 2));
      grown.set(this.slotLength);
      this.slotLength = grown;
    }
    this.slotLength.set(lengths, slot * 4);
    this.slotAudience.push(doc.audience);
    this.slotState.push(doc.state);
    this.slotTopics.push(this.sharedList(doc.topicIds));
    this.slotTags.push(this.sharedList(doc.tags));
    this.slotTerms.push(this.slab.int32(ids));
    this.slotBigrams.push(bigrams);
    this.slotQuestionTerms.push(this.slab.int32(Int32Array.from(questionTerms).sort()));
    this.slotForms.push(this.slab.uint32(Uint32Array.from(new Set(forms)).sort()));
    if (doc.vectors) this.vectors.set(slot, doc.vectors);
    this.liveDocs++;
    for (let f = 0; f < 4; f++) {
      this.totalLength[f]! += lengths[f]!;
      if (lengths[f]! > 0) this.fieldDocs[f]!++;
    }
  }

  /** One frozen array per distinct list, shared by every answer that has it. */
  private sharedList(xs: readonly string[]): readonly string[] {
    if (xs.length === 0) return NO_STRINGS;
    const key = xs.join("\u0000");
    let shared = this.lists.get(key);
    if (!shared) this.lists.set(key, (shared = Object.freeze([...xs])));
    return shared;
  }

  remove(answerId: string): void {
    this.corrected.clear();
    const slot = this.slotOf.get(answerId);
    if (slot === undefined) return;
    this.slotOf.delete(answerId);
    this.slotAnswer[slot] = null;
    this.slotDead[slot] = 1;
    for (const id of this.slotTerms[slot]!) {
      this.df[id]!--;
      const list = this.postings[id]!;
      list.dead++;
      list.compact((s) => this.slotAnswer[s] !== null);
    }
    this.slotTerms[slot] = EMPTY_INT32;
    this.slotBigrams[slot] = EMPTY_UINT32;
    this.slotQuestionTerms[slot] = EMPTY_INT32;
    this.slotForms[slot] = EMPTY_UINT32;
    this.vectors.kill(slot);
    this.slotTopics[slot] = NO_STRINGS;
    this.slotTags[slot] = NO_STRINGS;
    this.liveDocs--;
    for (let f = 0; f < 4; f++) {
      this.totalLength[f]! -= this.slotLength[slot * 4 + f]!;
      if (this.slotLength[slot * 4 + f]! > 0) this.fieldDocs[f]!--;
    }
    this.deadSlots++;
  }

  /** Live answers that have meaning vectors. */
  get withVectors(): number {
    return this.vectors.size;
  }

  /** Document frequency of a lexeme (0 when unknown). */
  frequency(lexeme: string): number {
    const id = this.termId.get(lexeme);
    return id === undefined ? 0 : this.df[id]!;
  }

  /**
   * The closest indexed words to a word the index does not know, the way the SQL engine used
   * pg_trgm: trigram similarity, plus an edit distance of two (one for short words) among words
   * with the same first two letters, for transpositions ("refnud") that share too few trigrams.
   */
  corrections(word: string, limit = 2): { term: string; sim: number; df: number }[] {
    // Pasted messages bring the same unknown words (names, typos) again and again; any write
    // empties this, as document frequencies and the vocabulary may have changed.
    const key = `${limit} ${word}`;
    const cached = this.corrected.get(key);
    if (cached) return cached.map((c) => ({ ...c }));
    const found = this.correctionsOf(word, limit);
    if (this.corrected.size >= CORRECTIONS_CACHED) this.corrected.clear();
    this.corrected.set(key, found);
    return found.map((c) => ({ ...c }));
  }

  private correctionsOf(word: string, limit: number): { term: string; sim: number; df: number }[] {
    const grams = trigrams(word);
    const shared = new Map<number, number>();
    for (const g of grams) for (const id of this.byTrigram.get(g) ?? []) shared.set(id, (shared.get(id) ?? 0) + 1);
    const best = new Map<number, number>();
    for (const [id, common] of shared) {
      if (this.df[id]! <= 0) continue;
      const other = this.termGrams[id]!;
      const sim = common / (grams.length + other - common);
      if (sim >= 0.3) best.set(id, sim);
    }
    const maxEdits = word.length <= 4 ? 1 : 2;
    for (const id of this.byPrefix.get(word.slice(0, 2)) ?? []) {
      if (this.df[id]! <= 0) continue;
      const term = this.termText[id]!;
      if (Math.abs(term.length - word.length) > 2) continue;
      const d = levenshteinWithin(term, word, maxEdits);
      if (d > maxEdits) continue;
      const sim = 1 - d / Math.max(term.length, word.length);
      if (sim > (best.get(id) ?? -1)) best.set(id, sim);
    }
    return [...best.entries()]
      .map(([id, sim]) => ({ term: this.termText[id]!, sim, df: this.df[id]! }))
      .sort((a, b) => b.sim - a.sim || b.df - a.df || (a.term < b.term ? -1 : 1))
      .slice(0, limit);
  }

  /** Indexed lexemes that start with what is being typed, most frequent first. */
  completions(prefix: string, limit = 6): { term: string; df: number }[] {
    const out: { term: string; df: number }[] = [];
    for (const id of this.byPrefix.get(prefix.slice(0, 2)) ?? []) {
      const term = this.termText[id]!;
      if (this.df[id]! > 0 && term.startsWith(prefix)) out.push({ term, df: this.df[id]! });
    }
    return out.sort((a, b) => b.df - a.df || (a.term < b.term ? -1 : 1)).slice(0, limit);
  }

  private passes(slot: number, f: Filter): boolean {
    if (f.audience && this.slotAudience[slot] !== f.audience) return false;
    if (f.states?.length && !f.states.includes(this.slotState[slot]!)) return false;
    if (f.topicIds?.length && !this.slotTopics[slot]!.some((t) => f.topicIds!.includes(t))) return false;
    if (f.tags?.length && !this.slotTags[slot]!.some((t) => f.tags!.includes(t))) return false;
    return true;
  }

  private averageLengths(): number[] {
    return this.totalLength.map((t, f) => t / Math.max(this.fieldDocs[f]!, 1));
  }

  /** Long lists still to be put in impact order by prepareImpactOrders, longest last. */
  private unprepared: number[] | null = null;

  /**
   * Puts the lists longer than a query reads in impact order, longest (the most asked-for words)
   * first, for about `budgetMs`; true when none is left. A fresh copy runs this between requests
   * (search/postgres.ts), so the first agent to use a common word after a restart does not wait
   * for its list to be sorted. Only when it happens changes; the order is the one rank() builds.
   */
  prepareImpactOrders(budgetMs: number): boolean {
    this.unprepared ??= this.postings
      .map((list, id) => (list.n - list.dead > POSTINGS_PER_TERM ? id : -1))
      .filter((id) => id >= 0)
      .sort((a, b) => this.postings[a]!.n - this.postings[b]!.n || a - b);
    const avg = this.averageLengths();
    const until = performance.now() + budgetMs;
    while (this.unprepared.length > 0 && performance.now() < until) this.impactOrder(this.postings[this.unprepared.pop()!]!, avg);
    return this.unprepared.length === 0;
  }

  /** BM25 term impact of posting `i` of `list`, with the field lengths' averages `avg`. */
  private impactAt(list: PostingList, i: number, avg: number[]): number {
    const slot = list.docs[i]!;
    const lengths = this.slotLength;
    const { weight, b } = fieldParams();
    let tf = 0;
    for (let f = 0; f < 4; f++) {
      const t = list.tf[i * 4 + f]!;
      if (t > 0) tf += (weight[f]! * t) / (1 - b[f]! + (b[f]! * lengths[slot * 4 + f]!) / Math.max(avg[f]!, 1e-9));
    }
    return (tf * (TUNING.k1 + 1)) / (tf + TUNING.k1);
  }

  /** Forgets the remembered answers of the vectors' search (VectorStore.nearest). */
  forgetNearest(): void {
    this.vectors.forgetNearest();
  }

  /** Impact orders that took in new postings by a merge instead of a sort (for tests and benchmarks). */
  ordersMerged = 0;

  private impactOrder(list: PostingList, avg: number[]): { slots: Int32Array; impacts: Float32Array } {
    if (list.bySlot && list.byImpact && list.builtTuning === tuning && avg.every((a, f) => Math.abs((list.builtAvg[f] ?? -1) - a) <= a * 0.05)) {
      if (list.pending.length === 0) return { slots: list.bySlot, impacts: list.byImpact };
      if (list.sorted && list.pending.length * 8 <= list.n) return this.mergePending(list);
    }
    const n = list.n;
    const impact = new Float32Array(n);
    for (let i = 0; i < n; i++) impact[i] = this.impactAt(list, i, avg);
    let slots = list.docs.slice(0, n);
    let impacts = impact;
    list.sorted = n - list.dead > POSTINGS_PER_TERM;
    if (list.sorted) {
      const keys = this.slotKey;
      const docs = list.docs;
      const order = impactOrderOf(impact, (i) => keys[docs[i]!]!);
      slots = order.map((i) => docs[i]!);
      impacts = Float32Array.from(order, (i) => impact[i]!);
    }
    list.bySlot = slots;
    list.byImpact = impacts;
    list.builtAvg = avg;
    list.builtTuning = tuning;
    list.pending = [];
    return { slots, impacts };
  }

  /**
   * Merges the postings added since a long list was put in impact order into that order, with the
   * averages it was built with: the order a rebuild with those averages gives (the added postings
   * come last among equal impacts and keys, as their positions do), at the cost of one pass.
   */
  private mergePending(list: PostingList): { slots: Int32Array; impacts: Float32Array } {
    const keys = this.slotKey;
    const added = list.pending.map((i) => ({ slot: list.docs[i]!, impact: Math.fround(this.impactAt(list, i, list.builtAvg)), i }));
    added.sort((a, b) => b.impact - a.impact || (keys[a.slot]! < keys[b.slot]! ? -1 : keys[a.slot]! > keys[b.slot]! ? 1 : a.i - b.i));
    const oldSlots = list.bySlot!;
    const oldImpacts = list.byImpact!;
    const total = oldSlots.length + added.length;
    const slots = new Int32Array(total);
    const impacts = new Float32Array(total);
    let o = 0;
    let k = 0;
    for (const a of added) {
      // Every earlier posting that ranks before this one: higher impact, or equal with a key not after it.
      while (o < oldSlots.length && (oldImpacts[o]! > a.impact || (oldImpacts[o] === a.impact && !(keys[oldSlots[o]!]! > keys[a.slot]!)))) {
        slots[k] = oldSlots[o]!;
        impacts[k++] = oldImpacts[o++]!;
      }
      slots[k] = a.slot;
      impacts[k++] = a.impact;
    }
    slots.set(oldSlots.subarray(o), k);
    impacts.set(oldImpacts.subarray(o), k);
    list.bySlot = slots;
    list.byImpact = impacts;
    list.pending = [];
    this.ordersMerged++;
    return { slots, impacts };
  }

  /**
   * BM25 over the best postings of each weighted term, then a phrase bonus for adjacent query
   * words that stand next to each other in the answer; answers under 15 % of the best score are
   * noise. Returns answer ids best first, and how many answers matched at all.
   */
  rank(
    terms: WeightedTerm[],
    bigrams: [string, string][],
    filter: Filter,
    limit: number,
    offset: number,
    meaning?: Float32Array | null,
  ): { ids: string[]; scores: number[]; total: number } {
    return this.finishRanking(this.rankWords(terms, bigrams, filter, offset), meaning ?? null, limit, offset);
  }

  /**
   * The words' part of rank(), which needs no meaning vector: search/postgres.ts runs it while
   * the encoder works on the query in its own thread, then finishes with finishRanking().
   */
  rankWords(terms: WeightedTerm[], bigrams: [string, string][], filter: Filter, offset: number): WordsRanking {
    if (this.scores.length < this.slotAnswer.length) this.scores = new Float64Array(Math.max(this.slotAnswer.length * 1.5, 1024));
    const scores = this.scores;
    // The query's summed IDF weight, for the surface penalty's shares.
    let asked = 0;
    // Reused between queries: a query touches at most MAX_TERMS × POSTINGS_PER_TERM answers.
    const touched = (this.touched ??= new Int32Array(MAX_TERMS * POSTINGS_PER_TERM));
    let nTouched = 0;
    const avg = this.averageLengths();
    const filtered = !!(filter.audience || filter.states?.length || filter.topicIds?.length || filter.tags?.length);
    const passes = filtered ? new Map<number, boolean>() : null;
    const ok = (slot: number) => {
      let v = passes!.get(slot);
      if (v === undefined) passes!.set(slot, (v = this.passes(slot, filter)));
      return v;
    };
    const dead = this.slotDead;
    for (const { term, w } of terms.slice(0, MAX_TERMS)) {
      const id = this.termId.get(term);
      if (id === undefined) continue;
      asked += w;
      const { slots, impacts } = this.impactOrder(this.postings[id]!, avg);
      // Common terms: only their best postings (by impact) are read; the list is sorted for that.
      let budget = POSTINGS_PER_TERM;
      for (let k = 0; k < slots.length && budget > 0; k++) {
        const slot = slots[k]!;
        if (dead[slot] === 1 || (filtered && !ok(slot))) continue;
        budget--;
        const before = scores[slot]!;
        if (before === 0) touched[nTouched++] = slot;
        scores[slot] = before + w * impacts[k]!;
      }
    }
    const top = new TopK(RERANK + offset, this.slotKey);
    for (let i = 0; i < nTouched; i++) {
      const slot = touched[i]!;
      top.offer(slot, scores[slot]!);
      scores[slot] = 0;
    }

    const pairs = bigrams
      .map(([a, b]) => [this.termId.get(a), this.termId.get(b)] as const)
      .filter((p): p is readonly [number, number] => p[0] !== undefined && p[1] !== undefined)
      .map(([a, b]) => pairHash(a, b));
    const penalty = TUNING.surfacePenalty;
    const checked =
      penalty > 0
        ? terms
            .slice(0, MAX_TERMS)
            .filter((t) => t.forms?.length && this.termId.has(t.term))
            .map((t) => ({ id: this.termId.get(t.term)!, share: t.w / Math.max(asked, 1e-9), forms: t.forms!.map(formHash) }))
        : [];
    const all = top.slots
      .map((slot, i) => {
        let phrases = 0;
        for (const h of pairs) if (containsSorted(this.slotBigrams[slot]!, h)) phrases++;
        // Rows indexed before the word forms were stored (no forms at all) are left alone until a reindex.
        let kept = 1;
        const forms = this.slotForms[slot]!;
        if (forms.length > 0) {
          for (const c of checked) if (containsSorted(this.slotQuestionTerms[slot]!, c.id) && !c.forms.some((f) => containsSorted(forms, f))) kept -= penalty * c.share;
        }
        return { slot, id: this.slotAnswer[slot]!, key: this.slotKey[slot]!, score: top.scores[i]! * kept * (1 + TUNING.phraseBonus * Math.min(phrases, 4)) };
      })
      .sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const floor = (all[0]?.score ?? 0) * TUNING.floor;
    return { reachable: all.filter((r) => r.score >= floor), passes: filtered ? ok : null };
  }

  /** Blends a words' ranking with the query's meaning (if any) and cuts the page. */
  finishRanking(words: WordsRanking, meaning: Float32Array | null, limit: number, offset: number): { ids: string[]; scores: number[]; total: number } {
    let reachable = words.reachable;
    if (meaning && this.vectors.size > 0) reachable = this.blend(reachable, meaning, words.passes);
    const page = reachable.slice(offset, offset + limit);
    // The count a person sees is the count they can page to: the answers above the noise floor,
    // not every answer that shares a word with the query.
    return { ids: page.map((r) => r.id), scores: page.map((r) => r.score), total: reachable.length };
  }

  /**
   * The words' ranking blended with meaning (TUNING.semanticShare): the lexical candidates keep
   * their place only as far as their questions also mean what the query means, and the nearest
   * answers by meaning join them. An answer whose vectors are not computed yet (they follow
   * certification by a moment) counts its lexical share for both parts, neither helped nor hurt.
   */
  private blend(lexical: { slot: number; id: string; key: string; score: number }[], meaning: Float32Array, ok: ((slot: number) => boolean) | null) {
    const share = TUNING.semanticShare;
    const cosFloor = TUNING.semanticFloor;
    const best = lexical[0]?.score ?? 0;
    const near = this.vectors.nearest(meaning, TUNING.semanticCandidates, ok, (slot) => this.slotKey[slot]!);
    const sims = new Map(near.map((n) => [n.slot, n.sim]));
    const part = (sim: number) => Math.max(0, (sim - cosFloor) / (1 - cosFloor));
    const out = lexical.map((r) => {
      const words = best > 0 ? r.score / best : 0;
      if (!this.vectors.has(r.slot)) return { ...r, score: words };
      return { ...r, score: share * words + (1 - share) * part(sims.get(r.slot) ?? this.vectors.similarity(r.slot, meaning)) };
    });
    const seen = new Set(lexical.map((r) => r.slot));
    for (const n of near) {
      if (seen.has(n.slot) || n.sim < TUNING.semanticOnly) continue;
      out.push({ slot: n.slot, id: this.slotAnswer[n.slot]!, key: this.slotKey[n.slot]!, score: (1 - share) * part(n.sim) });
    }
    return out.sort((a, b) => b.score - a.score || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
}

/** The answers the words found, above the noise floor, best first; and the filter's test, kept for the blend. */
export interface WordsRanking {
  reachable: { slot: number; id: string; key: string; score: number }[];
  passes: ((slot: number) => boolean) | null;
}

export interface SynonymGroup {
  /** Each phrase of the group as its lexemes. */
  lexemes: string[][];
}

/**
 * Turns the words of a query (with their lexemes, in order) into weighted terms and the word
 * pairs worth a phrase bonus: known lexemes count fully; unknown ones are corrected to close
 * indexed words; the last word, still being typed, also matches its completions; synonym groups
 * add their members; terms are weighted by IDF and the ones nearly every answer has are dropped.
 */
export function planQuery(
  index: ResidentIndex,
  words: { word: string; lexemes: string[]; stop?: boolean }[],
  prefixWord: string,
  synonyms: SynonymGroup[],
): { terms: WeightedTerm[]; bigrams: [string, string][] } {
  const docCount = Math.max(index.size, 1);
  const factors = new Map<string, number>();
  const add = (term: string, factor: number) => factors.set(term, Math.max(factors.get(term) ?? 0, factor));
  const unknown: string[] = [];
  for (const w of words) {
    for (const l of w.lexemes) {
      if (index.frequency(l) > 0) add(l, 1);
      else if (l.length >= TUNING.correctionMinLength && !unknown.includes(l)) unknown.push(l);
    }
  }
  for (const u of unknown.slice(0, 8)) {
    for (const fix of index.corrections(u)) if (fix.sim >= TUNING.correctionMinSim) add(fix.term, TUNING.correction * fix.sim);
  }
  if (prefixWord) for (const c of index.completions(prefixWord)) add(c.term, c.term === prefixWord ? 1 : 0.8);
  // A synonym group applies when every word of one of its phrases was asked for, even unknown ones.
  const asked = new Set([...factors.keys(), ...words.flatMap((w) => w.lexemes)]);
  for (const g of synonyms) {
    if (!g.lexemes.some((phrase) => phrase.length > 0 && phrase.every((l) => asked.has(l)))) continue;
    for (const phrase of g.lexemes) for (const l of phrase) if (!asked.has(l)) add(l, 0.8);
  }
  // The S-stems of the words each lexeme was asked as (corrections, completions and synonyms have
  // none, nor has a last word still being typed: its form is not yet known).
  const formsOf = new Map<string, string[]>();
  const typed = prefixWord ? words.slice(0, -1) : words;
  for (const w of typed) for (const l of w.lexemes) if (factors.get(l) === 1) formsOf.set(l, [...(formsOf.get(l) ?? []), sStem(w.word)]);
  let weighted = [...factors.entries()]
    .map(([term, factor]): WeightedTerm => {
      const df = index.frequency(term);
      const forms = formsOf.get(term);
      return { term, df, w: factor * Math.log(1 + (docCount - df + 0.5) / (df + 0.5)), ...(forms ? { forms } : {}) };
    })
    .filter((t) => t.df > 0)
    .sort((a, b) => b.w - a.w || (a.term < b.term ? -1 : 1));
  const informative = weighted.filter((t) => t.df <= docCount * TUNING.commonShare);
  if (informative.length >= 2) weighted = informative;
  weighted = weighted.slice(0, MAX_TERMS);
  // Stopwords (kept in questions for short queries' intent) never match on their own: a query
  // whose other words found nothing found nothing.
  const stop = new Set(words.filter((w) => w.stop).flatMap((w) => w.lexemes));
  if (weighted.every((t) => stop.has(t.term))) return { terms: [], bigrams: [] };

  const original = words.flatMap((w) => w.lexemes.filter((l) => factors.has(l)));
  const bigrams: [string, string][] = [];
  if (weighted.length < TUNING.phraseMinTerms) return { terms: weighted, bigrams };
  for (let i = 0; i + 1 < original.length && bigrams.length < 10; i++) {
    if (original[i] !== original[i + 1]) bigrams.push([original[i]!, original[i + 1]!]);
  }
  return { terms: weighted, bigrams };
}

/**
 * Parses PostgreSQL's text form of a tsvector (`'refund':3A,7 'take':4A`): quoted lexemes with
 * '' for a quote and \ escapes, then positions with optional weight letters (D when absent).
 */
export function parseTsvector(text: string): IndexedTerm[] {
  const out: IndexedTerm[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    while (i < n && text[i] === " ") i++;
    if (i >= n) break;
    if (text[i] !== "'") throw new Error(`tsvector: expected a quote at ${i}`);
    i++;
    let lexeme = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Error("tsvector: unterminated lexeme");
      if (c === "\\") {
        lexeme += text[i + 1] ?? "";
        i += 2;
      } else if (c === "'") {
        if (text[i + 1] === "'") {
          lexeme += "'";
          i += 2;
        } else {
          i++;
          break;
        }
      } else {
        lexeme += c;
        i++;
      }
    }
    const positions: number[] = [];
    const weights: string[] = [];
    if (text[i] === ":") {
      i++;
      for (;;) {
        let num = 0;
        while (i < n && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) num = num * 10 + (text.charCodeAt(i++) - 48);
        let weight = "D";
        if (i < n && /[ABCD]/.test(text[i]!)) weight = text[i++]!;
        positions.push(num);
        weights.push(weight);
        if (text[i] === ",") i++;
        else break;
      }
    }
    out.push({ lexeme, positions, weights });
  }
  return out;
}
