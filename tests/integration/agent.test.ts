import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { answerRequestAskers, answerRequests, answerUses, failedSearches, notifications } from "../../db/schema";
import { createApiToken, revokeApiToken } from "../../app/models/agent.server";
import { createPostgresIndex } from "../../search/postgres";
import { drainAll } from "../../search/outbox";
import { createDraft, sendEvent } from "../../workflows/approval.service";
import { actor, certifiedAnswer, draftInput, workflowCast } from "../support/answers";
import { callApi } from "../support/api";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const index = () => createPostgresIndex(() => db());

let cast: Awaited<ReturnType<typeof workflowCast>>;
let certified: { answerId: string; versionId: string };
let draftId: string;
let archivedId: string;

beforeAll(async () => {
  cast = await workflowCast(db());
  certified = await certifiedAnswer(db(), cast, { question: "How do I update my billing address?", shortAnswer: "Account, Billing, Address." });
  draftId = (await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id], question: "How do I update my billing address quickly?" }) })).answerId;
  const archived = await certifiedAnswer(db(), cast, { question: "How do I update my billing address by fax?" });
  await sendEvent(db(), { actor: actor(cast.km), versionId: archived.versionId, revision: 1, event: { type: "ARCHIVE", reason: "No more fax" } });
  archivedId = archived.answerId;
  await drainAll(db(), index());
});

async function api(path: string, token?: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  return callApi(path, { method: init.method ?? "GET", headers: Object.fromEntries(headers) });
}

async function apiPost(path: string, token: string, body: unknown) {
  return callApi(path, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("the search API", () => {
  it("refuses calls without a valid token, with JSON errors", async () => {
    const none = await api("/api/v1/search?q=billing");
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ error: { code: "missing_token", message: expect.any(String) } });
    expect(((await (await api("/api/v1/search?q=billing", "vt_not-a-real-token")).json()) as { error: { code: string } }).error.code).toBe("invalid_token");
    const admin = await createUser(db(), { roles: ["admin"] });
    const revoked = await createApiToken({ name: "old", scopes: ["search:read"], createdBy: admin.id }, db());
    // Used once (so the process has it cached), then revoked: the next call is refused at once.
    expect((await api("/api/v1/search?q=billing", revoked.token)).status).toBe(200);
    await revokeApiToken(revoked.id, db());
    const r = await api("/api/v1/search?q=billing", revoked.token);
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { code: string } }).error.code).toBe("revoked_token");
    const usesOnly = await createApiToken({ name: "uses", scopes: ["uses:write"], createdBy: admin.id }, db());
    const scoped = await api("/api/v1/search?q=billing", usesOnly.token);
    expect(scoped.status).toBe(403);
    expect(((await scoped.json()) as { error: { code: string } }).error.code).toBe("insufficient_scope");
  });

  it("returns certified answers only, never drafts or archived ones", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const { token } = await createApiToken({ name: "desk", scopes: ["search:read"], createdBy: admin.id }, db());
    const res = await api("/api/v1/search?q=update%20billing%20address&limit=5", token);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: { id: string; question: string; shortAnswer: string; answer: string; url: string }[] };
    const ids = body.results.map((r) => r.id);
    expect(ids[0]).toBe(certified.answerId);
    expect(ids).not.toContain(draftId);
    expect(ids).not.toContain(archivedId);
    expect(body.results[0]).toMatchObject({ shortAnswer: "Account, Billing, Address.", url: expect.stringMatching(/\/answers\//) });
  });

  it("answers bad parameters with 400 and the field", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const { token } = await createApiToken({ name: "desk", scopes: ["search:read"], createdBy: admin.id }, db());
    const res = await api("/api/v1/search?limit=500", token);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: Record<string, string[]> } };
    expect(body.error.code).toBe("invalid_request");
    expect(Object.keys(body.error.fields).sort()).toEqual(["limit", "q"]);
  });

  it("rate limits each token", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const { token } = await createApiToken({ name: "busy", scopes: ["search:read"], createdBy: admin.id }, db());
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) statuses.push((await api("/api/v1/search?q=x", token)).status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(20);
    const limited = await api("/api/v1/search?q=x", token);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("Retry-After"))).toBeGreaterThan(0);
  });

  it("records uses from outside, and only of certified answers", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const { token } = await createApiToken({ name: "desk", scopes: ["uses:write"], createdBy: admin.id }, db());
    const ok = await apiPost(`/api/v1/answers/${certified.answerId}/uses`, token, { channel: "email" });
    expect(ok.status).toBe(201);
    const [uses] = await db().select({ n: count() }).from(answerUses).where(and(eq(answerUses.answerId, certified.answerId), eq(answerUses.channel, "email")));
    expect(uses?.n).toBe(1);
    expect((await apiPost(`/api/v1/answers/${draftId}/uses`, token, { channel: "email" })).status).toBe(404);
    const bad = await apiPost(`/api/v1/answers/${certified.answerId}/uses`, token, { channel: "fax" });
    expect(bad.status).toBe(400);
  });

  it("publishes an OpenAPI 3.1 document", async () => {
    const res = await api("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(["/api/v1/search", "/api/v1/answers/{id}", "/api/v1/feedback/stats", "/api/v1/answers/{id}/uses"]);
    expect((await api("/api/v1/nope")).status).toBe(404);
  });
});

describe("the agent's search page and the closed loop", () => {
  it("finds answers, records copies and uses, and refuses 'used' to a role without it", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    const page = await agent.page("/search?q=billing%20adress");
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("How do I update my <mark>billing</mark> <mark>address</mark>?");
    expect((await agent.post("/search/use", { answerId: certified.answerId, kind: "copy_short" })).status).toBe(200);
    expect((await agent.post("/search/use", { answerId: certified.answerId, kind: "used", channel: "social" })).status).toBe(200);
    expect((await agent.post("/search/use", { answerId: certified.answerId, kind: "used", channel: "pigeon" })).status).toBe(400);
    const employee = new TestClient();
    await employee.signIn(cast.author.email, TEST_PASSWORD);
    await employee.page("/");
    expect((await employee.post("/search/use", { answerId: certified.answerId, kind: "used", channel: "chat" })).status).toBe(403);
  });

  it("logs a failed search, takes the request, and tells the asker when the answer is certified", async () => {
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    const page = await agent.page("/search?q=can%20i%20pay%20with%20dogecoin");
    expect(page.html).toContain("No certified answer matches.");
    const [logged] = await db().select().from(failedSearches).where(eq(failedSearches.query, "can i pay with dogecoin"));
    expect(logged?.userId).toBe(cast.agent.id);
    const created = await agent.post("/requests", { question: "Can I pay with dogecoin?", topicId: cast.topic.id, failedSearchId: logged!.id });
    expect(created.status).toBe(302);
    const [request] = await db().select().from(answerRequests).where(eq(answerRequests.question, "Can I pay with dogecoin?"));
    expect(request?.status).toBe("open");
    const [expertNote] = await db().select().from(notifications).where(and(eq(notifications.userId, cast.expert.id), eq(notifications.kind, "answer_requested")));
    expect(expertNote).toBeDefined();

    // Another agent needs it too.
    const other = await createUser(db(), { roles: ["agent"] });
    const second = new TestClient();
    await second.signIn(other.email, TEST_PASSWORD);
    await second.page("/requests");
    expect((await second.post("/requests", { question: "can i pay with DOGECOIN?" })).status).toBe(302);
    expect(await db().select().from(answerRequestAskers).where(eq(answerRequestAskers.requestId, request!.id))).toHaveLength(2);

    // A writer drafts it from the request; review and certification follow.
    const writer = new TestClient();
    await writer.signIn(cast.author.email, TEST_PASSWORD);
    await writer.page(`/answers/new?question=x&request=${request!.id}`);
    const draft = await writer.post("/answers/new", {
      request: request!.id,
      question: "Can I pay with dogecoin?",
      shortAnswer: "No: we take cards, bank transfer and PayPal.",
      body: JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "We do not accept cryptocurrencies." }] }] }),
      topicIds: cast.topic.id,
      audience: "internal",
    });
    expect(draft.status).toBe(302);
    const [drafting] = await db().select().from(answerRequests).where(eq(answerRequests.id, request!.id));
    expect(drafting?.status).toBe("drafting");
    const answerId = drafting!.answerId!;
    const page2 = await writer.page(`/answers/${answerId}`);
    const versionId = /name="versionId" value="([^"]+)"/.exec(page2.html)![1]!;
    await sendEvent(db(), { actor: actor(cast.author), versionId, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId, revision: 1, event: { type: "APPROVE" } });
    await sendEvent(db(), { actor: actor(cast.km), versionId, revision: 1, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 } });
    const told = await db().select().from(notifications).where(eq(notifications.kind, "request_answered"));
    expect(told.map((n) => n.userId).sort()).toEqual([cast.agent.id, other.id].sort());
    expect(told[0]?.link).toBe(`/answers/${answerId}`);
    const [answered] = await db().select().from(answerRequests).where(eq(answerRequests.id, request!.id));
    expect(answered?.status).toBe("answered");
  });

  it("lets an admin or knowledge manager set synonyms that search then uses", async () => {
    const km = new TestClient();
    await km.signIn(cast.km.email, TEST_PASSWORD);
    await km.page("/admin/synonyms");
    const bad = await km.post("/admin/synonyms", { groups: "lonely" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("needs at least two words");
    expect((await km.post("/admin/synonyms", { groups: "domicile, address\ncancel, terminate" })).status).toBe(200);
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    const page = await agent.page("/search?q=billing%20domicile");
    expect(page.html).toContain("How do I update my <mark>billing</mark> <mark>address</mark>?");
    const employee = new TestClient();
    await employee.signIn(cast.author.email, TEST_PASSWORD);
    expect((await employee.request("/admin/synonyms")).status).toBe(403);
  });

  it("shows a new API token once and lists it by prefix", async () => {
    const admin = await createUser(db(), { roles: ["admin"] });
    const client = new TestClient();
    await client.signIn(admin.email, TEST_PASSWORD);
    await client.page("/admin/tokens");
    const created = await client.post("/admin/tokens", { intent: "create", name: "Zendesk", scopes: ["search:read", "uses:write"] });
    expect(created.status).toBe(201);
    const token = /(vt_[\w-]{20,})/.exec(await created.text())![1]!;
    const list = await client.page("/admin/tokens");
    expect(list.html).not.toContain(token);
    expect(list.html).toContain(token.slice(0, 7));
    expect((await api("/api/v1/search?q=billing", token)).status).toBe(200);
    expect((await client.post("/admin/tokens", { intent: "create", name: "", scopes: [] })).status).toBe(400);
  });
});
