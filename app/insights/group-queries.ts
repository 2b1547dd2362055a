/**
 * Failed searches grouped by similar wording, so "refund to giftcard", "Refund to gift card?"
 * and "refund to gift crad" are one row with three variants rather than three rows. Pure.
 *
 * Two queries group together when their letters (lower-cased, accents, punctuation, spaces
 * and common words removed) are the same or within a small edit distance (one typo per six
 * letters, at most three). The group is named after its most frequent variant.
 */
export interface FailedQueryCount {
  query: string;
  count: number;
  last: string;
}

export interface QueryGroup {
  /** The most searched variant: the question to write. */
  query: string;
  count: number;
  variants: string[];
  last: string;
}

const STOPWORDS = new Set(["a", "an", "the", "to", "of", "for", "in", "on", "my", "i", "is", "do", "does", "how", "can", "what", "and", "or", "with", "it", "be"]);

export function wordingKey(query: string): string {
  const words = query
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^\p{L}\p{N}\s]/gu, " ")
    .split(/\s+/)
    .filter(Boolean);
  const kept = words.filter((w) => !STOPWORDS.has(w));
  // Spaces dropped: "gift card" and "giftcard" are the same search.
  return (kept.length ? kept : words).join("");
}

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);

/** Levenshtein distance if it is at most `max`, else max + 1 (early exit, two reused rows: no allocation per pair). */
export function boundedDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  if (rowA.length <= b.length) {
    rowA = new Int32Array(b.length + 1);
    rowB = new Int32Array(b.length + 1);
  }
  let prev = rowA;
  let cur = rowB;
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (ca === b.charCodeAt(j - 1) ? 0 : 1));
      cur[j] = v;
      if (v < best) best = v;
    }
    if (best > max) return max + 1;
    [prev, cur] = [cur, prev];
  }
  return prev[b.length]!;
}

/** Typos are matched against the most searched groups only: the tail is rare wordings, and pairs grow quadratically. */
const FUZZY_GROUPS = 200;

const allowance = (key: string) => Math.min(3, Math.floor(key.length / 6));

/** Groups counted queries (any order); the result is sorted by count, most searched first. */
export function groupQueries(rows: readonly FailedQueryCount[], maxInput = 500): QueryGroup[] {
  const sorted = [...rows].sort((x, y) => y.count - x.count || x.query.localeCompare(y.query)).slice(0, maxInput);
  const groups: (QueryGroup & { key: string; variantCounts: Map<string, number> })[] = [];
  const byKey = new Map<string, (typeof groups)[number]>();
  for (const row of sorted) {
    const key = wordingKey(row.query);
    let group = byKey.get(key);
    if (!group) {
      const limit = allowance(key);
      // A few typos leave the start or the end of the words intact: a cheap test before the distance.
      const head = key.slice(0, 3);
      const tail = key.slice(-3);
      group = limit > 0 ? groups.slice(0, FUZZY_GROUPS).find((g) => (g.key.startsWith(head) || g.key.endsWith(tail)) && boundedDistance(g.key, key, Math.min(limit, allowance(g.key))) <= Math.min(limit, allowance(g.key))) : undefined;
    }
    if (!group) {
      group = { key, query: row.query, count: 0, variants: [], last: row.last, variantCounts: new Map() };
      groups.push(group);
    }
    byKey.set(key, group);
    group.count += row.count;
    group.variantCounts.set(row.query, (group.variantCounts.get(row.query) ?? 0) + row.count);
    if (row.last > group.last) group.last = row.last;
  }
  return groups
    .map((g) => {
      const variants = [...g.variantCounts.entries()].sort((x, y) => y[1] - x[1] || x[0].localeCompare(y[0])).map(([q]) => q);
      return { query: variants[0] ?? g.query, count: g.count, variants, last: g.last };
    })
    .sort((x, y) => y.count - x.count || x.query.localeCompare(y.query));
}
