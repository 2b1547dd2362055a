import { and, count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../app/auth/policy";
import type { SessionUser } from "../../app/auth/session.server";
import { createBlogPost, getBlogPost } from "../../app/models/blog.server";
import { addComment } from "../../app/models/comments.server";
import { acceptReply, addReply, createThread, getThread } from "../../app/models/forum.server";
import { promotionsOf } from "../../app/models/content.server";
import { createWikiPage, diffWikiRevisions, getWikiPage, listWikiRevisions, restoreWikiRevision, saveWikiPage } from "../../app/models/wiki.server";
import { DomainError } from "../../app/utils/errors";
import { answers, auditLog, blogPosts, comments, forumCategories, forumReplies, forumThreads, mentions, notifications, wikiPages, wikiRevisions, type User } from "../../db/schema";
import { sendEvent } from "../../workflows/approval.service";
import { actor, doc, workflowCast } from "../support/answers";
import { TestClient } from "../support/app";
import { useFreshDatabase } from "../support/db";
import { createUser, createUserPerRole, TEST_PASSWORD } from "../support/factories";

const database = useFreshDatabase();
const db = () => database.current.db;
const su = (u: User): SessionUser => ({ id: u.id, email: u.email, displayName: u.displayName, roles: u.roles as Role[] });
const page = (title: string, ...text: string[]) => ({ title, body: doc(...text), topicIds: [], tags: [], summary: "" });
const local = (u: User) => u.email.split("@")[0];

async function rejects(p: Promise<unknown>, code: string) {
  const e = await p.then(() => null, (x: unknown) => x);
  expect(e).toBeInstanceOf(DomainError);
  expect((e as DomainError).code).toBe(code);
  return e as DomainError;
}

describe("wiki: revisions, restore, conflicts, links", () => {
  it("keeps every save as a revision, diffs any two and restores an old one as a new revision", async () => {
    const emma = await createUser(db());
    const { id } = await createWikiPage(su(emma), page("Refunds A", "Refunds take 5 days."));
    await saveWikiPage(su(emma), id, { ...page("Refunds A", "Refunds take 7 days."), baseRevision: 1 });
    await saveWikiPage(su(emma), id, { ...page("Refunds A", "Refunds take 9 days."), baseRevision: 2 });
    expect((await listWikiRevisions(id)).map((r) => r.number)).toEqual([3, 2, 1]);
    const diff = await diffWikiRevisions(id, 1, 3);
    expect(diff!.diff.before.parts.filter((p) => p.kind === "removed").map((p) => p.text.trim())).toContain("5");
    expect(diff!.diff.after.parts.filter((p) => p.kind === "added").map((p) => p.text.trim())).toContain("9");
    await restoreWikiRevision(su(emma), id, 1, 3);
    const view = await getWikiPage(su(emma), id);
    expect(view!.page.revision).toBe(4);
    expect(view!.shown.html).toContain("Refunds take 5 days.");
    const revs = await listWikiRevisions(id);
    expect(revs[0]).toMatchObject({ number: 4, restoredFrom: 1, summary: "Restored revision 1" });
    // An old revision stays readable.
    expect((await getWikiPage(su(emma), id, 2))!.shown.html).toContain("7 days");
  });

  it("refuses a save based on an old revision with a conflict that carries the current text, writing nothing", async () => {
    const [a, b] = [await createUser(db()), await createUser(db())];
    const { id } = await createWikiPage(su(a), page("Conflict page", "Original."));
    await saveWikiPage(su(a), id, { ...page("Conflict page", "A's change."), baseRevision: 1 });
    const e = await rejects(saveWikiPage(su(b), id, { ...page("Conflict page", "B's change."), baseRevision: 1 }), "conflict");
    expect((e.details.conflict as { revision: number; bodyText: string }).bodyText).toBe("A's change.");
    const [{ n }] = (await db().select({ n: count() }).from(wikiRevisions).where(eq(wikiRevisions.pageId, id))) as [{ n: number }];
    expect(n).toBe(2);
    // Re-applying on top of the current revision is a deliberate new revision.
    await saveWikiPage(su(b), id, { ...page("Conflict page", "B's change."), baseRevision: 2 });
    expect((await getWikiPage(su(b), id))!.page.revision).toBe(3);
  });

  it("resolves [[links]] to pages or to 'create page', and lists backlinks", async () => {
    const u = await createUser(db());
    const target = await createWikiPage(su(u), page("Link Target", "Here."));
    const source = await createWikiPage(su(u), page("Link Source", "See [[link target]] and [[Missing <b>Page</b>]]."));
    const view = await getWikiPage(su(u), source.id);
    expect(view!.shown.html).toContain(`href="/wiki/${target.id}"`);
    expect(view!.shown.html).toContain('href="/wiki/new?title=Missing%20%3Cb%3EPage%3C%2Fb%3E"');
    // The title is text, never markup (in an attribute value `<` is inert, quotes are escaped).
    expect(view!.shown.html).toContain(">Missing &lt;b&gt;Page&lt;/b&gt;</a>");
    expect(view!.shown.html).not.toMatch(/<b>Page<\/b><\/a>/);
    expect((await getWikiPage(su(u), target.id))!.backlinks.map((b) => b.title)).toEqual(["Link Source"]);
  });

  it("refuses duplicate titles, loops in the tree and hostile rich text, writing nothing", async () => {
    const u = await createUser(db());
    const parent = await createWikiPage(su(u), page("Tree Parent", "p"));
    const child = await createWikiPage(su(u), { ...page("Tree Child", "c"), parentId: parent.id });
    await rejects(createWikiPage(su(u), page("tree parent", "dup")), "conflict");
    await rejects(saveWikiPage(su(u), parent.id, { ...page("Tree Parent", "p"), parentId: child.id, baseRevision: 1 }), "bad_request");
    const before = await db().select({ n: count() }).from(wikiPages);
    const hostile = { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] }] };
    await rejects(createWikiPage(su(u), { ...page("Hostile", "x"), body: hostile }), "bad_request");
    await rejects(createWikiPage(su(u), { ...page("Hostile", "x"), body: { type: "doc", content: [{ type: "script" }] } }), "bad_request");
    expect(await db().select({ n: count() }).from(wikiPages)).toEqual(before);
  });
});

describe("forum: accepted answers and mentions", () => {
  it("lets the thread author or a topic expert accept a reply, and nobody else", async () => {
    const cast = await workflowCast(db());
    const [category] = await db().insert(forumCategories).values({ slug: `c-${cast.topic.slug}`, name: "Cat", topicId: cast.topic.id }).returning();
    const other = await createUser(db());
    const { id: threadId } = await createThread(su(cast.author), { categoryId: category!.id, title: "Who accepts?", body: doc("Question") });
    const { id: r1 } = await addReply(su(other), threadId, "Answer one");
    const { id: r2 } = await addReply(su(cast.expert), threadId, "Answer two");
    await rejects(acceptReply(su(other), threadId, r1), "forbidden");
    await rejects(acceptReply(su(cast.agent), threadId, r1), "forbidden");
    const outsider = await createUser(db(), { roles: ["expert"] });
    await rejects(acceptReply(su(outsider), threadId, r1), "forbidden");
    await acceptReply(su(cast.author), threadId, r1);
    await acceptReply(su(cast.expert), threadId, r2);
    expect((await getThread(su(other), threadId))!.thread.acceptedReplyId).toBe(r2);
    // A reply from another thread cannot be accepted here.
    const { id: t2 } = await createThread(su(cast.author), { categoryId: category!.id, title: "Other thread", body: doc("Q") });
    const { id: foreign } = await addReply(su(other), t2, "elsewhere");
    await rejects(acceptReply(su(cast.author), threadId, foreign), "bad_request");
    // The reply's author hears that it was accepted (not when they accept their own).
    const accepted = (u: User) => db().select().from(notifications).where(and(eq(notifications.userId, u.id), eq(notifications.kind, "accepted")));
    expect(await accepted(other)).toHaveLength(1);
    expect(await accepted(cast.expert)).toHaveLength(0);
  });

  it("creates exactly one inbox item per mentioned user per reply, and tells the thread's author once", async () => {
    const author = await createUser(db());
    const [category] = await db().insert(forumCategories).values({ slug: `m-${Date.now()}`, name: "M" }).returning();
    const [m1, m2] = [await createUser(db()), await createUser(db())];
    const replier = await createUser(db());
    const { id: threadId } = await createThread(su(author), { categoryId: category!.id, title: "Mentions", body: doc("Q") });
    await addReply(su(replier), threadId, `@${local(m1)} and @${local(m1)} again, also @${m2.email} and @${local(author)} and @nobody-here`);
    for (const u of [m1, m2, author]) {
      const rows = await db().select().from(notifications).where(eq(notifications.userId, u.id));
      expect(rows, u.email).toHaveLength(1);
    }
    expect((await db().select().from(notifications).where(eq(notifications.userId, m1.id)))[0]!.kind).toBe("mention");
    // A plain reply (no mention) tells the author with a "reply" item.
    await addReply(su(replier), threadId, "no mentions here");
    const kinds = (await db().select().from(notifications).where(eq(notifications.userId, author.id))).map((n) => n.kind).sort();
    expect(kinds).toEqual(["mention", "reply"]);
    // Self-mentions notify nobody.
    const { id: r } = await addReply(su(m2), threadId, `@${local(m2)} note to self`);
    expect(await db().select().from(mentions).where(eq(mentions.sourceId, r))).toHaveLength(0);
  });

  it("comments mention once on wiki pages, blog posts and answers (one implementation)", async () => {
    const cast = await workflowCast(db());
    const mentioned = await createUser(db());
    const w = await createWikiPage(su(cast.author), page("Commented page", "x"));
    const b = await createBlogPost(su(cast.author), { title: "Commented post", body: doc("x"), topicIds: [], tags: [], status: "published" });
    const { certifiedAnswer } = await import("../support/answers");
    const { answerId } = await certifiedAnswer(db(), cast);
    for (const subject of [{ type: "wiki", id: w.id }, { type: "blog", id: b.id }, { type: "answer", id: answerId }] as const) {
      await addComment(su(cast.expert), subject, `@${local(mentioned)} please look @${local(mentioned)}`);
    }
    const rows = await db().select().from(notifications).where(eq(notifications.userId, mentioned.id));
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.link.split("#")[0]).sort()).toEqual([`/answers/${answerId}`, `/blog/${b.id}`, `/wiki/${w.id}`].sort());
    // Nobody comments on what they may not read (a blog draft of someone else).
    const draft = await createBlogPost(su(cast.author), { title: "Secret draft", body: doc("x"), topicIds: [], tags: [], status: "draft" });
    await rejects(addComment(su(cast.expert), { type: "blog", id: draft.id }, "hi"), "not_found");
    expect(await getBlogPost(su(cast.expert), draft.id)).toBeNull();
    await rejects(addComment(su(cast.agent), { type: "wiki", id: w.id }, "hi"), "forbidden");
  });
});

describe("promote to answer", () => {
  it("keeps the origin link and shows the answer on the origin once certified", async () => {
    const cast = await workflowCast(db());
    const [category] = await db().insert(forumCategories).values({ slug: `p-${Date.now()}`, name: "P", topicId: cast.topic.id }).returning();
    const { id: threadId } = await createThread(su(cast.km), { categoryId: category!.id, title: "How do I reset my router?", body: doc("Customer asks") });
    const { id: replyId } = await addReply(su(cast.expert), threadId, "Hold the reset button for 10 seconds.");

    const client = new TestClient();
    await client.signIn(cast.author.email, TEST_PASSWORD);
    const form = await client.page(`/answers/new?from=forum:${replyId}`);
    expect(form.response.status).toBe(200);
    expect(form.html).toContain("How do I reset my router?");
    expect(form.html).toContain("Hold the reset button");
    const res = await client.post("/answers/new", {
      from: `forum:${replyId}`,
      question: "How do I reset my router?",
      shortAnswer: "Hold reset for 10 seconds.",
      body: JSON.stringify(doc("Hold the reset button for 10 seconds.")),
      topicIds: cast.topic.id,
      audience: "internal",
      intent: "save",
    });
    expect(res.status).toBe(302);
    const answerId = /\/answers\/([0-9a-f-]{36})/.exec(res.headers.get("Location")!)![1]!;
    const [answer] = await db().select().from(answers).where(eq(answers.id, answerId));
    expect(answer!.origin).toMatchObject({ type: "forum", id: replyId });

    // Before certification: the author sees their draft; others do not.
    expect((await promotionsOf(su(cast.author), "forum", [replyId])).get(replyId)?.[0]?.certified).toBe(false);
    expect((await promotionsOf(su(cast.agent), "forum", [replyId])).get(replyId)).toBeUndefined();

    const [version] = await db().select({ id: answers.openVersionId }).from(answers).where(eq(answers.id, answerId));
    await sendEvent(db(), { actor: actor(cast.author), versionId: version!.id!, revision: 1, event: { type: "SUBMIT" } });
    await sendEvent(db(), { actor: actor(cast.expert), versionId: version!.id!, revision: 1, event: { type: "APPROVE" } });
    await sendEvent(db(), { actor: actor(cast.km), versionId: version!.id!, revision: 1, event: { type: "CERTIFY", ownerId: cast.author.id, reverifyIntervalDays: 30 } });

    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    const thread = await agent.page(`/forum/${threadId}`);
    expect(thread.html).toContain("Became the certified answer");
    expect(thread.html).toContain(`/answers/${answerId}`);
    const answerPage = await agent.page(`/answers/${answerId}`);
    expect(answerPage.html).toContain(`/forum/${threadId}#reply-${replyId}`);
  });

  it("refuses a forged origin the user may not read", async () => {
    const u = await createUser(db());
    const other = await createUser(db());
    const draft = await createBlogPost(su(other), { title: "Private", body: doc("x"), topicIds: [], tags: [], status: "draft" });
    const client = new TestClient();
    await client.signIn(u.email, TEST_PASSWORD);
    expect((await client.request(`/answers/new?from=blog:${draft.id}`)).status).toBe(404);
    const before = await db().select({ n: count() }).from(answers);
    const res = await client.post("/answers/new", { from: `blog:${draft.id}`, question: "Private question?", body: JSON.stringify(doc("x")), intent: "save" });
    expect(res.status).toBe(400);
    expect(await db().select({ n: count() }).from(answers)).toEqual(before);
  });
});

describe("duplicate hint", () => {
  it("finds certified answers by question or phrasing as the question is typed, on the server page and the resource route", async () => {
    const cast = await workflowCast(db());
    const { certifiedAnswer } = await import("../support/answers");
    const { answerId } = await certifiedAnswer(db(), cast, { question: "How long does a refund take to arrive?", alternatives: ["when do I get my money back"] });
    const client = new TestClient();
    await client.signIn(cast.author.email, TEST_PASSWORD);
    const json = (await (await client.request("/answers/similar?q=how%20long%20does%20a%20refund")).json()) as { items: { answerId: string; certified: boolean }[] };
    expect(json.items[0]).toMatchObject({ answerId, certified: true });
    const alt = (await (await client.request("/answers/similar?q=when%20do%20I%20get%20my%20money")).json()) as { items: { answerId: string }[] };
    expect(alt.items.map((i) => i.answerId)).toContain(answerId);
    const none = (await (await client.request("/answers/similar?q=router%20firmware%20update")).json()) as { items: unknown[] };
    expect(none.items).toEqual([]);
    const ssr = await client.page("/answers/new?question=How%20long%20does%20a%20refund%20take");
    expect(ssr.html).toContain("Similar answers already exist");
    expect(ssr.html).toContain(`/answers/${answerId}`);
    const agent = new TestClient();
    await agent.signIn(cast.agent.email, TEST_PASSWORD);
    expect((await agent.request("/answers/similar?q=refund")).status).toBe(403);
  });
});

describe("permissions for every mutation, through the app", () => {
  const clients = {} as Record<Role, TestClient>;
  let people: Record<Role, User>;
  let categoryId: string;
  let wikiId: string;
  let blogId: string;
  let threadId: string;
  let replyId: string;
  beforeAll(async () => {
    people = await createUserPerRole(db());
    for (const [role, user] of Object.entries(people) as [Role, User][]) {
      clients[role] = new TestClient();
      await clients[role].signIn(user.email, TEST_PASSWORD);
      await clients[role].page("/");
    }
    const [c] = await db().insert(forumCategories).values({ slug: `perm-${Date.now()}`, name: "Perm" }).returning();
    categoryId = c!.id;
    wikiId = (await createWikiPage(su(people.employee), page("Perm page", "x"))).id;
    blogId = (await createBlogPost(su(people.employee), { title: "Perm post", body: doc("x"), topicIds: [], tags: [], status: "published" })).id;
    threadId = (await createThread(su(people.employee), { categoryId, title: "Perm thread", body: doc("x") })).id;
    replyId = (await addReply(su(people.expert), threadId, "a reply")).id;
  });

  const body = JSON.stringify(doc("text"));
  it("lets agents and admins read but not write", async () => {
    for (const role of ["agent", "admin"] as const) {
      for (const path of ["/wiki", "/blog", "/forum", `/wiki/${wikiId}`, `/blog/${blogId}`, `/forum/${threadId}`, `/wiki/${wikiId}/history`]) {
        expect((await clients[role].request(path)).status, `${role} ${path}`).toBe(200);
      }
      expect((await clients[role].post("/wiki/new", { title: "Agent page", body })).status).toBe(403);
      expect((await clients[role].post(`/wiki/${wikiId}/edit`, { title: "Perm page", body, baseRevision: "1" })).status).toBe(403);
      expect((await clients[role].post(`/wiki/${wikiId}/history`, { number: "1", baseRevision: "1" })).status).toBe(403);
      expect((await clients[role].post("/blog/new", { title: "Agent post", body })).status).toBe(403);
      expect((await clients[role].post("/forum/new", { title: "Agent thread", body, categoryId })).status).toBe(403);
      expect((await clients[role].post(`/forum/${threadId}`, { intent: "reply", text: "hi" })).status).toBe(403);
      expect((await clients[role].post(`/wiki/${wikiId}`, { intent: "comment", comment: "hi" })).status).toBe(403);
      expect((await clients[role].post(`/forum/${threadId}`, { intent: "accept", replyId })).status).toBe(403);
    }
    expect(await db().select().from(comments).where(eq(comments.subjectId, wikiId))).toHaveLength(0);
    expect(await db().select().from(forumReplies).where(eq(forumReplies.threadId, threadId))).toHaveLength(1);
  });

  it("lets only the author edit a blog post or a forum reply, and any employee edit the wiki", async () => {
    expect((await clients.expert.request(`/blog/${blogId}/edit`)).status).toBe(403);
    expect((await clients.expert.post(`/blog/${blogId}/edit`, { title: "Taken over", body, status: "published", baseVersion: "1" })).status).toBe(403);
    expect((await clients.employee.post(`/forum/${threadId}`, { intent: "edit-reply", replyId, text: "changed" })).status).toBe(403);
    expect((await clients.knowledge_manager.post(`/forum/${threadId}/edit`, { title: "Taken over", body, baseVersion: "1" })).status).toBe(403);
    const [post] = await db().select().from(blogPosts).where(eq(blogPosts.id, blogId));
    expect(post!.title).toBe("Perm post");
    const res = await clients.expert.post(`/wiki/${wikiId}/edit`, { title: "Perm page", body, baseRevision: "1" });
    expect(res.status).toBe(302);
    const stale = await clients.knowledge_manager.post(`/wiki/${wikiId}/edit`, { title: "Perm page", body: JSON.stringify(doc("mine")), baseRevision: "1" });
    expect(stale.status).toBe(409);
    const html = await stale.text();
    expect(html).toContain("Someone else saved this page");
    expect(html).toContain('name="baseRevision" value="2"');
  });

  it("lets only moderators hide, with the reason in the audit log", async () => {
    expect((await clients.employee.post(`/wiki/${wikiId}`, { intent: "hide", kind: "wiki", id: wikiId, hidden: "true", reason: "spam" })).status).toBe(403);
    expect((await clients.admin.post(`/wiki/${wikiId}`, { intent: "hide", kind: "wiki", id: wikiId, hidden: "true", reason: "" })).status).toBe(400);
    expect((await clients.admin.post(`/forum/${threadId}`, { intent: "hide", kind: "reply", id: replyId, hidden: "true", reason: "Wrong and rude" })).status).toBe(200);
    const [log] = await db().select().from(auditLog).where(eq(auditLog.subjectId, replyId));
    expect(log).toMatchObject({ action: "content.hide", actorId: people.admin.id, data: { reason: "Wrong and rude" } });
    const seen = await clients.employee.page(`/forum/${threadId}`);
    expect(seen.html).toContain("This reply was hidden by a moderator");
    expect(seen.html).not.toContain("a reply</p>");
    await clients.admin.post(`/wiki/${wikiId}`, { intent: "hide", kind: "wiki", id: wikiId, hidden: "true", reason: "Outdated" });
    expect((await clients.employee.request(`/wiki/${wikiId}`)).status).toBe(404);
    expect((await clients.admin.request(`/wiki/${wikiId}`)).status).toBe(200);
  });

  it("refuses hostile input with field errors and writes nothing", async () => {
    const before = await Promise.all([db().select({ n: count() }).from(wikiPages), db().select({ n: count() }).from(forumThreads), db().select({ n: count() }).from(blogPosts)]);
    const bad = JSON.stringify({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "x", marks: [{ type: "link", attrs: { href: "javascript:alert(1)" } }] }] }] });
    expect((await clients.employee.post("/wiki/new", { title: "Evil page", body: bad })).status).toBe(400);
    expect((await clients.employee.post("/wiki/new", { title: "Evil [[page]]", body })).status).toBe(400);
    expect((await clients.employee.post("/wiki/new", { title: "Evil page", body: "{not json" })).status).toBe(400);
    expect((await clients.employee.post("/blog/new", { title: "x".repeat(500), body })).status).toBe(400);
    expect((await clients.employee.post("/forum/new", { title: "Evil thread", body, categoryId: "00000000-0000-4000-8000-000000000000" })).status).toBe(400);
    expect((await clients.employee.post("/forum/new", { title: "Evil thread", body: bad, categoryId })).status).toBe(400);
    expect((await clients.employee.post(`/forum/${threadId}`, { intent: "reply", text: "   " })).status).toBe(400);
    const after = await Promise.all([db().select({ n: count() }).from(wikiPages), db().select({ n: count() }).from(forumThreads), db().select({ n: count() }).from(blogPosts)]);
    expect(after).toEqual(before);
    // Script in a reply or comment is text, never markup.
    await clients.employee.post(`/blog/${blogId}`, { intent: "comment", comment: "<script>alert(1)</script>" });
    const html = (await clients.expert.page(`/blog/${blogId}`)).html;
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
  });

  it("shows blog drafts to their author only", async () => {
    const { id } = await createBlogPost(su(people.employee), { title: "Only mine", body: doc("x"), topicIds: [], tags: [], status: "draft" });
    expect((await clients.employee.request(`/blog/${id}`)).status).toBe(200);
    expect((await clients.expert.request(`/blog/${id}`)).status).toBe(404);
    expect((await clients.agent.page("/blog")).html).not.toContain("Only mine");
  });
});
