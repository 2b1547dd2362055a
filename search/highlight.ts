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

/**
 * Words of `text` that might stem to one of `terms`: stems keep a word's first letters (or its
 * first two, as in "factori" for "factory"), so only those words need asking about.
 */
export function candidateWords(tokens: readonly Token[], terms: readonly string[]): string[] {
  const heads = new Set(terms.map((t) => t.slice(0, 3)));
  const out = new Set<string>();
  for (const t of tokens) if (heads.has(t.word.slice(0, 3))) out.add(t.word);
  return [...out];
}

function render(text: string, tokens: Token[], matched: boolean[], from: number, to: number): string {
  let out = "";
  let at = from === 0 ? 0 : tokens[from]!.start;
  const end = to < tokens.length ? tokens[to - 1]!.end : text.length;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (!matched[i]) continue;
    out += escapeHtml(text.slice(at, t.start)) + "<mark>" + escapeHtml(text.slice(t.start, t.end)) + "</mark>";
    at = t.end;
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
  tokens: Token[] = tokenize(text),
): string | undefined {
  if (!text) return undefined;
  const matched = tokens.map((t) => isMatch(t.word));
  if (!matched.includes(true)) return undefined;
  if (!fragments) return render(text, tokens, matched, 0, tokens.length);
  const parts: string[] = [];
  let from = 0;
  while (parts.length < fragments.count) {
    const hit = matched.indexOf(true, from);
    if (hit < 0) break;
    const start = Math.max(from, hit - Math.floor(fragments.words / 4));
    const end = Math.min(tokens.length, start + fragments.words);
    const html = render(text, tokens, matched, start, end);
    parts.push(start === 0 ? html.trimEnd() : html.trim());
    from = end;
  }
  return parts.join(" … ");
}
