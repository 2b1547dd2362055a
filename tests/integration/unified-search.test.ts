import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/auth/policy";
import type { SessionUser } from "../../app/auth/session.server";
import { agentSearch } from "../../app/models/agent-search.server";
import { createBlogPost } from "../../app/models/blog.server";
import { addReply, createThread } from "../../app/models/forum.server";
import { drainSearchOutbox } from "../../app/models/search.server";
import { createWikiPage } from "../../app/models/wiki.server";
import { searchContent } from "../../app/site-search/content-search.server";
import { completeQuery } from "../../app/site-search/suggestions.server";
import { blogPosts, forumCategories, forumThreads, wikiPages, type User } from "../../db/schema";
import { certifiedAnswer, doc, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUserPerRole, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const su = (u: User): SessionUser => ({ id: u.id, email: u.email, displayName: u.displayName, roles: u.roles as Role[] });

async function signedIn(user: User): Promise<TestClient> {
  const client = new TestClient(`203.0.113.${Math.floor(Math.random() * 200) + 20}`);
  expect((await client.signIn(user.email, TEST_PASSWORD)).status).toBe(302);
  return client;
}

let people: Record<Role, User>;
let cast: Awaited<ReturnType<typeof workflowCast>>;
const ids: Record<string, string> = {};

beforeAll(async () => {
  people = await createUserPerRole(db());
  cast = await workflowCast(db());
  ({ answerId: ids.cancel! } = await certifiedAnswer(db(), cast, {
    question: "How do I cancel my subscription?",
    alternatives: ["stop my subscription plan"],
    shortAnswer: "Cancel the subscription under Account, then Plans; it runs to the end of the paid month.",
    body: doc("Open Account, then Plans, and choose Cancel subscription."),
  }));
  ({ answerId: ids.refund! } = await certifiedAnswer(db(), cast));
  await drainSearchOutbox();
  const author = su(cast.author);
  ({ id: ids.wiki! } = await createWikiPage(author, {
    title: "Subscription cancellation playbook",
    body: doc("When a customer wants to cancel a subscription, <script>alert(1)</script> check the contract & the notes first."),
    topicIds: [],
    tags: [],
    summary: "",
  }));
  ({ id: ids.hiddenWiki! } = await createWikiPage(author, { title: "Subscription layoffs memo", body: doc("Subscription team changes."), topicIds: [], tags: [], summary: "" }));
  await db().update(wikiPages).set({ hiddenAt: new Date(), hiddenReason: "private" }).where(eq(wikiPages.id, ids.hiddenWiki!));
  ({ id: ids.blog! } = await createBlogPost(author, { title: "What we learned from subscription churn", body: doc("Most subscription cancellations come in January."), topicIds: [], tags: [], status: "published" }));
  ({ id: ids.draft! } = await createBlogPost(author, { title: "Draft subscription pricing zebra", body: doc("Subscription prices go up."), topicIds: [], tags: [], status: "draft" }));
  const [category] = await db().insert(forumCategories).values({ slug: "unified-search", name: "Billing" }).returning();
  ({ id: ids.thread! } = await createThread(author, { categoryId: category!.id, title: "Annual plans and refunds", body: doc("A customer on an annual plan asks what happens.") }));
  await addReply(author, ids.thread!, "Cancel the subscription and refund the unused months pro rata.");
  ({ id: ids.hiddenThread! } = await createThread(author, { categoryId: category!.id, title: "Subscription rant", body: doc("Subscription is bad.") }));
  await db().update(forumThreads).set({ hiddenAt: new Date(), hiddenReason: "rude" }).where(eq(forumThreads.id, ids.hiddenThread!));
  expect((await db().select().from(blogPosts)).length).toBe(2);
});

describe("one search box across answers, wiki, blog and forum", () => {
  it("gives employees certified answers first, then wiki, blog and forum labelled not certified", async () => {
    const found = await searchContent(su(people.employee), "cancel subscription");
    expect(found.hits.map((h) => h.kind)).toEqual(["wiki", "blog", "forum"]);
    const client = await signedIn(people.employee);
    const { response, html } = await client.page("/search?q=cancel+subscription");
    expect(response.status).toBe(200);
    const answerAt = html.indexOf(`data-answer-id="${ids.cancel}"`);
    const contentAt = html.indexOf('class="content-results"');
    expect(answerAt).toBeGreaterThan(0);
    expect(contentAt).toBeGreaterThan(answerAt);
    expect(html).toContain("✓ Certified answer");
    for (const [kind, label, id] of [
      ["wiki", "Wiki page", ids.wiki],
      ["blog", "Blog post", ids.blog],
      ["forum", "Forum thread", ids.thread],
    ] as const) {
      expect(html).toContain(`href="/${kind}/${id}"`);
      expect(html).toContain(label);
    }
    expect(html.split("Not certified").length - 1).toBe(3);
    // Answer links carry the search session, so opening one counts for Insights' "opened, not used".
    expect(html).toMatch(new RegExp(`href="/answers/${ids.cancel}\\?s=[0-9a-f-]{36}"`));
  });

  it("never shows hidden pages, hidden threads or drafts, not even to a moderator or the author", async () => {
    for (const user of [su(people.employee), su(people.admin), su(cast.author)]) {
      const found = await searchContent(user, "subscription layoffs rant pricing zebra");
      const hitIds = found.hits.map((h) => h.id);
      expect(hitIds).not.toContain(ids.hiddenWiki);
      expect(hitIds).not.toContain(ids.hiddenThread);
      expect(hitIds).not.toContain(ids.draft);
    }
    const client = await signedIn(people.employee);
    const { html } = await client.page("/search?q=zebra+layoffs+rant");
    expect(html).not.toContain("pricing zebra");
    expect(html).not.toContain("layoffs memo");
    expect(html).not.toContain("Subscription rant");
  });

  it("searches wiki bodies, not only titles, and forum replies", async () => {
    const contract = await searchContent(su(people.employee), "contract notes");
    expect(contract.hits.map((h) => h.id)).toEqual([ids.wiki]);
    const proRata = await searchContent(su(people.employee), "pro rata unused months");
    expect(proRata.hits[0]).toMatchObject({ kind: "forum", id: ids.thread, href: `/forum/${ids.thread}` });
    expect(proRata.hits[0]!.snippetHtml).toContain("<mark>unused</mark> <mark>months</mark>");
  });

  it("tolerates typos the way the answer search does, and marks the corrected words", async () => {
    const found = await searchContent(su(people.employee), "cancellaton playbok");
    expect(found.hits[0]?.id).toBe(ids.wiki);
    expect(found.hits[0]!.titleHtml).toBe("Subscription <mark>cancellation</mark> <mark>playbook</mark>");
  });

  it("escapes the text around highlights: a page's text never becomes markup", async () => {
    const found = await searchContent(su(people.employee), "contract");
    const snippet = found.hits[0]!.snippetHtml;
    expect(snippet).toContain("alert(1)&lt;/script&gt;");
    expect(snippet).toContain("the <mark>contract</mark> &amp; the notes");
    expect(snippet.replace(/<\/?mark>/g, "")).not.toMatch(/[<>]/);
    const client = await signedIn(people.employee);
    const { html } = await client.page("/search?q=contract");
    expect(html).not.toContain("<script>alert(1)");
  });

  it("keeps agents on certified answers unless they switch, and keeps the switch in the URL", async () => {
    const client = await signedIn(cast.agent);
    const plain = await client.page("/search?q=cancel+subscription");
    expect(plain.html).toContain(`data-answer-id="${ids.cancel}"`);
    expect(plain.html).not.toContain('class="content-results"');
    expect(plain.html).toMatch(/<input type="radio" name="scope" checked="" value="certified"/);
    const all = await client.page("/search?q=cancel+subscription&scope=all");
    expect(all.html).toContain('class="content-results"');
    expect(all.html).toContain(`href="/wiki/${ids.wiki}"`);
    expect(all.html).toMatch(/<input type="radio" name="scope" checked="" value="all"/);
    // An employee can narrow to certified answers too.
    const employee = await signedIn(people.employee);
    expect((await employee.page("/search?q=cancel+subscription&scope=certified")).html).not.toContain('class="content-results"');
  });

  it("keeps the help-desk panel's search certified-only", async () => {
    const data = await agentSearch(new URL("http://localhost/panel/search?q=cancel+subscription&scope=all"), su(people.employee));
    expect(data.scope).toEqual({ available: false, value: "certified" });
    expect(data.content).toBeNull();
    expect(data.result?.hits.map((h) => h.document.id)).toContain(ids.cancel);
  });
});

describe("completion of the whole query", () => {
  it("completes from certified questions and their alternatives", async () => {
    const client = await signedIn(cast.agent);
    const response = await client.request("/search/complete?q=how+do+i+can");
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ q: "how do i can", items: [{ text: "How do I cancel my subscription?", source: "certified" }] });
    expect(await completeQuery("stop my sub")).toEqual([{ text: "stop my subscription plan", source: "certified" }]);
    expect(await completeQuery("refund")).toEqual([{ text: "refund please", source: "certified" }, { text: "How do I get a refund?", source: "certified" }]);
  });

  it("refuses bad input with 400 and strangers with a sign-in", async () => {
    const client = await signedIn(people.employee);
    for (const bad of ["/search/complete", `/search/complete?q=${"x".repeat(201)}`, "/search/complete?q=ok&limit=99", "/search/complete?q=ok&limit=two"]) {
      const response = await client.request(bad);
      expect(response.status, bad).toBe(400);
      expect(await response.json()).toHaveProperty("error");
    }
    const stranger = await new TestClient().request("/search/complete?q=how");
    expect([302, 401, 403]).toContain(stranger.status);
  });

  it("sees a newly certified question", async () => {
    await certifiedAnswer(db(), cast, { question: "Where is my parcel tracking number?", alternatives: [] });
    await new Promise((r) => setTimeout(r, 1100));
    expect((await completeQuery("where is my par")).map((c) => c.text)).toEqual(["Where is my parcel tracking number?"]);
  });
});

describe("did you mean", () => {
  it("offers a corrected query from the index vocabulary when a search found little", async () => {
    const data = await agentSearch(new URL("http://localhost/search?q=subscriptoin+refnud"), su(cast.agent), { allowContent: true });
    expect(data.didYouMean).toBe("subscription refund");
    const client = await signedIn(cast.agent);
    // Certified answers alone: no answer has the word, so nothing to offer.
    expect((await client.page("/search?q=playbok")).html).not.toContain("Did you mean");
    // With the wiki in scope, the wiki's words count.
    expect((await client.page("/search?q=playbok&scope=all")).html).toMatch(/Did you mean(<!-- -->)? <a [^>]*href="\/search\?q=playbook&amp;scope=all"[^>]*>playbook<\/a>/);
  });

  it("stays quiet when the words are known and the search found plenty", async () => {
    const data = await agentSearch(new URL("http://localhost/search?q=cancel+subscription"), su(people.employee), { allowContent: true });
    expect(data.didYouMean).toBeNull();
  });
});
