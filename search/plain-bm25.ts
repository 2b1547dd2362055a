/**
 * The baseline row: what a developer writes in 30 lines. The question only, lower-cased words split
 * on anything else, no stemming or stopwords, Okapi BM25 (k1 1.2, b 0.75), ties in corpus order.
 */
export function plainBm25(docs: { id: string; question: string }[]): (q: string, k: number) => string[] {
  const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  const postings = new Map<string, { doc: number; tf: number }[]>();
  const lengths = docs.map((d, i) => {
    const ws = words(d.question);
    const tf = new Map<string, number>();
    for (const w of ws) tf.set(w, (tf.get(w) ?? 0) + 1);
    for (const [w, n] of tf) (postings.get(w) ?? postings.set(w, []).get(w)!).push({ doc: i, tf: n });
    return ws.length;
  });
  const avg = lengths.reduce((a, b) => a + b, 0) / Math.max(docs.length, 1);
  return (q, k) => {
    const scores = new Map<number, number>();
    for (const w of new Set(words(q))) {
      const list = postings.get(w) ?? [];
      const idf = Math.log(1 + (docs.length - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * lengths[doc]!) / avg)));
    }
    return [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, k).map(([doc]) => docs[doc]!.id);
  };
}
