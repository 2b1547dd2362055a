import { describe, expect, it } from "vitest";
import { CompletionIndex, didYouMean, Vocabulary, words, type CompletionPhrase } from "../../search/suggest";
import { expandWithCorrections, orQuery } from "../../app/site-search/content-search.server";
import { CompleteParamsSchema, ScopeSchema } from "../../app/site-search/schema";

const phrase = (text: string, weight = 0, source = "certified"): CompletionPhrase => ({ text, source, weight });

describe("whole-query completion", () => {
  const index = new CompletionIndex([
    phrase("How do I cancel my subscription?", 2),
    phrase("How do I get a refund?", 5),
    phrase("Can I cancel an order after it shipped?", 1),
    phrase("stop my plan"),
    phrase("How do I upload a receipt?"),
    phrase("how do i cancel my subscription", 9, "learned"),
  ]);

  it("completes the whole query, not only the last word, phrases starting with the words first", () => {
    expect(index.complete("how do i can").map((c) => c.text)).toEqual(["How do I cancel my subscription?"]);
    expect(index.complete("i can").map((c) => c.text)).toEqual(["How do I cancel my subscription?", "Can I cancel an order after it shipped?"]);
    expect(index.complete("cancel sub").map((c) => c.text)).toEqual(["How do I cancel my subscription?"]);
  });

  it("keeps one wording once, with the larger weight, and the source that wrote it first", () => {
    const all = index.complete("how do i", 10);
    expect(all.filter((c) => c.text.toLowerCase().startsWith("how do i cancel"))).toEqual([{ text: "How do I cancel my subscription?", source: "certified" }]);
    // Weight orders equally good matches: the deduplicated wording carries weight 9.
    expect(all[0]!.text).toBe("How do I cancel my subscription?");
  });

  it("requires every finished word and never completes a word that ended with a space", () => {
    expect(index.complete("how do i up")).toEqual([{ text: "How do I upload a receipt?", source: "certified" }]);
    expect(index.complete("how do i up ")).toEqual([]);
    expect(index.complete("refund zebra")).toEqual([]);
  });

  it("offers nothing for one letter, for an exact match, or for nothing", () => {
    expect(index.complete("h")).toEqual([]);
    expect(index.complete("  ")).toEqual([]);
    expect(index.complete("stop my plan")).toEqual([]);
  });

  it("folds case and accents and respects the limit", () => {
    expect(index.complete("HÓW", 2)).toHaveLength(2);
  });
});

describe("did you mean", () => {
  const answers = new Vocabulary(["How do I cancel my subscription?", "Refunds go back to your card", "refund refund"]);
  const content = new Vocabulary(["The onboarding checklist for new agents"]);

  it("replaces the words nobody wrote with the closest known ones", () => {
    expect(didYouMean("how do i cancle my subscriptoin", [answers])).toBe("how do i cancel my subscription");
    expect(didYouMean("refnud", [answers])).toBe("refund");
    expect(didYouMean("onbaording", [answers, content])).toBe("onboarding");
  });

  it("says nothing when every word is known, or when no close word exists", () => {
    expect(didYouMean("cancel my subscription", [answers])).toBeNull();
    expect(didYouMean("xylophone", [answers])).toBeNull();
    expect(didYouMean("onbaording", [answers])).toBeNull();
    expect(didYouMean("", [answers])).toBeNull();
  });

  it("keeps short words and numbers as typed", () => {
    expect(didYouMean("zz 2024 refnud", [answers])).toBe("zz 2024 refund");
  });

  it("counts words case- and accent-free", () => {
    expect(words("Ça VA, Refund!")).toEqual(["ca", "va", "refund"]);
    expect(answers.frequency("refund")).toBe(2);
  });
});

describe("content query pieces", () => {
  it("quotes lexemes so a query can never inject tsquery operators", () => {
    expect(orQuery(["refund", "it's", "a\\b", "refund"])).toBe("'refund' | 'it''s' | 'a\\\\b'");
  });

  it("adds close known words for a word nobody wrote, keeps known and short ones alone", () => {
    const v = new Vocabulary(["subscription cancel playbook"]);
    expect(expandWithCorrections(["subscriptoin", "cancel", "zq"], v)).toEqual(["subscriptoin", "subscription", "cancel", "zq"]);
  });

  it("validates the completion request and the scope switch", () => {
    expect(CompleteParamsSchema.safeParse({}).success).toBe(false);
    expect(CompleteParamsSchema.safeParse({ q: "x".repeat(201) }).success).toBe(false);
    expect(CompleteParamsSchema.safeParse({ q: "ok", limit: "99" }).success).toBe(false);
    expect(CompleteParamsSchema.parse({ q: "ok" })).toEqual({ q: "ok", limit: 6 });
    expect(ScopeSchema.parse("all")).toBe("all");
    expect(ScopeSchema.parse("everything")).toBeUndefined();
  });
});
