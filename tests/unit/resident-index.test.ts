import { describe, expect, it } from "vitest";
import { highlightText, scanWords, termHeads, tokenize } from "../../search/highlight";
import {
  levenshteinWithin,
  parseTsvector,
  planQuery,
  POSTINGS_PER_TERM,
  ResidentIndex,
  sStem,
  trigrams,
  TUNING,
  type IndexedDocument,
} from "../../search/resident";

/** A document from "lexeme:positionWeight" words, the way PostgreSQL's tsvector text reads. */
function doc(answerId: string, tsv: string, extra: Partial<IndexedDocument> = {}): IndexedDocument {
  const terms = parseTsvector(tsv);
  const length = terms.reduce((n, t) => n + Math.max(t.positions.length, 1), 0);
  return { answerId, topicIds: ["t1"], tags: [], audience: "internal", state: "certified", length, terms, ...extra };
}

const words = (...ws: [string, ...string[]][]) => ws.map(([word, ...lexemes]) => ({ word, lexemes }));

describe("parsing PostgreSQL's tsvector text", () => {
  it("reads lexemes, positions and weights, with quotes and backslashes escaped", () => {
    expect(parseTsvector(`'refund':3A,7 'take':4B 'it''s':9C 'a\\\\b':10 'bare'`)).toEqual([
      { lexeme: "refund", positions: [3, 7], weights: ["A", "D"] },
      { lexeme: "take", positions: [4], weights: ["B"] },
      { lexeme: "it's", positions: [9], weights: ["C"] },
      { lexeme: "a\\b", positions: [10], weights: ["D"] },
      { lexeme: "bare", positions: [], weights: [] },
    ]);
    expect(parseTsvector("")).toEqual([]);
    expect(() => parseTsvector("refund:1")).toThrow(/expected a quote/);
  });
});

describe("the pieces of typo tolerance", () => {
  it("makes pg_trgm's padded trigrams", () => {
    expect(trigrams("cat").sort()).toEqual(["  c", " ca", "at ", "cat"].sort());
  });
  it("stops counting edits past the bound", () => {
    expect(levenshteinWithin("refund", "refnud", 2)).toBe(2);
    expect(levenshteinWithin("refund", "xxxxxx", 2)).toBe(3);
    expect(levenshteinWithin("a", "abcd", 2)).toBe(3);
  });
});

describe("the resident index", () => {
  const corpus = () => {
    const index = new ResidentIndex();
    index.upsert(doc("refund", `'refund':3A 'long':2A 'take':4A 'card':9C 'day':7B 'work':6B`, { audience: "public" }));
    index.upsert(doc("router", `'factori':4A 'reset':5A 'router':7A 'button':10B 'hold':8B`, { topicIds: ["t2"], tags: ["router"] }));
    index.upsert(doc("invoice", `'invoic':3A 'bill':7B 'refund':12C 'credit':14C 'note':15C`, { tags: ["invoices"], state: "reverification_due" }));
    return index;
  };

  it("keeps every answer's arrays apart across its shared buffers, through replacements and removals", () => {
    // ~300 lexemes an answer: 4,000 answers fill several of the 1 MB buffers the per-answer arrays share.
    const index = new ResidentIndex();
    const body = (i: number) => Array.from({ length: 300 }, (_, k) => `'w${(i * 7 + k) % 5000}':${k + 3}C`).join(" ");
    const answer = (i: number, question: string) =>
      doc(`a${i}`, `'${question}':1A 'case${i}':2A ${body(i)}`, { topicIds: [`t${i % 3}`], tags: i % 2 ? ["odd"] : [] });
    for (let i = 0; i < 4000; i++) index.upsert(answer(i, "alpha"));
    // Replacing half of them moves those to new space; the old views must not be read again.
    for (let i = 0; i < 4000; i += 2) index.upsert(answer(i, "beta"));
    index.remove("a3999");
    const find = (lexeme: string, filter = {}) => {
      const plan = planQuery(index, words([lexeme, lexeme]), "", []);
      return index.rank(plan.terms, plan.bigrams, filter, 10, 0);
    };
    // Each answer, early and late, replaced or not, is found by its own word with its own question.
    for (const i of [0, 1, 2, 777, 1500, 2999, 3001, 3997, 3998]) {
      expect(find(`case${i}`).ids[0]).toBe(`a${i}`);
      const plan = planQuery(index, words([`case${i}`, `case${i}`], [i % 2 ? "alpha" : "beta", i % 2 ? "alpha" : "beta"]), "", []);
      expect(index.rank(plan.terms, plan.bigrams, {}, 1, 0).ids).toEqual([`a${i}`]);
    }
    expect(find("case3999").ids).not.toContain("a3999");
    // Topic and tag lists are shared between answers that have the same ones: filters still tell them apart.
    expect(find("case3001", { tags: ["odd"], topicIds: ["t1"] }).ids[0]).toBe("a3001");
    expect(find("case3001", { topicIds: ["t0"] }).ids).not.toContain("a3001");
    expect(find("case3000", { tags: ["odd"] }).ids).not.toContain("a3000");
    // The question's word pair is found per answer: its phrase bonus ranks the answer asked first.
    const plan = planQuery(index, words(["beta", "beta"], ["case10", "case10"]), "", []);
    expect(index.rank(plan.terms, plan.bigrams, {}, 1, 0).ids).toEqual(["a10"]);
  });

  it("ranks by BM25 with the question weighted above the body", () => {
    const index = corpus();
    const plan = planQuery(index, words(["refund", "refund"]), "", []);
    const { ids, total } = index.rank(plan.terms, plan.bigrams, {}, 10, 0);
    expect(ids).toEqual(["refund", "invoice"]);
    expect(total).toBe(2);
  });

  it("corrects unknown words to close indexed ones, and completes the last word", () => {
    const index = corpus();
    expect(index.corrections("refnud")[0]?.term).toBe("refund");
    expect(index.corrections("zzzzzz")).toEqual([]);
    expect(index.completions("fac").map((c) => c.term)).toEqual(["factori"]);
    const plan = planQuery(index, words(["routr", "routr"]), "", []);
    expect(plan.terms.map((t) => t.term)).toContain("router");
  });

  it("adds a synonym group's words when one of its phrases was asked for in full", () => {
    const index = corpus();
    const synonyms = [{ lexemes: [["money", "back"], ["refund"]] }];
    expect(planQuery(index, words(["money", "money"], ["back", "back"]), "", synonyms).terms.map((t) => t.term)).toEqual(["refund"]);
    expect(planQuery(index, words(["money", "money"]), "", synonyms).terms).toEqual([]);
  });

  it("gives a bonus to query words that stand next to each other in the answer, on long queries", () => {
    const index = new ResidentIndex();
    index.upsert(doc("apart", `'factori':1A 'x':2A 'reset':3A 'y':4A`));
    index.upsert(doc("together", `'factori':1A 'reset':2A 'x':3A 'y':4A`));
    const query = words(["factory", "factori"], ["reset", "reset"]);
    // A short query is its own phrase: no bonus (it cost MRR on the short-query development sets).
    expect(planQuery(index, query, "", []).bigrams).toEqual([]);
    const minTerms = TUNING.phraseMinTerms;
    TUNING.phraseMinTerms = 2;
    try {
      const plan = planQuery(index, query, "", []);
      expect(plan.bigrams).toEqual([["factori", "reset"]]);
      expect(index.rank(plan.terms, plan.bigrams, {}, 10, 0).ids[0]).toBe("together");
    } finally {
      TUNING.phraseMinTerms = minTerms;
    }
  });

  it("matches stopwords kept in questions, but never on their own", () => {
    const index = new ResidentIndex();
    index.upsert(doc("off", `'turn':1A 'light':3A 'off':4A 'the':2A`));
    index.upsert(doc("on", `'turn':1A 'light':3A 'on':4A 'the':2A`));
    const off = planQuery(index, [...words(["turn", "turn"], ["lights", "light"]), { word: "off", lexemes: ["off"], stop: true }], "", []);
    expect(index.rank(off.terms, off.bigrams, {}, 10, 0).ids[0]).toBe("off");
    const onlyStop = planQuery(index, [{ word: "the", lexemes: ["the"], stop: true }, { word: "off", lexemes: ["off"], stop: true }, ...words(["dogecoin"])], "", []);
    expect(onlyStop.terms).toEqual([]);
  });

  it("strips plurals only for the written-form check", () => {
    expect(["reservations", "stories", "boxes", "glass", "status", "meaning", "bus"].map(sStem)).toEqual(["reservation", "story", "boxe", "glass", "status", "meaning", "bus"]);
  });

  it("ranks a question that has the asked word's form above one that has only its stem, plurals alike", () => {
    const index = new ResidentIndex();
    // Inserted first, so it would win the tie on its key without the written forms.
    index.upsert(doc("mean", `'what':1A 'mean':2A '=what':1A '=mean':2A`));
    index.upsert(doc("meaning", `'what':1A 'mean':2A '=what':1A '=meaning':2A`));
    index.upsert(doc("lists", `'show':1A 'list':2A '=show':1A '=lists':2A`));
    index.upsert(doc("list", `'show':1A 'list':2A '=show':1A '=list':2A`));
    const meaning = planQuery(index, [{ word: "what", lexemes: ["what"], stop: true }, ...words(["meaning", "mean"])], "", []);
    expect(index.rank(meaning.terms, meaning.bigrams, {}, 10, 0).ids).toEqual(["meaning", "mean"]);
    // A plural is the same form: equal scores, in key order.
    const list = planQuery(index, words(["show", "show"], ["list", "list"]), "", []);
    expect(index.rank(list.terms, list.bigrams, {}, 10, 0).ids).toEqual(["list", "lists"]);
    // The word still being typed has no form yet.
    const typing = planQuery(index, [{ word: "what", lexemes: ["what"], stop: true }, ...words(["mean", "mean"])], "mean", []);
    expect(index.rank(typing.terms, typing.bigrams, {}, 10, 0).ids).toEqual(["mean", "meaning"]);
    // Written forms are not lexemes: they neither match nor count in a field's length.
    expect(index.frequency("=mean")).toBe(0);
  });

  it("normalises each field by its own average length (BM25F), so a rare field is not crushed", () => {
    const index = new ResidentIndex();
    // Learned phrasings (D) exist on one answer of many: its average is over answers that have it.
    for (let i = 0; i < 50; i++) index.upsert(doc(`q${i}`, `'cancel':1A 'plan':2A 'word${i}':3A`));
    index.upsert(doc("learned", `'close':1A 'contract':2A 'termin':3D 'plan':4D`));
    const plan = planQuery(index, words(["terminate", "termin"], ["plan", "plan"]), "", []);
    expect(index.rank(plan.terms, plan.bigrams, {}, 10, 0).ids[0]).toBe("learned");
  });

  it("filters by audience, state, topic and tag", () => {
    const index = corpus();
    const plan = planQuery(index, words(["refund", "refund"]), "", []);
    const ids = (f: object) => index.rank(plan.terms, plan.bigrams, f, 10, 0).ids;
    expect(ids({ audience: "public" })).toEqual(["refund"]);
    expect(ids({ states: ["certified"] })).toEqual(["refund"]);
    expect(ids({ states: ["reverification_due"] })).toEqual(["invoice"]);
    expect(ids({ tags: ["invoices"] })).toEqual(["invoice"]);
    expect(ids({ topicIds: ["t2"] })).toEqual([]);
  });

  it("replaces and removes documents, keeping term counts right", () => {
    const index = corpus();
    index.upsert(doc("refund", `'voucher':1A`));
    expect(index.frequency("refund")).toBe(1);
    expect(index.frequency("voucher")).toBe(1);
    // Asked twice (the second from the remembered corrections), then a write must forget them.
    expect(index.corrections("vouchr")[0]?.term).toBe("voucher");
    expect(index.corrections("vouchr")[0]?.term).toBe("voucher");
    index.remove("refund");
    index.remove("refund");
    expect(index.frequency("voucher")).toBe(0);
    expect(index.size).toBe(2);
    expect(index.corrections("vouchr")).toEqual([]);
    const plan = planQuery(index, words(["refund", "refund"]), "", []);
    expect(index.rank(plan.terms, plan.bigrams, {}, 10, 0).ids).toEqual(["invoice"]);
  });

  it("reads only the best postings of a very common term, and still finds the best answers", () => {
    const index = new ResidentIndex();
    const n = POSTINGS_PER_TERM * 2;
    // Every answer mentions "account" once in a long body; answer 7 has it in its short question.
    for (let i = 0; i < n; i++) index.upsert(doc(`a${i}`, i === 7 ? `'account':1A 'close':2A` : `'account':40C 'filler':1C,2C,3C,4C,5C,6C,7C,8C`));
    const plan = planQuery(index, words(["account", "account"]), "", []);
    const result = index.rank(plan.terms, plan.bigrams, {}, 5, 0);
    expect(result.ids[0]).toBe("a7");
    // The count is what paging can reach: the answers kept for ranking above the noise floor.
    const everything = index.rank(plan.terms, plan.bigrams, {}, 1000, 0);
    expect(result.total).toBe(everything.ids.length);
    expect(result.total).toBeLessThanOrEqual(POSTINGS_PER_TERM);
  });

  it("ranks alike whether long lists were put in impact order ahead of time or on first use", () => {
    const build = () => {
      const index = new ResidentIndex();
      // Many equal impacts, loaded out of key order: the tie order must come from the keys.
      for (let i = 0; i < POSTINGS_PER_TERM * 3; i++) {
        const k = (i * 7919) % (POSTINGS_PER_TERM * 3);
        index.upsert(doc(`a${k}`, `'account':${(k % 5) + 2}C 'close':${(k % 3) + 1}C 'filler':9C`, { key: `k${String(k).padStart(5, "0")}` }));
      }
      return index;
    };
    const plan = (index: ResidentIndex) => planQuery(index, words(["account", "account"], ["close", "close"]), "", []);
    const lazy = build();
    const prepared = build();
    expect(prepared.prepareImpactOrders(0)).toBe(false);
    let slices = 1;
    while (!prepared.prepareImpactOrders(1)) slices++;
    expect(slices).toBeLessThan(10);
    for (const offset of [0, 40]) {
      const a = lazy.rank(plan(lazy).terms, [], {}, 20, offset);
      const b = prepared.rank(plan(prepared).terms, [], {}, 20, offset);
      expect(b).toEqual(a);
      expect(a.ids).toHaveLength(20);
    }
    // Nothing short enough to be read whole needs preparing.
    expect(new ResidentIndex().prepareImpactOrders(0)).toBe(true);
  });

  it("keeps a long list's impact order through writes, ranking as a fresh copy of the same answers does", () => {
    // Every answer has the same field lengths (2 in the question, 3 in the body), so the averages,
    // and with them every impact, are the same in both copies: only the order can differ.
    const answer = (k: number, v = 0) =>
      doc(`a${k}`, `'close':1A '${k % 2 ? "shut" : "end"}':2A ${["'account':3C 'filler':4C,5C", "'account':3C,4C 'filler':5C", "'account':3C,4C,5C"][(k + v) % 3]}`, {
        key: `k${String((k * 7919) % 10_007).padStart(5, "0")}`,
      });
    const live = new Map<number, number>();
    const written = new ResidentIndex();
    const write = (k: number, v = 0) => {
      written.upsert(answer(k, v));
      live.set(k, v);
    };
    for (let k = 0; k < POSTINGS_PER_TERM * 3; k++) write(k);
    // Deep pages too: which of the equal postings a list's cut keeps shows only near its end.
    const ask = (index: ResidentIndex, offset: number) =>
      [words(["account", "account"]), words(["account", "account"], ["close", "close"])].map((asked) => {
        const plan = planQuery(index, asked, "", []);
        return index.rank(plan.terms, plan.bigrams, {}, 20, offset);
      });
    ask(written, 0);
    const fresh = () => {
      const index = new ResidentIndex();
      // In another order than the writes: ties must fall by key in both.
      for (const [k, v] of [...live].reverse()) index.upsert(answer(k, v));
      return index;
    };
    const rounds: (() => void)[] = [
      () => {
        for (let k = POSTINGS_PER_TERM * 3; k < POSTINGS_PER_TERM * 3 + 150; k++) write(k);
      },
      () => {
        for (let k = 0; k < 300; k += 3) write(k, 1);
        for (let k = 1; k < 200; k += 4) {
          written.remove(`a${k}`);
          live.delete(k);
        }
      },
    ];
    for (const round of rounds) {
      round();
      const merged = written.ordersMerged;
      const again = fresh();
      for (const offset of [0, 40, 500, POSTINGS_PER_TERM - 20]) expect(ask(written, offset)).toEqual(ask(again, offset));
      // The long lists took the new postings by merging, not by sorting again.
      expect(written.ordersMerged).toBeGreaterThan(merged);
    }
  });
});

describe("highlighting", () => {
  const isMatch = (w: string) => w === "refund" || w === "refunds";
  it("marks matches and escapes the rest, keeping punctuation around them", () => {
    expect(highlightText("(Refunds) <b>take</b> 5 days & more", isMatch)).toBe("(<mark>Refunds</mark>) &lt;b&gt;take&lt;/b&gt; 5 days &amp; more");
    expect(highlightText("nothing here", isMatch)).toBeUndefined();
  });
  it("cuts long text into fragments around the first matches", () => {
    const long = `${"word ".repeat(50)}refund ${"more ".repeat(50)}refunds ${"tail ".repeat(50)}`;
    const out = highlightText(long, isMatch, { count: 2, words: 12 })!;
    expect(out.split(" … ")).toHaveLength(2);
    expect(out.match(/<mark>/g)).toHaveLength(2);
    expect(out.length).toBeLessThan(200);
  });
  it("asks the stemmer only about words that could stem to a query term", () => {
    const candidates = (text: string, terms: string[]) => [...scanWords(text, termHeads(terms)).candidates.values()];
    expect(candidates("Refunds are refunded, not factories", ["refund"])).toEqual(["refunds", "refunded"]);
    expect(candidates("Up, UPload it; U2 u2", ["up", "u2"])).toEqual(["up", "u2", "u2"]);
    expect(candidates("Café RÉSUMÉ résumés", ["resum"])).toEqual(["resume", "resumes"]);
    expect(tokenize("Café RÉSUMÉ").map((t) => t.word)).toEqual(["cafe", "resume"]);
  });
  it("finds the same words as the tokenizer, without making a string for each", () => {
    // The scan is hand-written: it must agree with the Unicode tokenizer word for word (offsets,
    // the 40-letter limit, folding) on texts made of the characters that matter: ASCII, accents
    // precomposed and combining, ligatures, full-width and astral letters, other digits, emoji,
    // a lone surrogate.
    const alphabet = ["a", "B", "z", "Z", "0", "9", " ", ",", "-", "'", "\n", "_", "@", "[", "`", "{", "/", ":", "é", "ß", "É", "\u0301", "ﬁ", "Ａ", "٣", "𝐀", "😀", "\ud800", "’"];
    let seed = 7;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let n = 0; n < 2000; n++) {
      const ascii = n % 2 === 0;
      const chars = alphabet.filter((c) => !ascii || c.charCodeAt(0) < 128);
      let text = "";
      const length = Math.floor(rand() * 120);
      for (let i = 0; i < length; i++) text += rand() < 0.05 ? "x".repeat(38 + Math.floor(rand() * 5)) : chars[Math.floor(rand() * chars.length)];
      const tokens = tokenize(text);
      const all = scanWords(text, null);
      expect([...all.spans]).toEqual(tokens.flatMap((t) => [t.start, t.end]));
      expect([...all.candidates.values()]).toEqual(tokens.map((t) => t.word));
      const heads = termHeads(["ab", "z0", "xxx", "b", "e", "fia", "ss"]);
      expect([...scanWords(text, heads).candidates.entries()]).toEqual(tokens.flatMap((t, i) => (heads.has(t.word.slice(0, 3)) ? [[i, t.word]] : [])));
    }
    // Longer than the scanner's first buffer.
    const long = Array.from({ length: 5000 }, (_, i) => (i % 7 === 0 ? "Résumé" : `w${i}`)).join(" ");
    expect([...scanWords(long, null).spans]).toEqual(tokenize(long).flatMap((t) => [t.start, t.end]));
  });
});
