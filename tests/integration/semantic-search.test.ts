import { eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { createDb, rowsOf, type Db } from "../../db/client.server";
import { answers, searchDocuments } from "../../db/schema";
import { loadDocuments } from "../../search/documents";
import { drainAll, embedAll } from "../../search/outbox";
import { createPostgresIndex } from "../../search/postgres";
import { importAnswers } from "../../workflows/import";
import { testDriver, useFreshDatabase } from "../support/db";
import { createUser } from "../support/factories";

/**
 * Matching by meaning (search/sentence-encoder.ts, blended in search/resident.ts), with the real
 * model over a real database: queries that share no word with the answer's question find it once
 * the answers have their vectors, and nothing else changes what may be found.
 */
const CORPUS = [
  { id: "cancel", question: "How do I cancel my subscription?", answer: "Open Billing and choose Cancel plan.", audience: "public" },
  { id: "password", question: "How do I reset my password?", answer: "Use the Forgot password link on the sign-in page.", audience: "public" },
  { id: "hours", question: "What are your opening hours?", answer: "Weekdays from nine to five.", audience: "public" },
  { id: "refund", question: "Can I get my money back for an order?", answer: "Refunds go to the original card within five days.", audience: "public" },
  { id: "internal-hours", question: "When does the night shift start in the warehouse?", answer: "At ten in the evening.", audience: "internal" },
];
const db = useFreshDatabase();

async function setUp() {
  const d = db.current.db as Db;
  const km = await createUser(d, { roles: ["knowledge_manager"] });
  await importAnswers(d, CORPUS.map((c) => JSON.stringify(c)), { as: "certified", skipInvalid: false, userEmail: km.email });
  const index = createPostgresIndex(() => d);
  await drainAll(d, index);
  const ext = new Map((await d.select({ id: answers.id, ext: answers.externalId }).from(answers)).map((r) => [r.id, r.ext?.replace(/^import:/, "")]));
  const top = async (q: string, audience?: "public") => (await index.search({ q, limit: 5, submitted: true, ...(audience ? { audience } : {}) })).hits.map((h) => ext.get(h.document.id));
  return { d, index, top, idOf: (name: string) => [...ext].find(([, e]) => e === name)![0] };
}

describe("search by meaning", () => {
  afterEach(() => {
    delete process.env.SEARCH_SEMANTIC;
  });

  it("finds answers that share no word with the query once their vectors are computed", async () => {
    const { index, top } = await setUp();
    // Words alone: these share no word with the answers they ask about.
    expect(await top("how can i unsubscribe")).not.toContain("cancel");
    expect(await embedAll(index)).toBe(CORPUS.length);
    expect((await top("how can i unsubscribe"))[0]).toBe("cancel");
    expect((await top("i forgot my login credentials"))[0]).toBe("password");
    expect((await top("what time do you open", "public"))[0]).toBe("hours");
    // Nothing near: nothing found, rather than the least far answer.
    expect(await top("zxqv blorf wug")).toEqual([]);
    // Filters hold for answers found by meaning: the internal one is not public.
    expect(await top("what time does the late shift begin", "public")).not.toContain("internal-hours");
    expect((await top("what time does the late shift begin"))[0]).toBe("internal-hours");
    // Nothing is left to compute.
    expect(await embedAll(index)).toBe(0);
  }, 120_000);

  it("is off with SEARCH_SEMANTIC=off: words alone, no model", async () => {
    const { index, top } = await setUp();
    process.env.SEARCH_SEMANTIC = "off";
    expect(await embedAll(index)).toBe(0);
    expect(await top("how can i unsubscribe")).not.toContain("cancel");
  }, 120_000);

  it("keeps vectors while the question and phrasings stay, and recomputes them when they change", async () => {
    const { d, index, top, idOf } = await setUp();
    await embedAll(index);
    const vectorsOf = async (id: string) => (await d.select({ v: searchDocuments.vectors }).from(searchDocuments).where(eq(searchDocuments.answerId, id)))[0]?.v ?? null;
    const refund = idOf("refund");
    const before = await vectorsOf(refund);
    expect(before).not.toBeNull();
    // Re-indexed with the same texts (a new short answer, say): the vectors stay.
    const [doc] = await loadDocuments(d, [refund]);
    await index.upsert([{ ...doc!, shortAnswer: "Refunds take five days." }]);
    expect(Buffer.compare(Buffer.from((await vectorsOf(refund))!), Buffer.from(before!))).toBe(0);
    // A new question: the old vectors go, the next round computes the new ones.
    await index.upsert([{ ...doc!, question: "Which payment cards do you accept?" }]);
    expect(await vectorsOf(refund)).toBeNull();
    expect(await embedAll(index)).toBe(1);
    expect((await top("can i pay with visa or mastercard"))[0]).toBe("refund");
    // Agents' learned wordings get vectors too: changing them recomputes the answer's vectors.
    const [again] = await loadDocuments(d, [refund]);
    const wording = "my statement shows something i never bought";
    expect((await top(wording))[0]).not.toBe("refund");
    await index.upsert([{ ...again!, learnedPhrasings: [wording] }]);
    expect(await vectorsOf(refund)).toBeNull();
    expect(await embedAll(index)).toBe(1);
    expect((await top("there is a purchase on my statement i never made"))[0]).toBe("refund");
    const pending = rowsOf<{ n: number | string }>(await d.execute(sql`select count(*) as n from search_documents where vectors is null`));
    expect(Number(pending[0]!.n)).toBe(0);
  }, 120_000);

  it.skipIf(testDriver !== "postgres")("computes a batch on one instance only when several run the vectors job at once", async () => {
    const { d, index } = await setUp();
    await embedAll(index);
    await d.execute(sql`update search_documents set vectors = null`);
    const missing = async () => Number(rowsOf<{ n: number | string }>(await d.execute(sql`select count(*) as n from search_documents where vectors is null`))[0]!.n);
    const n = await missing();
    expect(n).toBeGreaterThanOrEqual(CORPUS.length);
    // Another instance: its own connection pool, already connected.
    const other = await createDb({ url: db.current.url! });
    try {
      await other.db.execute(sql`select 1`);
      const there = createPostgresIndex(() => other.db);
      const done = await Promise.all([index.embedPending!(), there.embedPending!()]);
      // One computed the whole batch; the other found it being computed and skipped the round.
      expect([...done].sort((a, b) => a - b)).toEqual([0, n]);
      expect(await missing()).toBe(0);
      expect(await there.embedPending!()).toBe(0);
    } finally {
      await other.close();
    }
  }, 120_000);
});
