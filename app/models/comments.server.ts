import { and, asc, eq } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { blogPosts, comments, users, wikiPages, type CommentSubject } from "../../db/schema";
import type { SessionUser } from "../auth/session.server";
import { DomainError } from "../utils/errors";
import { getAnswerPage } from "./answer.server";
import { canSeeHidden, recordMentions, requireAction, type ContentActor } from "./content.server";

export type { CommentSubject };

/**
 * What a comment is about, if the user may read it: a visible wiki page, a published blog post,
 * or an answer version they may see (drafts under review included). Returns its title and link.
 */
export async function commentSubject(
  user: Pick<SessionUser, "id" | "roles" | "email" | "displayName">,
  type: CommentSubject,
  id: string,
  db: DbOrTx = getDb(),
): Promise<{ title: string; link: string } | null> {
  if (type === "wiki") {
    const [page] = await db.select({ title: wikiPages.title, hiddenAt: wikiPages.hiddenAt }).from(wikiPages).where(eq(wikiPages.id, id));
    return page && (!page.hiddenAt || canSeeHidden(user)) ? { title: `the wiki page “${page.title}”`, link: `/wiki/${id}` } : null;
  }
  if (type === "blog") {
    const [post] = await db.select({ title: blogPosts.title, status: blogPosts.status, hiddenAt: blogPosts.hiddenAt }).from(blogPosts).where(eq(blogPosts.id, id));
    return post && post.status === "published" && (!post.hiddenAt || canSeeHidden(user)) ? { title: `the blog post “${post.title}”`, link: `/blog/${id}` } : null;
  }
  const page = await getAnswerPage(user as SessionUser, id, undefined, db);
  return page ? { title: `the answer “${page.shown.question}”`, link: `/answers/${id}` } : null;
}

/** One comment implementation for wiki pages, blog posts and answers; @mentions notify once. */
export async function addComment(
  actor: SessionUser,
  subject: { type: CommentSubject; id: string },
  body: string,
  now = new Date(),
  db: DbOrTx = getDb(),
): Promise<{ id: string }> {
  requireAction(actor, "content.write", "Your role cannot comment.");
  const text = body.trim();
  if (!text) throw new DomainError("bad_request", "Write the comment", { field: "comment" });
  if (text.length > 5000) throw new DomainError("bad_request", "Keep the comment under 5000 characters", { field: "comment" });
  const about = await commentSubject(actor, subject.type, subject.id, db);
  if (!about) throw new DomainError("not_found", "There is nothing to comment on at this address.");
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(comments).values({ subjectType: subject.type, subjectId: subject.id, authorId: actor.id, body: text, createdAt: now }).returning({ id: comments.id });
    await recordMentions(tx, {
      sourceType: "comment",
      sourceId: row!.id,
      text,
      actor: actor as ContentActor,
      title: `${actor.displayName} mentioned you in a comment on ${about.title}`,
      link: `${about.link}#comment-${row!.id}`,
      at: now,
    });
    return { id: row!.id };
  });
}

/** The comments on a subject, oldest first; hidden ones are placeholders except for moderators. */
export async function listComments(user: Pick<SessionUser, "roles">, type: CommentSubject, id: string, db: DbOrTx = getDb()) {
  const rows = await db
    .select({ id: comments.id, body: comments.body, authorName: users.displayName, createdAt: comments.createdAt, hiddenAt: comments.hiddenAt, hiddenReason: comments.hiddenReason })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.subjectType, type), eq(comments.subjectId, id)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  const moderator = canSeeHidden(user);
  return rows.map((c) => ({ ...c, hidden: c.hiddenAt !== null, body: c.hiddenAt && !moderator ? "" : c.body }));
}
export type CommentView = Awaited<ReturnType<typeof listComments>>[number];
