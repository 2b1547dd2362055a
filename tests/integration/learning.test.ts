import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { agePhrasings, normalizePhrasing } from "../../app/learning/learn.server";
import { decidePhrasing, listPhrasings } from "../../app/learning/review.server";
import { synonymSuggestions } from "../../app/learning/synonyms.server";
import { createApiToken, recordUse, undoUse } from "../../app/models/agent.server";
import type { SessionUser } from "../../app/auth/session.server";
import { answers, answerVersions, auditLog, learnedPhrasings, phrasingEvidence, searchSynonyms, type User } from "../../db/schema";
import { loadDocuments } from "../../search/documents";
import type { SearchIndex } from "../../search/index";
import { createMeilisearchIndex } from "../../search/meilisearch";
import { drainAll } from "../../search/outbox";
import { createPostgresIndex } from "../../search/postgres";
import { actor, certifiedAnswer, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createExpert, createTopic, createUser, TEST_PASSWORD } from "../support/factories";
import { sendEvent } from "../../workflows/approval.service";

const database = useFreshDatabase();
const db = () => database.current.db;

let cast: Awaited<ReturnType<typeof workflowCast>>;
let agents: User[];
let esim: string;
let router: string;
let other: string;
const as = (u: User): SessionUser => ({ id: u.id, email: u.email, displayName: u.displayName, roles: u.roles as SessionUser["roles"] });
const engines: [string, () => SearchIndex][] = [["embedded PostgreSQL", () => createPostgresIndex(() => db())]];
if (process.env.MEILI_URL) {
  const meili = createMeilisearchIndex({ host: process.env.MEILI_URL, apiKey: process.env.MEILI_KEY, indexUid: `learning_${Date.now()}` });
  engines.push(["Meilisearch", () => meili]);
}

/** Brings every engine up to the database and says where `answerId` ranks for `q` on each (-1: not found). */
async function ranks(q: string, answerId: string): Promise<number[]> {
  const out: number[] = [];
  for (const [, make] of engines) {
    const index = make();
    await drainAll(db(), index);
    out.push((await index.search({ q, limit: 10 })).hits.findIndex((h) => h.document.id === answerId));
  }
  return out;
}

const phrasingRow = async (answerId: string, phrasing: string) =>
  (await db().select().from(learnedPhrasings).where(and(eq(learnedPhrasings.answerId, answerId), eq(learnedPhrasings.phrasing, phrasing))))[0];

beforeAll(async () => {
  cast = await workflowCast(db());
  agents = await Promise.all([1, 2, 3, 4].map(() => createUser(db(), { roles: ["agent"] })));
  esim = (await certifiedAnswer(db(), cast, { question: "How do I activate an eSIM?", shortAnswer: "Scan the QR code from the app." })).answerId;
  router = (await certifiedAnswer(db(), cast, { question: "How do I factory reset the router?", shortAnswer: "Hold the reset button." })).answerId;
  other = (await certifiedAnswer(db(), cast, { question: "How do I cancel my contract?", alternatives: ["cancel my subscription"], shortAnswer: "Call us." })).answerId;
  for (const [, make] of engines) {
    await make().clear();
  }
  await ranks("warm up", esim);
});

describe("learned phrasings", () => {
  it("normalises the query and refuses what is no phrasing", () => {
    expect(normalizePhrasing("  Digital SIM, new  handset?! ")).toBe("digital sim new handset");
    expect(normalizePhrasing("x")).toBeNull();
    expect(normalizePhrasing(Array.from({ length: 30 }, (_, i) => `word${i}`).join(" "))).toBeNull();
  });

  it("is not taught by one agent repeating a use (even in two conversations); two agents teach it, and the next agent finds the answer by that wording", async () => {
    const q = "digital sim on my new handset";
    expect(await ranks(q, esim)).toEqual(engines.map(() => -1));
    await recordUse({ answerId: esim, kind: "used", userId: agents[0]!.id, conversation: "T-1", searchQuery: q });
    await recordUse({ answerId: esim, kind: "used", userId: agents[0]!.id, conversation: "T-2", searchQuery: q });
    await recordUse({ answerId: esim, kind: "copy_short", userId: agents[0]!.id, searchQuery: "Digital SIM on my NEW handset!" });
    let row = await phrasingRow(esim, q);
    expect(row).toMatchObject({ agents: 1, conversations: 2, active: false, status: "learned" });
    expect(await ranks(q, esim)).toEqual(engines.map(() => -1));

    await recordUse({ answerId: esim, kind: "used", userId: agents[1]!.id, conversation: "T-3", searchQuery: q });
    row = await phrasingRow(esim, q);
    expect(row).toMatchObject({ agents: 2, conversations: 3, active: true });
    const [doc] = await loadDocuments(db(), [esim]);
    expect(doc!.learnedPhrasings).toEqual([q]);
    expect(await ranks("digital sim handset", esim)).toEqual(engines.map(() => 0));
  });

  it("counts a help-desk tool's token once per conversation", async () => {
    const q = "router lights all red";
    const { id: apiTokenId } = await createApiToken({ name: "Help desk", scopes: ["uses:write"], createdBy: cast.km.id });
    // The tool does not say who is typing: one conversation is one teacher, however often.
    await recordUse({ answerId: router, kind: "used", apiTokenId, conversation: "C-1", searchQuery: q });
    await recordUse({ answerId: router, kind: "copy_full", apiTokenId, conversation: "C-1", searchQuery: q });
    expect(await phrasingRow(router, q)).toMatchObject({ agents: 1, active: false });
    await recordUse({ answerId: router, kind: "used", apiTokenId, conversation: "C-2", searchQuery: q });
    expect(await phrasingRow(router, q)).toMatchObject({ agents: 2, conversations: 2, active: true });
  });

  it("stops counting an undone use, and the index follows", async () => {
    const q = "digital sim on my new handset";
    const [use] = await db()
      .select({ id: phrasingEvidence.useId })
      .from(phrasingEvidence)
      .where(eq(phrasingEvidence.teacher, `user:${agents[1]!.id}`));
    await undoUse({ useId: use!.id, userId: agents[1]!.id });
    expect(await phrasingRow(esim, q)).toMatchObject({ agents: 1, active: false });
    expect(await ranks("digital sim handset", esim)).toEqual(engines.map(() => -1));
    // Taught again by another agent: back in.
    await recordUse({ answerId: esim, kind: "used", userId: agents[2]!.id, conversation: "T-9", searchQuery: q });
    expect(await ranks("digital sim handset", esim)).toEqual(engines.map(() => 0));
  });

  it("a rejected phrasing leaves the index and is never learned again", async () => {
    const q = "router blinking orange";
    for (const a of agents.slice(0, 2)) await recordUse({ answerId: router, kind: "used", userId: a.id, conversation: `R-${a.id}`, searchQuery: q });
    expect(await ranks("blinking orange", router)).toEqual(engines.map(() => 0));
    const row = await phrasingRow(router, q);
    await expect(decidePhrasing(as(cast.agent), { intent: "reject", phrasingId: row!.id })).rejects.toMatchObject({ code: "forbidden" });
    await decidePhrasing(as(cast.km), { intent: "reject", phrasingId: row!.id });
    expect(await ranks("blinking orange", router)).toEqual(engines.map(() => -1));
    for (const a of agents) await recordUse({ answerId: router, kind: "used", userId: a.id, conversation: `R2-${a.id}`, searchQuery: q });
    expect(await phrasingRow(router, q)).toMatchObject({ status: "rejected", active: false, agents: 2 });
    expect(await ranks("blinking orange", router)).toEqual(engines.map(() => -1));
    const [audit] = await db().select().from(auditLog).where(eq(auditLog.action, "phrasing.reject"));
    expect(audit).toMatchObject({ actorId: cast.km.id, subjectId: router });
  });

  it("ages out phrasings nobody used for LEARNING_MAX_AGE_DAYS (default 180), and reindexes the answer", async () => {
    const q = "wipe the box clean";
    const long = new Date(Date.now() - 200 * 86_400_000);
    for (const a of agents.slice(0, 2)) await recordUse({ answerId: router, kind: "used", userId: a.id, conversation: `A-${a.id}`, searchQuery: q, at: long });
    expect(await ranks("wipe box clean", router)).toEqual(engines.map(() => 0));
    const result = await db().transaction((tx) => agePhrasings(tx, new Date()));
    expect(result.aged).toBeGreaterThanOrEqual(1);
    expect(await phrasingRow(router, q)).toBeUndefined();
    expect(await phrasingRow(esim, "digital sim on my new handset")).toBeDefined(); // recent: stays
    expect(await ranks("wipe box clean", router)).toEqual(engines.map(() => -1));
  });

  it("promoting makes a new draft version with the phrasing as an alternative; the certified version is untouched until the edit is certified", async () => {
    const row = await phrasingRow(esim, "digital sim on my new handset");
    const done = await decidePhrasing(as(cast.km), { intent: "promote", phrasingId: row!.id });
    expect(done.versionId).toBeDefined();
    const [a] = await db().select().from(answers).where(eq(answers.id, esim));
    expect(a!.openVersionId).toBe(done.versionId);
    const [live] = await db().select().from(answerVersions).where(eq(answerVersions.id, a!.liveVersionId!));
    const [draft] = await db().select().from(answerVersions).where(eq(answerVersions.id, done.versionId!));
    expect(live!.alternatives).not.toContain("digital sim on my new handset");
    expect(draft).toMatchObject({ state: "draft", authorId: cast.km.id, basedOnVersionId: live!.id });
    expect(draft!.alternatives).toContain("digital sim on my new handset");
    expect(await phrasingRow(esim, "digital sim on my new handset")).toMatchObject({ status: "promoted", active: true });
    // Still found while the edit is in review.
    expect(await ranks("digital sim handset", esim)).toEqual(engines.map(() => 0));
    // Through the workflow: submit, approve, certify (by another knowledge manager than the author of the edit).
    const km2 = await createUser(db(), { roles: ["knowledge_manager"] });
    await sendEvent(db(), { actor: actor(cast.km), versionId: draft!.id, revision: draft!.revision, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId: draft!.id, revision: draft!.revision, event: { type: "APPROVE" } });
    await sendEvent(db(), { actor: actor(km2), versionId: draft!.id, revision: draft!.revision, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 } });
    const [doc] = await loadDocuments(db(), [esim]);
    expect(doc!.alternatives).toContain("digital sim on my new handset");
    expect(doc!.learnedPhrasings).toEqual([]); // now the author's phrasing, weight A
    expect(await ranks("digital sim handset", esim)).toEqual(engines.map(() => 0));
    await expect(decidePhrasing(as(cast.km), { intent: "reject", phrasingId: row!.id })).rejects.toMatchObject({ code: "conflict" });
  });

  it("limits experts to the answers of their topics", async () => {
    const elsewhere = await createTopic(db());
    const outsider = await createExpert(db(), [elsewhere]);
    const q = "reset router to factory";
    for (const a of agents.slice(0, 2)) await recordUse({ answerId: router, kind: "used", userId: a.id, conversation: `E-${a.id}`, searchQuery: q });
    const row = await phrasingRow(router, q);
    expect((await listPhrasings(as(outsider))).map((p) => p.id)).not.toContain(row!.id);
    expect((await listPhrasings(as(cast.expert))).map((p) => p.id)).toContain(row!.id);
    await expect(decidePhrasing(as(outsider), { intent: "reject", phrasingId: row!.id })).rejects.toMatchObject({ code: "forbidden" });
  });

  it("suggests synonyms from the same evidence and adds them through the synonyms model", async () => {
    for (const q of ["terminate my contract", "terminate subscription"]) {
      for (const a of agents.slice(0, 2)) await recordUse({ answerId: other, kind: "used", userId: a.id, conversation: `S-${q}-${a.id}`, searchQuery: q });
    }
    const suggestions = await synonymSuggestions();
    expect(suggestions[0]).toMatchObject({ searched: "terminate", answered: "cancel", phrasings: 2 });
    const admin = new TestClient();
    await admin.signIn(cast.km.email, TEST_PASSWORD);
    const page = await admin.page("/admin/synonyms");
    expect(page.html).toContain("Agents who searched <strong>terminate</strong> used answers about <strong>cancel</strong>");
    const added = await admin.post("/admin/synonyms", { intent: "add-suggestion", searched: "terminate", answered: "cancel" });
    expect(added.status).toBe(200);
    const groups = await db().select({ terms: searchSynonyms.terms }).from(searchSynonyms);
    expect(groups.map((g) => g.terms)).toContainEqual(["cancel", "terminate"]);
    expect((await synonymSuggestions()).find((s) => s.searched === "terminate" && s.answered === "cancel")).toBeUndefined();
    const bad = await admin.post("/admin/synonyms", { intent: "add-suggestion", searched: "", answered: "cancel" });
    expect(bad.status).toBe(400);
  });
});

describe("the review pages", () => {
  let phrasingId: string;
  beforeAll(async () => {
    const q = "esim qr code missing";
    for (const a of agents.slice(0, 2)) await recordUse({ answerId: router, kind: "used", userId: a.id, conversation: `P-${a.id}`, searchQuery: q });
    phrasingId = (await phrasingRow(router, q))!.id;
  });

  it("refuses agents (403), on the list and on decisions", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    expect((await agent.page("/phrasings")).response.status).toBe(403);
    expect((await agent.post("/phrasings", { intent: "reject", phrasingId })).status).toBe(403);
    expect((await phrasingRow(router, "esim qr code missing"))!.status).toBe("learned");
    const answer = await agent.page(`/answers/${router}`);
    expect(answer.html).not.toContain("Learned phrasings");
  });

  it("shows knowledge managers the list and the answer page's card, refuses bad input with 400 and a missing CSRF token with 403", async () => {
    const km = new TestClient();
    await km.signIn(cast.km.email, TEST_PASSWORD);
    const list = await km.page("/phrasings");
    expect(list.response.status).toBe(200);
    expect(list.html).toContain("esim qr code missing");
    expect((await km.page("/phrasings?status=bogus")).response.status).toBe(400);
    const answer = await km.page(`/answers/${router}`);
    expect(answer.html).toContain("Learned phrasings");
    expect(answer.html).toContain("esim qr code missing");
    expect((await km.post("/phrasings", { intent: "delete", phrasingId })).status).toBe(400);
    expect((await km.post("/phrasings", { intent: "reject", phrasingId: "not-a-uuid" })).status).toBe(400);
    expect((await km.post("/phrasings", { intent: "reject", phrasingId: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    const noCsrf = await km.request("/phrasings", { form: { intent: "reject", phrasingId } });
    expect(noCsrf.status).toBe(403);
    expect((await phrasingRow(router, "esim qr code missing"))!.status).toBe("learned");
  });

  it("lets a knowledge manager reject from the answer page and promote from the list (to the new draft)", async () => {
    const km = new TestClient();
    await km.signIn(cast.km.email, TEST_PASSWORD);
    await km.page(`/answers/${router}`);
    const rejected = await km.post("/phrasings", { intent: "reject", phrasingId, back: `/answers/${router}` });
    expect(rejected.status).toBe(302);
    expect(rejected.headers.get("location")).toBe(`/answers/${router}`);
    expect((await phrasingRow(router, "esim qr code missing"))!.status).toBe("rejected");
    const q = "router wont turn on";
    for (const a of agents.slice(0, 2)) await recordUse({ answerId: router, kind: "used", userId: a.id, conversation: `Q-${a.id}`, searchQuery: q });
    const id = (await phrasingRow(router, q))!.id;
    const promoted = await km.post("/phrasings", { intent: "promote", phrasingId: id });
    expect(promoted.status).toBe(302);
    expect(promoted.headers.get("location")).toBe(`/answers/${router}/edit`);
    const [audit] = await db().select().from(auditLog).where(and(eq(auditLog.action, "phrasing.promote"), eq(auditLog.subjectId, router)));
    expect(audit!.actorId).toBe(cast.km.id);
  });
});
