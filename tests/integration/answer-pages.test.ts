import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { answers, answerVersions } from "../../db/schema";
import { createDraft } from "../../workflows/approval.service";
import { actor, doc, draftInput, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;

describe("the answer pages over HTTP", () => {
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  const clients = {} as Record<"author" | "expert" | "km" | "agent", TestClient>;
  beforeAll(async () => {
    cast = await workflowCast(db());
    for (const [key, user] of [["author", cast.author], ["expert", cast.expert], ["km", cast.km], ["agent", cast.agent]] as const) {
      clients[key] = new TestClient();
      await clients[key].signIn(user.email, TEST_PASSWORD);
      await clients[key].page("/");
    }
  });

  const form = (overrides: Record<string, string | string[]> = {}) => ({
    question: "Can I change my delivery address?",
    alternatives: "new address\nwrong address",
    shortAnswer: "Yes, until the parcel is dispatched.",
    body: JSON.stringify(doc("Open Orders and choose Change address.")),
    topicIds: cast.topic.id,
    tags: "delivery",
    audience: "public",
    ...overrides,
  });

  it("refuses the editor to a role that cannot write", async () => {
    expect((await clients.agent.request("/answers/new")).status).toBe(403);
    expect((await clients.agent.post("/answers/new", form())).status).toBe(403);
  });

  it("creates a draft from the form and opens the editor", async () => {
    const res = await clients.author.post("/answers/new", form());
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/answers\/[0-9a-f-]{36}\/edit\?created=1$/);
  });

  it("answers bad input with field errors and shows the author's text again, writing nothing", async () => {
    const [before] = await db().select({ n: count() }).from(answers);
    const res = await clients.author.post("/answers/new", form({ question: "", shortAnswer: "x".repeat(281) + " keep me", topicIds: "not-a-uuid" }));
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain("Write the customer&#x27;s question");
    expect(html).toContain("at most 280 characters");
    expect(html).toContain("keep me");
    const hostile = await clients.author.post("/answers/new", form({ body: JSON.stringify({ type: "doc", content: [{ type: "iframe" }] }) }));
    expect(hostile.status).toBe(400);
    expect(await hostile.text()).toContain("“iframe”, which the editor does not allow");
    const [after] = await db().select({ n: count() }).from(answers);
    expect(after?.n).toBe(before?.n);
  });

  it("refuses a stale save with 409 and keeps what the author typed", async () => {
    const { answerId, versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    await clients.author.page(`/answers/${answerId}/edit`);
    const first = await clients.author.post(`/answers/${answerId}/edit`, { ...form({ shortAnswer: "first tab" }), lockVersion: "1", intent: "autosave" });
    expect(first.status).toBe(200);
    const second = await clients.author.post(`/answers/${answerId}/edit`, { ...form({ shortAnswer: "second tab, not lost" }), lockVersion: "1" });
    expect(second.status).toBe(409);
    const html = await second.text();
    expect(html).toContain("changed since you opened it");
    expect(html).toContain("second tab, not lost");
    const [v] = await db().select().from(answerVersions).where(eq(answerVersions.id, versionId));
    expect(v?.shortAnswer).toBe("first tab");
  });

  it("lets only the author open the draft editor, and hides drafts from agents", async () => {
    const { answerId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    expect((await clients.expert.request(`/answers/${answerId}/edit`)).status).toBe(404);
    expect((await clients.agent.request(`/answers/${answerId}`)).status).toBe(404);
    expect((await clients.author.request(`/answers/${answerId}`)).status).toBe(200);
  });

  it("drives the workflow through the page actions, refusing what the role may not do", async () => {
    const { answerId, versionId } = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    const post = (c: TestClient, intent: string, extra: Record<string, string> = {}) =>
      c.post(`/answers/${answerId}`, { intent, versionId, revision: "1", ...extra });
    expect((await post(clients.expert, "SUBMIT")).status).toBe(403);
    expect((await post(clients.author, "SUBMIT")).status).toBe(200);
    expect((await post(clients.author, "APPROVE")).status).toBe(403);
    expect((await post(clients.agent, "APPROVE")).status).toBe(403);
    const noComment = await post(clients.expert, "REQUEST_CHANGES", { comment: "" });
    expect(noComment.status).toBe(400);
    expect(await noComment.text()).toContain("a comment is required");
    expect((await post(clients.expert, "APPROVE")).status).toBe(200);
    expect((await post(clients.km, "CERTIFY", { ownerId: "nobody", reverifyIntervalDays: "30" })).status).toBe(400);
    expect((await post(clients.km, "CERTIFY", { ownerId: cast.author.id, reverifyIntervalDays: "30" })).status).toBe(200);
    const page = await clients.agent.page(`/answers/${answerId}`);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("Certified by");
    expect((await post(clients.author, "WITHDRAW")).status).toBe(409);
  });

  it("does not accept a version of another answer on this answer's address", async () => {
    const a = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    const b = await createDraft(db(), { actor: actor(cast.author), draft: draftInput({ topicIds: [cast.topic.id] }) });
    const res = await clients.author.post(`/answers/${a.answerId}`, { intent: "SUBMIT", versionId: b.versionId, revision: "1" });
    expect(res.status).toBe(404);
  });
});
