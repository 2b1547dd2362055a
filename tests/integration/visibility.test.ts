import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/auth/policy";
import type { SessionUser } from "../../app/auth/session.server";
import { createWikiPage, getWikiPage, saveWikiPage } from "../../app/models/wiki.server";
import { faqFeedback, wikiPages, type User } from "../../db/schema";
import { certifiedAnswer, doc, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUserPerRole, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const su = (u: User): SessionUser => ({ id: u.id, email: u.email, displayName: u.displayName, roles: u.roles as Role[] });

async function signedIn(user: User): Promise<TestClient> {
  const client = new TestClient();
  expect((await client.signIn(user.email, TEST_PASSWORD)).status).toBe(302);
  return client;
}

let people: Record<Role, User>;
beforeAll(async () => {
  people = await createUserPerRole(db());
});

describe("anonymous FAQ feedback comments on the internal answer page", () => {
  const COMMENT = "Your agent was rude to me, call me on 0171 555 0123";
  let answerId: string;
  let cast: Awaited<ReturnType<typeof workflowCast>>;
  beforeAll(async () => {
    cast = await workflowCast(db());
    ({ answerId } = await certifiedAnswer(db(), cast)); // owner: cast.author
    await db().insert(faqFeedback).values([
      { answerId, helpful: false, comment: COMMENT, ipHash: "a" },
      { answerId, helpful: true, ipHash: "b" },
    ]);
  });

  it.each([
    { who: "the answer's owner", user: () => cast.author, seesComments: true },
    { who: "a knowledge manager", user: () => people.knowledge_manager, seesComments: true },
    { who: "another employee", user: () => people.employee, seesComments: false },
    { who: "an expert", user: () => people.expert, seesComments: false },
    { who: "an agent", user: () => people.agent, seesComments: false },
    { who: "an admin", user: () => people.admin, seesComments: false },
  ])("$who sees the counts; the comments: $seesComments", async ({ user, seesComments }) => {
    const client = await signedIn(user());
    const page = await client.page(`/answers/${answerId}`);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain(">Feedback</h2>");
    expect(page.html).toMatch(/<strong>1<\/strong> found it helpful, <strong>1<\/strong> did not/);
    // Not in the markup, nor in the loader data the page carries for hydration.
    expect(page.html.includes("0171 555 0123")).toBe(seesComments);
  });
});

describe("wiki breadcrumbs under a hidden page", () => {
  let childId: string;
  beforeAll(async () => {
    const author = su(people.employee);
    const top = await createWikiPage(author, { title: "Handbook", body: doc("Top."), topicIds: [], tags: [], summary: "" });
    const secret = await createWikiPage(author, { title: "Secret merger plans", body: doc("Hidden."), parentId: top.id, topicIds: [], tags: [], summary: "" });
    childId = (await createWikiPage(author, { title: "Parking", body: doc("Child."), parentId: secret.id, topicIds: [], tags: [], summary: "" })).id;
    await db().update(wikiPages).set({ hiddenAt: new Date(), hiddenReason: "confidential" }).where(eq(wikiPages.id, secret.id));
  });

  it.each(["employee", "expert", "knowledge_manager", "agent"] as const)("%s: the trail skips the hidden page's title", async (role) => {
    const view = await getWikiPage(su(people[role]), childId);
    expect(view!.breadcrumbs.map((b) => b.title)).toEqual(["Handbook"]);
    const page = await (await signedIn(people[role])).page(`/wiki/${childId}`);
    expect(page.response.status).toBe(200);
    expect(page.html).toContain("Handbook");
    expect(page.html).not.toContain("Secret merger plans");
  });

  it("an edit by someone who cannot see the hidden parent keeps the page under it", async () => {
    // Their form lists no hidden parents, so it sends none.
    await saveWikiPage(su(people.expert), childId, { title: "Parking", body: doc("Child, edited."), topicIds: [], tags: [], summary: "", baseRevision: 1 });
    const [child] = await db().select({ parentId: wikiPages.parentId }).from(wikiPages).where(eq(wikiPages.id, childId));
    const [secret] = await db().select({ id: wikiPages.id }).from(wikiPages).where(eq(wikiPages.title, "Secret merger plans"));
    expect(child!.parentId).toBe(secret!.id);
  });

  it("a moderator (admin) still sees the whole trail", async () => {
    const view = await getWikiPage(su(people.admin), childId);
    expect(view!.breadcrumbs.map((b) => b.title)).toEqual(["Handbook", "Secret merger plans"]);
  });
});
