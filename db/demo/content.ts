import { eq, sql } from "drizzle-orm";
import type { Role } from "../../app/auth/policy";
import { documentFromPlainText } from "../../app/editor/document.server";
import { createBlogPost } from "../../app/models/blog.server";
import { acceptReply, addReply, createThread } from "../../app/models/forum.server";
import { createWikiPage, saveWikiPage } from "../../app/models/wiki.server";
import type { Db } from "../client.server";
import { blogPosts, forumCategories, forumThreads, topics, users, wikiPages } from "../schema";

const WIKI = [
  {
    title: "Refund policy",
    topic: "billing",
    body: "We refund to the original payment method once a return reaches the warehouse.\n\nThe refund leaves us within 5 working days; banks take 2–3 more days. See [[Returns process]] for how returns are checked, and [[Goodwill credits]] for when we pay more than the refund.\n\nAttachments: link to files on the intranet (uploads come later).",
    edit: "We refund to the original payment method once a return reaches the warehouse.\n\nThe refund leaves us within 5 working days; most banks take 2–3 more days, some up to 10. See [[Returns process]] for how returns are checked, and [[Goodwill credits]] for when we pay more than the refund.",
  },
  {
    title: "Returns process",
    topic: "shipping",
    parent: "Refund policy",
    body: "1. The customer starts the return in Orders → Return.\n\n2. The carrier scans the parcel; the warehouse checks it within 2 working days.\n\n3. The refund is issued automatically (see [[Refund policy]]).",
  },
  {
    title: "Router troubleshooting",
    topic: "devices",
    body: "Before a factory reset, ask the customer to restart the router and check the cables.\n\nIf the Wi-Fi still fails, a factory reset (hold Reset for 10 seconds) restores the label's Wi-Fi name and password. Write down custom settings first.",
  },
];

const BLOG = [
  {
    title: "What I learned answering 200 refund questions",
    author: "emma@example.com",
    topic: "billing",
    body: "Most refund questions are really about timing: customers see the money leave us but not arrive at their bank.\n\nTelling them both numbers — 5 working days from us, 2–3 from their bank — ended most follow-ups. @xavier, could this become the standard wording?",
  },
  {
    title: "Three eSIM questions we keep getting",
    author: "priya@example.com",
    topic: "devices",
    body: "1. Does the phone support eSIM? Yes, every model since 2024.\n\n2. Can I keep my physical SIM? Yes, one of each.\n\n3. Where is the QR code? In the provider's email, not ours.",
  },
];

const THREADS = [
  {
    title: "Customer asks whether we deliver to Norway",
    category: "shipping",
    author: "emma@example.com",
    body: "A customer in Oslo wants to order. Do we ship outside the EU apart from the UK and Switzerland?",
    replies: [{ author: "xavier@example.com", text: "Not yet: Norway is on the list for next quarter. Until then, the answer is no, and we should not take the order.", accept: true }],
  },
  {
    title: "Can a customer split a payment across two cards?",
    category: "billing",
    author: "emma@example.com",
    body: "Had this twice this week on chat. Is there a way, or do we say no?",
    replies: [],
  },
];

const person = async (db: Db, email: string) => {
  const [u] = await db.select({ id: users.id, roles: users.roles, displayName: users.displayName }).from(users).where(eq(users.email, email));
  if (!u) throw new Error(`demo user ${email} is missing`);
  return { id: u.id, roles: u.roles as Role[], displayName: u.displayName };
};

/** Demo wiki pages, blog posts and forum threads about the demo topics; skipped when already there. */
export async function seedDemoContent(db: Db, now = new Date()): Promise<void> {
  const allTopics = await db.select({ id: topics.id, slug: topics.slug, name: topics.name }).from(topics);
  await db
    .insert(forumCategories)
    .values(allTopics.map((t) => ({ slug: t.slug, name: t.name, description: `Questions about ${t.name.toLowerCase()}.`, topicId: t.id })))
    .onConflictDoNothing({ target: forumCategories.slug });
  const topicId = (slug: string) => allTopics.filter((t) => t.slug === slug).map((t) => t.id);
  const emma = await person(db, "emma@example.com");
  const kim = await person(db, "kim@example.com");
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * 86_400_000);

  for (const [i, p] of WIKI.entries()) {
    const [exists] = await db.select({ id: wikiPages.id }).from(wikiPages).where(eq(sql`lower(${wikiPages.title})`, p.title.toLowerCase()));
    if (exists) continue;
    const [parent] = p.parent ? await db.select({ id: wikiPages.id }).from(wikiPages).where(eq(wikiPages.title, p.parent)) : [];
    const input = { title: p.title, body: documentFromPlainText(p.body), parentId: parent?.id, topicIds: topicId(p.topic), tags: [], summary: "First version" };
    const { id } = await createWikiPage(emma, input, at(20 - i), db);
    if (p.edit) await saveWikiPage(kim, id, { ...input, body: documentFromPlainText(p.edit), summary: "Banks can take up to 10 days", baseRevision: 1 }, at(10 - i), db);
  }
  for (const [i, b] of BLOG.entries()) {
    const [exists] = await db.select({ id: blogPosts.id }).from(blogPosts).where(eq(blogPosts.title, b.title));
    if (exists) continue;
    await createBlogPost(await person(db, b.author), { title: b.title, body: documentFromPlainText(b.body), topicIds: topicId(b.topic), tags: [], status: "published" }, at(14 - i), db);
  }
  for (const [i, t] of THREADS.entries()) {
    const [exists] = await db.select({ id: forumThreads.id }).from(forumThreads).where(eq(forumThreads.title, t.title));
    if (exists) continue;
    const [category] = await db.select({ id: forumCategories.id }).from(forumCategories).where(eq(forumCategories.slug, t.category));
    if (!category) continue;
    const author = await person(db, t.author);
    const { id } = await createThread(author, { categoryId: category.id, title: t.title, body: documentFromPlainText(t.body) }, at(7 - i), db);
    for (const r of t.replies) {
      const { id: replyId } = await addReply(await person(db, r.author), id, r.text, at(6 - i), db);
      if (r.accept) await acceptReply(author, id, replyId, at(5 - i), db);
    }
  }
}
