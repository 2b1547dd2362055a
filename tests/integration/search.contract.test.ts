import { count, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { createDb } from "../../db/client.server";
import { searchDocuments, searchOutbox } from "../../db/schema";
import type { SearchDocument, SearchIndex } from "../../search/index";
import { createMeilisearchIndex } from "../../search/meilisearch";
import { drainAll, drainOutbox, outboxLag, reindex } from "../../search/outbox";
import { createPostgresIndex } from "../../search/postgres";
import { createDraft, sendEvent } from "../../workflows/approval.service";
import { actor, certifiedAnswer, draftInput, workflowCast } from "../support/answers";
import { testDriver, useFreshDatabase } from "../support/db";

const database = useFreshDatabase();
const db = () => database.current.db;

const TOPIC_A = "00000000-0000-4000-8000-00000000000a";
const TOPIC_B = "00000000-0000-4000-8000-00000000000b";
let n = 0;
function doc(overrides: Partial<SearchDocument>): SearchDocument {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    versionId: `10000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    question: "",
    alternatives: [],
    shortAnswer: "",
    body: "",
    topicIds: [TOPIC_A],
    topicNames: ["A"],
    tags: [],
    audience: "internal",
    state: "certified",
    certifiedByName: "Kim",
    certifiedAt: "2026-01-01T00:00:00.000Z",
    reverifyAt: "2026-07-01T00:00:00.000Z",
    ...overrides,
  };
}

const corpus = {
  refund: doc({ question: "How long does a refund take?", alternatives: ["money back"], shortAnswer: "Refunds take 5 working days.", body: "We refund the card you paid with.", tags: ["refunds"], audience: "public" }),
  close: doc({ question: "How do I close my account?", shortAnswer: "Use Account, Privacy, Close account.", body: "Open orders must be finished first.", topicIds: [TOPIC_B], tags: ["account"] }),
  router: doc({ question: "How do I factory reset the router?", shortAnswer: "Hold the reset button for ten seconds.", body: "The wireless network name returns to the label.", topicIds: [TOPIC_B], tags: ["router"], audience: "public" }),
  esim: doc({ question: "How do I activate an eSIM?", shortAnswer: "Scan the QR code in the app.", learnedPhrasings: ["digital sim on my new handset"], tags: ["esim"] }),
  porting: doc({ question: "Can I keep my phone number when I switch?", alternatives: ["port my number"], shortAnswer: "Yes: ask your old provider for a PAC." }),
  blocked: doc({ question: "Why was my line barred?", shortAnswer: "Unpaid bills bar a line.", learnedPhrasings: ["port my number"] }),
  invoice: doc({ question: "Where is my invoice?", shortAnswer: "Invoices are under Billing.", body: "Download the PDF; refunds appear as credit notes.", tags: ["invoices"] }),
};

function contract(name: string, make: () => SearchIndex) {
  describe(`the ${name} search engine`, () => {
    let index: SearchIndex;
    beforeAll(async () => {
      index = make();
      await index.clear();
      await index.upsert(Object.values(corpus));
      await index.setSynonyms([["cancel", "terminate", "close"]]);
    });
    const top = async (q: string, extra: object = {}) => (await index.search({ q, limit: 5, ...extra })).hits.map((h) => h.document.id);

    it("finds by the question's words and ranks the best match first", async () => {
      expect((await top("how long does a refund take"))[0]).toBe(corpus.refund.id);
    });
    it("tolerates typos", async () => expect((await top("refnud"))[0]).toBe(corpus.refund.id));
    it("matches word forms", async () => {
      expect((await top("refunded"))[0]).toBe(corpus.refund.id);
      expect((await top("resetting routers"))[0]).toBe(corpus.router.id);
    });
    it("completes the word being typed", async () => expect((await top("facto"))[0]).toBe(corpus.router.id));
    it("uses synonyms", async () => expect((await top("terminate my account"))[0]).toBe(corpus.close.id));
    it("finds an answer by a phrasing learned from agents, ranked below the author's phrasings", async () => {
      expect((await top("digital sim handset"))[0]).toBe(corpus.esim.id);
      expect((await top("port my number")).slice(0, 2)).toEqual([corpus.porting.id, corpus.blocked.id]);
    });
    it("forgets a learned phrasing when the document comes without it (a rejection), and learns it back", async () => {
      await index.upsert([{ ...corpus.esim, learnedPhrasings: [] }]);
      expect(await top("digital sim handset")).not.toContain(corpus.esim.id);
      await index.upsert([corpus.esim]);
      expect((await top("digital sim handset"))[0]).toBe(corpus.esim.id);
    });
    it("never needs every word of a long pasted message", async () => {
      const pasted =
        "hi there im really annoyed, i sent the thing back two weeks ago and still no money back on my card?? how long does this take honestly";
      expect((await top(pasted))[0]).toBe(corpus.refund.id);
    });
    it("filters by topic, tag and audience", async () => {
      expect(await top("how", { topicIds: [TOPIC_B], q: "how do i" })).not.toContain(corpus.refund.id);
      expect(await top("refund", { audience: "internal" })).toEqual([corpus.invoice.id]);
      expect(await top("account", { tags: ["account"] })).toEqual([corpus.close.id]);
    });
    it("filters by state, for the public FAQ that shows no answer due for re-verification", async () => {
      const due = doc({ question: "Can I pay with coupons?", shortAnswer: "Yes, at checkout.", audience: "public", state: "reverification_due" });
      await index.upsert([due]);
      expect(await top("coupons")).toEqual([due.id]);
      expect(await top("coupons", { states: ["certified"] })).toEqual([]);
      expect(await top("coupons", { states: ["reverification_due"], audience: "public" })).toEqual([due.id]);
      await index.remove([due.id]);
    });
    it("highlights matches with escaped text", async () => {
      await index.upsert([doc({ id: corpus.invoice.id, question: "Where is my <b>invoice</b>?", shortAnswer: "x", body: "" })]);
      const [hit] = (await index.search({ q: "invoice", limit: 1 })).hits;
      expect(hit?.highlights.question).toContain("<mark>invoice</mark>");
      expect(hit?.highlights.question).toContain("&lt;b&gt;");
      await index.upsert([corpus.invoice]);
    });
    it("replaces on upsert and forgets on remove, idempotently", async () => {
      const extra = doc({ question: "Can I pay with cryptocurrency?", shortAnswer: "No." });
      await index.upsert([extra]);
      await index.upsert([extra]);
      expect(await top("cryptocurrency")).toEqual([extra.id]);
      await index.upsert([{ ...extra, question: "Can I pay with vouchers?" }]);
      expect(await top("cryptocurrency")).toEqual([]);
      await index.remove([extra.id, extra.id]);
      expect(await top("vouchers")).toEqual([]);
    });
    it("answers an empty or stopword-only query with nothing", async () => {
      expect(await top("")).toEqual([]);
      expect(await top("the and of")).toEqual([]);
    });
    it("is healthy", async () => expect((await index.health()).ok).toBe(true));
  });
}

contract("embedded PostgreSQL", () => createPostgresIndex(() => db()));
if (process.env.MEILI_URL) {
  contract("Meilisearch", () => createMeilisearchIndex({ host: process.env.MEILI_URL!, apiKey: process.env.MEILI_KEY, indexUid: `test_${Date.now()}` }));
} else {
  describe("the Meilisearch search engine", () => {
    it.skip("SKIPPED: MEILI_URL is not set, so the Meilisearch adapter was not checked against a server", () => {});
  });
}

describe("copies of the embedded index in several processes", () => {
  it.skipIf(testDriver !== "postgres")("sees what another process wrote within moments, and what it removed", async () => {
    // Another process: its own connection pool, so its own copy of the index.
    const other = await createDb({ url: database.current.url! });
    try {
      const here = createPostgresIndex(() => db());
      const there = createPostgresIndex(() => other.db);
      const extra = doc({ question: "Do you ship to Iceland?", shortAnswer: "Yes, within a week." });
      expect(await here.search({ q: "iceland" })).toMatchObject({ hits: [] });
      await there.upsert([extra]);
      const found = async () => (await here.search({ q: "iceland" })).hits.map((h) => h.document.id);
      // Within 1.5 s: faster than the 3 s safety poll, so it is the notification that brought it.
      await expect.poll(found, { timeout: 1500, interval: 20 }).toEqual([extra.id]);
      await there.remove([extra.id]);
      await expect.poll(found, { timeout: 1500, interval: 20 }).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("shares one copy between the index objects of one process: a write through one is read through the other at once", async () => {
    const a = createPostgresIndex(() => db());
    const b = createPostgresIndex(() => db());
    const extra = doc({ question: "Can I collect my order in a store?", shortAnswer: "Yes, in most stores." });
    await b.search({ q: "collect" });
    await a.upsert([extra]);
    expect((await b.search({ q: "collect store" })).hits.map((h) => h.document.id)).toEqual([extra.id]);
    await a.remove([extra.id]);
    expect((await b.search({ q: "collect store" })).hits).toEqual([]);
  });
});

describe("the outbox between the workflow and the index", () => {
  it("indexes certified answers, never drafts, and removes archived ones", async () => {
    const index = createPostgresIndex(() => db());
    await index.clear();
    const cast = await workflowCast(db());
    const { answerId, versionId } = await certifiedAnswer(db(), cast, { question: "Can I return opened headphones?" });
    const draft = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id], question: "Can I return opened headphones quickly?" }) });
    await drainAll(db(), index);
    const hits = (await index.search({ q: "return opened headphones" })).hits;
    const ids = hits.map((h) => h.document.id);
    expect(ids).toContain(answerId);
    // The document carries what agents see: who certified it, when, in which topics.
    expect(hits.find((h) => h.document.id === answerId)?.document).toMatchObject({
      versionId,
      state: "certified",
      topicIds: [cast.topic.id],
      topicNames: [cast.topic.name],
      certifiedByName: cast.km.displayName,
      certifiedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      reverifyAt: expect.stringMatching(/Z$/),
    });
    expect(ids).not.toContain(draft.answerId);
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "ARCHIVE", reason: "Policy changed" } });
    await drainAll(db(), index);
    expect((await index.search({ q: "headphones" })).hits).toHaveLength(0);
  });

  it("keeps certifying while the engine is down and catches up, without duplicates", async () => {
    const healthy = createPostgresIndex(() => db());
    let down = true;
    const flaky: SearchIndex = {
      ...healthy,
      upsert: (d) => (down ? Promise.reject(new Error("engine unreachable")) : healthy.upsert(d)),
      remove: (d) => (down ? Promise.reject(new Error("engine unreachable")) : healthy.remove(d)),
    };
    const cast = await workflowCast(db());
    const { answerId } = await certifiedAnswer(db(), cast, { question: "Do gift cards expire?" });
    const failed = await drainOutbox(db(), flaky);
    expect(failed.failed).toBeGreaterThan(0);
    const lag = await outboxLag(db());
    expect(lag.pending).toBeGreaterThan(0);
    expect(lag.failing).toBeGreaterThan(0);
    // Retried after the backoff, once the engine is back.
    down = false;
    await drainOutbox(db(), flaky, { now: new Date(Date.now() + 10 * 60_000) });
    await drainOutbox(db(), flaky, { now: new Date(Date.now() + 10 * 60_000) });
    expect((await flaky.search({ q: "gift cards expire" })).hits.map((h) => h.document.id)).toEqual([answerId]);
    const [docs] = await db().select({ n: count() }).from(searchDocuments).where(eq(searchDocuments.answerId, answerId));
    expect(docs?.n).toBe(1);
    const [pending] = await db().select({ n: count() }).from(searchOutbox).where(isNull(searchOutbox.processedAt));
    expect(pending?.n).toBe(0);
  });

  it("rebuilds the whole index from the database", async () => {
    const index = createPostgresIndex(() => db());
    await index.clear();
    const total = await reindex(db(), index);
    expect(total).toBeGreaterThan(0);
    const [docs] = await db().select({ n: count() }).from(searchDocuments);
    expect(docs?.n).toBe(total);
  });
});
