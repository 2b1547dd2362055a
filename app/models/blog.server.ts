import { and, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { JSONContent } from "@tiptap/core";
import { getDb, type DbOrTx } from "../../db/client.server";
import { blogPosts, topics, users } from "../../db/schema";
import type { SessionUser } from "../auth/session.server";
import { DomainError } from "../utils/errors";
import type { BlogPostInput } from "./content.schema";
import { canSeeHidden, prepareBody, promotionsOf, recordMentions, requireAction, type ContentActor } from "./content.server";
import { assertCurrentVersion } from "./edit-conflict.server";

export const BLOG_PAGE_SIZE = 10;

async function assertTopics(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return;
  const rows = await db.select({ id: topics.id }).from(topics).where(inArray(topics.id, ids));
  if (rows.length !== new Set(ids).size) throw new DomainError("bad_request", "Choose topics from the list.", { field: "topicIds" });
}

/** Mentions notify only once the post is published: a draft is its author's alone. */
async function mentionIfPublished(tx: DbOrTx, actor: ContentActor, post: { id: string; title: string; status: string; bodyText: string }, at: Date) {
  if (post.status !== "published") return;
  await recordMentions(tx, {
    sourceType: "blog",
    sourceId: post.id,
    text: post.bodyText,
    actor,
    title: `${actor.displayName ?? "A colleague"} mentioned you in the blog post “${post.title}”`,
    link: `/blog/${post.id}`,
    at,
  });
}

export async function createBlogPost(actor: ContentActor, input: BlogPostInput, now = new Date(), db: DbOrTx = getDb()): Promise<{ id: string }> {
  requireAction(actor, "content.write", "Your role cannot write blog posts.");
  const content = prepareBody(input.body);
  return db.transaction(async (tx) => {
    await assertTopics(tx, input.topicIds);
    const [post] = await tx
      .insert(blogPosts)
      .values({
        authorId: actor.id,
        title: input.title,
        ...content,
        topicIds: [...new Set(input.topicIds)],
        tags: [...new Set(input.tags)],
        status: input.status,
        publishedAt: input.status === "published" ? now : null,
        createdAt: now,
        updatedAt: now,
      })
      .returning({ id: blogPosts.id });
    await mentionIfPublished(tx, actor, { id: post!.id, title: input.title, status: input.status, bodyText: content.bodyText }, now);
    return { id: post!.id };
  });
}

/**
 * Only the author edits a post; publishing keeps the first publication date. The edit names the
 * version it started from: a post saved since (another tab) is a conflict, never overwritten.
 */
export async function updateBlogPost(
  actor: ContentActor,
  postId: string,
  input: BlogPostInput & { baseVersion: number },
  now = new Date(),
  db: DbOrTx = getDb(),
): Promise<{ version: number }> {
  requireAction(actor, "content.write", "Your role cannot write blog posts.");
  const content = prepareBody(input.body);
  return db.transaction(async (tx) => {
    const [post] = await tx.select().from(blogPosts).where(eq(blogPosts.id, postId)).for("update");
    if (!post) throw new DomainError("not_found", "There is no blog post at this address.");
    if (post.authorId !== actor.id) throw new DomainError("forbidden", "Only the author may edit this post.");
    assertCurrentVersion("post", post, input.baseVersion);
    await assertTopics(tx, input.topicIds);
    await tx
      .update(blogPosts)
      .set({
        title: input.title,
        ...content,
        topicIds: [...new Set(input.topicIds)],
        tags: [...new Set(input.tags)],
        status: input.status,
        publishedAt: input.status === "published" ? (post.publishedAt ?? now) : null,
        version: post.version + 1,
        updatedAt: now,
      })
      .where(eq(blogPosts.id, postId));
    await mentionIfPublished(tx, actor, { id: postId, title: input.title, status: input.status, bodyText: content.bodyText }, now);
    return { version: post.version + 1 };
  });
}

/** Published posts, newest first; `authorId` narrows to one author (the author page). */
export async function listBlogPosts(user: Pick<SessionUser, "roles">, opts: { page: number; authorId?: string }, db: DbOrTx = getDb()) {
  const where = and(
    eq(blogPosts.status, "published"),
    canSeeHidden(user) ? undefined : isNull(blogPosts.hiddenAt),
    opts.authorId ? eq(blogPosts.authorId, opts.authorId) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: blogPosts.id,
        title: blogPosts.title,
        excerpt: sql<string>`left(${blogPosts.bodyText}, 280)`,
        authorId: blogPosts.authorId,
        authorName: users.displayName,
        publishedAt: blogPosts.publishedAt,
        tags: blogPosts.tags,
        hiddenAt: blogPosts.hiddenAt,
      })
      .from(blogPosts)
      .innerJoin(users, eq(users.id, blogPosts.authorId))
      .where(where)
      .orderBy(desc(blogPosts.publishedAt), desc(blogPosts.id))
      .limit(BLOG_PAGE_SIZE)
      .offset((opts.page - 1) * BLOG_PAGE_SIZE),
    db.select({ n: sql<number>`count(*)::int` }).from(blogPosts).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function myBlogDrafts(userId: string, db: DbOrTx = getDb()) {
  return db
    .select({ id: blogPosts.id, title: blogPosts.title, updatedAt: blogPosts.updatedAt })
    .from(blogPosts)
    .where(and(eq(blogPosts.authorId, userId), eq(blogPosts.status, "draft")))
    .orderBy(desc(blogPosts.updatedAt))
    .limit(50);
}

export async function authorName(userId: string, db: DbOrTx = getDb()): Promise<string | null> {
  const [row] = await db.select({ name: users.displayName }).from(users).where(eq(users.id, userId));
  return row?.name ?? null;
}

/** A post the user may read: published (and not hidden, unless a moderator asks), or their own draft. */
export async function getBlogPost(user: Pick<SessionUser, "id" | "roles">, postId: string, db: DbOrTx = getDb()) {
  const [row] = await db
    .select({ post: blogPosts, authorName: users.displayName })
    .from(blogPosts)
    .innerJoin(users, eq(users.id, blogPosts.authorId))
    .where(eq(blogPosts.id, postId));
  if (!row) return null;
  const { post } = row;
  if (post.status === "draft" && post.authorId !== user.id) return null;
  if (post.hiddenAt && !canSeeHidden(user) && post.authorId !== user.id) return null;
  const topicRows = post.topicIds.length ? await db.select({ name: topics.name }).from(topics).where(inArray(topics.id, post.topicIds)) : [];
  const promotions = await promotionsOf(user, "blog", [postId], db);
  return {
    post: { ...post, body: post.body as JSONContent },
    authorName: row.authorName,
    topicNames: topicRows.map((t) => t.name),
    isAuthor: post.authorId === user.id,
    promotions: promotions.get(postId) ?? [],
  };
}
