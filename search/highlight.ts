import { escapeHtml } from "./query";

/**
 * Highlights for a result, computed in the process: the text is split into words, a word is a
 * match when one of its lexemes (PostgreSQL's stemming, looked up by the caller) is a query term,
 * and the text between marks is escaped. Pure.
 */

export interface Token {
  start: number;
  end: number;
  /** Lower-cased, accents folded: the form the stemmer is asked about. */
  word: string;
}

export function normalizeWord(w: string): string {
  return w.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
}

// eslint-disable-next-line no-control-regex
const ASCII = /^[\x00-\x7f]*$/;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  // Most answers are plain ASCII: lower-casing is all the folding they need.
  const fold = ASCII.test(text) ? (w: string) => w.toLowerCase() : normalizeWord;
  for (const m of text.matchAll(/[\p{L}\p{N}]+/gu)) {
    if (m[0].length > 40) continue;
    out.push({ start: m.index, end: m.index + m[0].length, word: fold(m[0]) });
  }
  return out;
}

/** The first three letters of each term: a word can only stem to a term it begins like. */
export function termHeads(terms: Iterable<string>): Set<string> {
  return new Set([...terms].map((t) => t.slice(0, 3)));
}

/**
 * A text's words as `tokenize` finds them, kept as offsets (start and end of word i at 2i and 2i+1),
 * with the folded form of only those that begin like a query term (all of them when `heads` is
 * null). A search highlights ten answers whose bodies run to thousands of words, nearly none of
 * which can match: building a token object and a string for each was a search's largest
 * allocation, and the cached tokens its largest memory (docs/benchmarks.md, fourteenth session).
 */
export interface WordScan {
  spans: Int32Array;
  /** Word index → folded word, for the words that may match. */
  candidates: Map<number, string>;
}

// Letters and digits of ASCII: what [\p{L}\p{N}] is on an ASCII text.
const isAsciiWordChar = (c: number) => (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
const lowerAscii = (c: number) => (c >= 65 && c <= 90 ? c + 32 : c);
const WORD_CHAR = /^[\p{L}\p{N}]$/u;
const wideWordChars = new Map<number, boolean>();
/** A code point beyond ASCII is a letter or digit: asked of the regular expression once each. */
function isWideWordChar(cp: number): boolean {
  let yes = wideWordChars.get(cp);
  if (yes === undefined) {
    yes = WORD_CHAR.test(String.fromCodePoint(cp));
    if (wideWordChars.size < 65_536) wideWordChars.set(cp, yes);
  }
  return yes;
}

// Offsets are gathered here and copied out at their final length.
let scratch = new Int32Array(4096);

export function scanWords(text: string, heads: ReadonlySet<string> | null): WordScan {
  let count = 0;
  const candidates = new Map<number, string>();
  // The ASCII heads as numbers (length and up to three lower-cased codes), so that an ASCII word
  // is checked without making its string. A word with other letters is folded as `tokenize` does.
  const keys = new Set<number>();
  if (heads) for (const h of heads) if (ASCII.test(h)) keys.add(headKey(0, h.length, (k) => lowerAscii(h.charCodeAt(k))));
  const code = (k: number) => lowerAscii(text.charCodeAt(k));
  const n = text.length;
  let i = 0;
  while (i < n) {
    const start = i;
    let wide = false;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c < 128) {
        if (!isAsciiWordChar(c)) break;
        i++;
      } else {
        const cp = text.codePointAt(i)!;
        if (!isWideWordChar(cp)) break;
        wide = true;
        i += cp > 0xffff ? 2 : 1;
      }
    }
    if (i === start) {
      i += text.codePointAt(i)! > 0xffff ? 2 : 1;
      continue;
    }
    if (i - start > 40) continue;
    const index = count++;
    if (2 * count > scratch.length) {
      const larger = new Int32Array(scratch.length * 2);
      larger.set(scratch);
      scratch = larger;
    }
    scratch[2 * index] = start;
    scratch[2 * index + 1] = i;
    if (wide) {
      const word = normalizeWord(text.slice(start, i));
      if (heads === null || heads.has(word.slice(0, 3))) candidates.set(index, word);
    } else if (heads === null || keys.has(headKey(start, i, code))) candidates.set(index, text.slice(start, i).toLowerCase());
  }
  return { spans: scratch.slice(0, 2 * count), candidates };
}

function headKey(start: number, end: number, code: (i: number) => number): number {
  const len = Math.min(3, end - start);
  let key = len;
  for (let k = 0; k < len; k++) key = key * 128 + code(start + k);
  return key;
}

function render(text: string, spans: Int32Array, matched: boolean[], from: number, to: number): string {
  let out = "";
  let at = from === 0 ? 0 : spans[2 * from]!;
  const end = to < matched.length ? spans[2 * to - 1]! : text.length;
  for (let i = from; i < to; i++) {
    if (!matched[i]) continue;
    const start = spans[2 * i]!;
    const stop = spans[2 * i + 1]!;
    out += escapeHtml(text.slice(at, start)) + "<mark>" + escapeHtml(text.slice(start, stop)) + "</mark>";
    at = stop;
  }
  return out + escapeHtml(text.slice(at, end));
}

/**
 * The whole text with matches marked, or undefined when nothing matches. With `fragments`, only
 * up to that many windows of about `words` words around the first matches, joined with " … ".
 */
export function highlightText(
  text: string,
  isMatch: (word: string) => boolean,
  fragments?: { count: number; words: number },
  scan: WordScan = scanWords(text, null),
): string | undefined {
  if (!text) return undefined;
  const count = scan.spans.length / 2;
  const matched = new Array<boolean>(count).fill(false);
  let any = false;
  for (const [i, word] of scan.candidates) if ((matched[i] = isMatch(word))) any = true;
  if (!any) return undefined;
  if (!fragments) return render(text, scan.spans, matched, 0, count);
  const parts: string[] = [];
  let from = 0;
  while (parts.length < fragments.count) {
    const hit = matched.indexOf(true, from);
    if (hit < 0) break;
    const start = Math.max(from, hit - Math.floor(fragments.words / 4));
    const end = Math.min(count, start + fragments.words);
    const html = render(text, scan.spans, matched, start, end);
    parts.push(start === 0 ? html.trimEnd() : html.trim());
    from = end;
  }
  return parts.join(" … ");
}
