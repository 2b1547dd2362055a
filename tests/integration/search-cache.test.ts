import { describe, expect, it, vi } from "vitest";
import type { Db } from "../../db/client.server";
import { answers } from "../../db/schema";
import { loadDocuments } from "../../search/documents";
import { drainAll } from "../../search/outbox";
import { createPostgresIndex, forgetResults } from "../../search/postgres";
import { ResidentIndex } from "../../search/resident";
import { importAnswers } from "../../workflows/import";
import { useFreshDatabase } from "../support/db";
import { createUser } from "../support/factories";

/**
 * A search asked again against an unchanged copy is answered from the result cache
 * (search/postgres.ts, ResultCache); any write must make the next search see it.
 */
const CORPUS = [
  { id: "reset", question: "How do I reset my password?", answer: "Use the Forgot password link." },
  { id: "change", question: "How do I change my password?", answer: "Open Settings, then Security." },
  { id: "hours", question: "What are your opening hours?", answer: "Weekdays from nine to five." },
];
const db = useFreshDatabase();

/** The corpus imported as certified and an index that has applied it. */
async function certifiedCorpus() {
  const d = db.current.db as Db;
  const km = await createUser(d, { roles: ["knowledge_manager"] });
  await importAnswers(d, CORPUS.map((c) => JSON.stringify(c)), { as: "certified", skipInvalid: false, userEmail: km.email });
  const index = createPostgresIndex(() => d);
  await drainAll(d, index);
  return { d, index };
}

describe("search result cache", () => {
  it("answers a repeated search alike, and never from before a write", async () => {
    const { d, index } = await certifiedCorpus();
    const questions = async (q: string, extra: { limit?: number; offset?: number; submitted?: boolean } = {}) =>
      (await index.search({ q, limit: 5, ...extra })).hits.map((h) => h.document.question);

    const first = await index.search({ q: "password", limit: 5 });
    expect(first.hits.map((h) => h.document.question).sort()).toEqual(["How do I change my password?", "How do I reset my password?"]);
    // A caller that trims its result does not trim the next caller's.
    first.hits.length = 0;
    const again = await index.search({ q: "password", limit: 5 });
    expect(again.hits).toHaveLength(2);
    expect(again.total).toBe(2);
    // Another page, limit or wording is another search.
    expect(await questions("password", { limit: 1 })).toHaveLength(1);
    expect(await questions("password", { limit: 1, offset: 1 })).toHaveLength(1);
    expect(await questions("password", { limit: 1 })).not.toEqual(await questions("password", { limit: 1, offset: 1 }));

    // An edit: the new question is what the next identical search shows.
    const ids = (await d.select({ id: answers.id }).from(answers)).map((r) => r.id);
    const [reset] = (await loadDocuments(d, ids)).filter((doc) => doc.question.startsWith("How do I reset"));
    await index.upsert([{ ...reset!, question: "How do I recover a lost password?" }]);
    expect(await questions("password")).toContain("How do I recover a lost password?");
    expect(await questions("password")).not.toContain("How do I reset my password?");

    // A removal: gone from the very next search.
    await index.remove([reset!.id]);
    expect(await questions("password")).toEqual(["How do I change my password?"]);
  }, 120_000);

  it("ranks again after forgetResults(), and forgets the copy's remembered nearest vectors once", async () => {
    // bench:search calls forgetResults() to measure the ranking itself rather than the cache.
    const { index } = await certifiedCorpus();
    const ranked = vi.spyOn(ResidentIndex.prototype, "rankWords");
    const forgot = vi.spyOn(ResidentIndex.prototype, "forgetNearest");
    try {
      const first = await index.search({ q: "opening hours", limit: 5 });
      await index.search({ q: "opening hours", limit: 5 });
      expect(ranked).toHaveBeenCalledTimes(1);
      forgetResults();
      const after = await index.search({ q: "opening hours", limit: 5 });
      expect(ranked).toHaveBeenCalledTimes(2);
      expect(forgot).toHaveBeenCalledTimes(1);
      expect(after.hits.map((h) => h.document.id)).toEqual(first.hits.map((h) => h.document.id));
      // Once per forgetResults(): the next searches are remembered again.
      await index.search({ q: "opening hours", limit: 5 });
      await index.search({ q: "opening times", limit: 5 });
      expect(ranked).toHaveBeenCalledTimes(3);
      expect(forgot).toHaveBeenCalledTimes(1);
    } finally {
      ranked.mockRestore();
      forgot.mockRestore();
    }
  }, 120_000);
});
