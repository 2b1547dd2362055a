/**
 * Turning what an agent types or pastes into words worth searching for. Pure: shared by both
 * engines.
 */

/** Chat shorthand and contractions customers write, spelled out so stemming and stopwords apply. */
const SHORTHAND: Record<string, string> = {
  im: "i am",
  ive: "i have",
  cant: "can not",
  cannot: "can not",
  dont: "do not",
  doesnt: "does not",
  didnt: "did not",
  wont: "will not",
  isnt: "is not",
  wasnt: "was not",
  havent: "have not",
  u: "you",
  ur: "your",
  pls: "please",
  plz: "please",
  thx: "thanks",
  acct: "account",
  acc: "account",
  pwd: "password",
  pw: "password",
  addr: "address",
  msg: "message",
  tx: "transaction",
  refnd: "refund",
  recieve: "receive",
  recieved: "received",
  wifi: "wifi",
};

/** Longest query we look at: a pasted message is reduced to its informative words later. */
const MAX_WORDS = 80;

export interface AnalyzedQuery {
  /** Lower-cased words, shorthand spelled out, in order. */
  words: string[];
  /** The query did not end in a space: the last word may be unfinished (search as you type). */
  prefix: boolean;
}

export function analyzeQuery(q: string): AnalyzedQuery {
  const text = q
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[’']/g, "");
  const raw = text.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const words = raw
    .flatMap((w) => (SHORTHAND[w] ?? w).split(" "))
    .filter((w) => w.length <= 40)
    .slice(0, MAX_WORDS);
  return { words, prefix: words.length > 0 && /[\p{L}\p{N}]$/u.test(q) };
}

const HTML_ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
const HTML_SPECIAL = /[&<>"']/;

export function escapeHtml(s: string): string {
  // Most stretches between highlights have nothing to escape: no new string for them.
  return HTML_SPECIAL.test(s) ? s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!) : s;
}

/**
 * The informative words of a long query, for engines that read only the first few words
 * (Meilisearch reads 10): common English words and duplicates go first.
 */
export function informativeWords(q: string, max = 10): string[] {
  const { words } = analyzeQuery(q);
  const seen = new Set<string>();
  const kept = words.filter((w) => {
    if (STOPWORDS.has(w) || seen.has(w) || w.length < 2) return false;
    seen.add(w);
    return true;
  });
  // Longer words tend to carry more meaning than short ones in support questions.
  return kept.length <= max ? kept : [...kept].sort((a, b) => b.length - a.length).slice(0, max);
}

const STOPWORDS = new Set(
  "a about above after again against all am an and any are as at be because been before being below between both but by can could did do does doing down during each few for from further had has have having he her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other our ours ourselves out over own same she should so some such than that the their theirs them themselves then there these they this those through to too under until up very was we were what when where which while who whom why will with would you your yours yourself yourselves hi hello hey thanks thank please ok okay get got also still really".split(
    " ",
  ),
);
