import { normalizeWord } from "./highlight";
import { levenshteinWithin, trigrams } from "./resident";

/**
 * Suggestions for the search box, pure (no database, no clock): the completion of a whole query
 * from known phrasings (certified questions, their alternatives, later learned phrasings), and
 * "did you mean" from a vocabulary of the words people can find. Both engines share it: it reads
 * phrases and words, never an engine's index.
 */

/** Words as the box shows them: letters and digits, lower-cased, accents folded. */
export function words(text: string): string[] {
  return [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => normalizeWord(m[0])).filter((w) => w.length <= 40);
}

// ---------------------------------------------------------------- completion

/** One phrasing a query may complete to. */
export interface CompletionPhrase {
  /** The text shown and put in the box when chosen. */
  text: string;
  /** Which source gave it ("certified", "learned", …): shown as a hint, used to break ties. */
  source: string;
  /** Larger first among equally good matches (e.g. how often the answer is used). */
  weight: number;
}

/**
 * Where phrasings come from. Each source says which version of its data it has (cheap to ask),
 * so a process rebuilds its completion index only when some source changed.
 */
export interface CompletionSource {
  readonly name: string;
  version(): Promise<string>;
  phrases(): Promise<CompletionPhrase[]>;
}

export interface Completion {
  text: string;
  source: string;
}

const MAX_CANDIDATES = 20_000;

/**
 * Completes a whole query: every finished word of the query must be a word of the phrase (in any
 * order), the word being typed must start one of its words; phrases that begin with what was
 * typed come first, then those with the words in the typed order, then by weight and length.
 */
export class CompletionIndex {
  private phrases: CompletionPhrase[] = [];
  private tokens: string[][] = [];
  private normalized: string[] = [];
  private byWord = new Map<string, number[]>();
  private vocabulary: string[] = [];

  constructor(phrases: readonly CompletionPhrase[]) {
    const seen = new Map<string, number>();
    for (const p of phrases) {
      const tokens = words(p.text);
      if (tokens.length === 0) continue;
      const key = tokens.join(" ");
      const at = seen.get(key);
      if (at !== undefined) {
        // The same wording from two answers or two sources: keep it once, with the larger weight.
        if (p.weight > this.phrases[at]!.weight) this.phrases[at] = { ...this.phrases[at]!, weight: p.weight };
        continue;
      }
      const id = this.phrases.length;
      seen.set(key, id);
      this.phrases.push({ text: p.text.trim().replace(/\s+/g, " "), source: p.source, weight: p.weight });
      this.tokens.push(tokens);
      this.normalized.push(key);
      for (const w of new Set(tokens)) {
        const list = this.byWord.get(w);
        if (list) list.push(id);
        else this.byWord.set(w, [id]);
      }
    }
    this.vocabulary = [...this.byWord.keys()].sort();
  }

  get size(): number {
    return this.phrases.length;
  }

  private wordsStartingWith(prefix: string): string[] {
    let lo = 0;
    let hi = this.vocabulary.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.vocabulary[mid]! < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < this.vocabulary.length && this.vocabulary[i]!.startsWith(prefix); i++) out.push(this.vocabulary[i]!);
    return out;
  }

  complete(query: string, limit = 6): Completion[] {
    const typed = words(query);
    if (typed.length === 0 || query.trim().length < 2) return [];
    // A query ending in a space has no unfinished word: every word must be whole.
    const open = /[\p{L}\p{N}]$/u.test(query);
    const whole = open ? typed.slice(0, -1) : typed;
    const partial = open ? typed.at(-1)! : "";
    let candidates: number[];
    if (whole.length > 0) {
      const lists = whole.map((w) => this.byWord.get(w) ?? []);
      if (lists.some((l) => l.length === 0)) return [];
      candidates = lists.reduce((a, b) => (b.length < a.length ? b : a));
    } else {
      const ids = new Set<number>();
      for (const w of this.wordsStartingWith(partial)) {
        for (const id of this.byWord.get(w)!) ids.add(id);
        if (ids.size >= MAX_CANDIDATES) break;
      }
      candidates = [...ids];
    }
    const prefixText = typed.join(" ");
    const scored: { id: number; score: number }[] = [];
    for (const id of candidates) {
      const tokens = this.tokens[id]!;
      if (!whole.every((w) => tokens.includes(w))) continue;
      if (partial && !tokens.some((t) => t.startsWith(partial))) continue;
      const text = this.normalized[id]!;
      // Typed exactly already: nothing to complete.
      if (text === prefixText) continue;
      let score = 0;
      if (text.startsWith(prefixText)) score += 4;
      else if (inOrder(tokens, whole, partial)) score += 2;
      scored.push({ id, score });
    }
    scored.sort((a, b) => {
      const pa = this.phrases[a.id]!;
      const pb = this.phrases[b.id]!;
      return (
        b.score - a.score ||
        pb.weight - pa.weight ||
        this.tokens[a.id]!.length - this.tokens[b.id]!.length ||
        (pa.source === pb.source ? 0 : pa.source === "certified" ? -1 : pb.source === "certified" ? 1 : 0) ||
        (this.normalized[a.id]! < this.normalized[b.id]! ? -1 : this.normalized[a.id]! > this.normalized[b.id]! ? 1 : 0)
      );
    });
    return scored.slice(0, limit).map(({ id }) => ({ text: this.phrases[id]!.text, source: this.phrases[id]!.source }));
  }
}

function inOrder(tokens: string[], whole: string[], partial: string): boolean {
  let at = 0;
  for (const w of whole) {
    const i = tokens.indexOf(w, at);
    if (i < 0) return false;
    at = i + 1;
  }
  return !partial || tokens.slice(at).some((t) => t.startsWith(partial));
}

// ---------------------------------------------------------------- did you mean

/**
 * The words people can find, with how often each occurs: the source of "did you mean". Corrects
 * a word the way the embedded engine corrects query terms (search/resident.ts): trigram
 * similarity, plus an edit distance of two (one for short words) among words with the same first
 * two letters, for transpositions that share too few trigrams.
 */
export class Vocabulary {
  private count = new Map<string, number>();
  private byTrigram = new Map<string, string[]>();
  private byPrefix = new Map<string, string[]>();

  constructor(texts: Iterable<string> = []) {
    for (const t of texts) this.add(t);
  }

  add(text: string): void {
    for (const w of words(text)) {
      if (w.length < 2 || /^\d+$/.test(w)) continue;
      const n = this.count.get(w);
      if (n !== undefined) {
        this.count.set(w, n + 1);
        continue;
      }
      this.count.set(w, 1);
      for (const g of trigrams(w)) {
        const list = this.byTrigram.get(g);
        if (list) list.push(w);
        else this.byTrigram.set(g, [w]);
      }
      const p = w.slice(0, 2);
      const list = this.byPrefix.get(p);
      if (list) list.push(w);
      else this.byPrefix.set(p, [w]);
    }
  }

  get size(): number {
    return this.count.size;
  }

  has(word: string): boolean {
    return this.count.has(word);
  }

  frequency(word: string): number {
    return this.count.get(word) ?? 0;
  }

  /** The closest known words to `word`, best first (similarity 0–1, then frequency). */
  corrections(word: string, limit = 2): { word: string; sim: number; count: number }[] {
    const grams = trigrams(word);
    const shared = new Map<string, number>();
    for (const g of grams) for (const w of this.byTrigram.get(g) ?? []) shared.set(w, (shared.get(w) ?? 0) + 1);
    const best = new Map<string, number>();
    for (const [w, common] of shared) {
      const sim = common / (grams.length + trigrams(w).length - common);
      if (sim >= 0.3) best.set(w, sim);
    }
    const maxEdits = word.length <= 4 ? 1 : 2;
    for (const w of this.byPrefix.get(word.slice(0, 2)) ?? []) {
      if (Math.abs(w.length - word.length) > 2) continue;
      const d = levenshteinWithin(w, word, maxEdits);
      if (d > maxEdits) continue;
      const sim = 1 - d / Math.max(w.length, word.length);
      if (sim > (best.get(w) ?? -1)) best.set(w, sim);
    }
    best.delete(word);
    return [...best.entries()]
      .map(([w, sim]) => ({ word: w, sim, count: this.count.get(w)! }))
      .sort((a, b) => b.sim - a.sim || b.count - a.count || (a.word < b.word ? -1 : 1))
      .slice(0, limit);
  }
}

/** Below this similarity a replacement is a guess, not a correction. */
const MIN_SIMILARITY = 0.4;

/**
 * "Did you mean": the query with each word nobody could find replaced by the closest known word,
 * or null when no word needed (or had) a correction. Words of two letters or fewer and numbers are
 * kept as typed; so is any word one of the vocabularies knows.
 */
export function didYouMean(query: string, vocabularies: readonly Vocabulary[]): string | null {
  const typed = words(query);
  if (typed.length === 0 || vocabularies.length === 0) return null;
  let changed = false;
  const out = typed.map((w) => {
    if (w.length <= 2 || /^\d+$/.test(w) || vocabularies.some((v) => v.has(w))) return w;
    const best = vocabularies
      .flatMap((v) => v.corrections(w, 1))
      .sort((a, b) => b.sim - a.sim || b.count - a.count || (a.word < b.word ? -1 : 1))[0];
    if (!best || best.sim < MIN_SIMILARITY) return w;
    changed = true;
    return best.word;
  });
  return changed ? out.join(" ") : null;
}
