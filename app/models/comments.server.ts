import { and, asc, eq, gt } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { blogPosts, comments, mentions, users, wikiPages, type CommentSubject } from "../../db/schema";
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

const DUPLICATE_WINDOW_MS = 60_000;

/** What posting and editing a comment both check: the role, the text, and that the subject is visible. */
async function checkComment(actor: SessionUser, subject: { type: CommentSubject; id: string }, body: string, db: DbOrTx) {
  requireAction(actor, "content.write", "Your role cannot comment.");
  const text = body.trim();
  if (!text) throw new DomainError("bad_request", "Write the comment", { field: "comment" });
  if (text.length > 5000) throw new DomainError("bad_request", "Keep the comment under 5000 characters", { field: "comment" });
  const about = await commentSubject(actor, subject.type, subject.id, db);
  if (!about) throw new DomainError("not_found", "There is nothing to comment on at this address.");
  return { text, about };
}

/** One comment implementation for wiki pages, blog posts and answers; @mentions notify once. */
export async function addComment(
  actor: SessionUser,
  subject: { type: CommentSubject; id: string },
  body: string,
  now = new Date(),
  db: DbOrTx = getDb(),
): Promise<{ id: string }> {
  const { text, about } = await checkComment(actor, subject, body, db);
  return db.transaction(async (tx) => {
    // A second click, a resent form or a double submit must not post the same words twice.
    const [same] = await tx
      .select({ id: comments.id })
      .from(comments)
      .where(
        and(
          eq(comments.subjectType, subject.type),
          eq(comments.subjectId, subject.id),
          eq(comments.authorId, actor.id),
          eq(comments.body, text),
          gt(comments.createdAt, new Date(now.getTime() - DUPLICATE_WINDOW_MS)),
        ),
      )
      .limit(1);
    if (same) throw new DomainError("conflict", "You posted this comment a moment ago.", { field: "comment" });
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
export async function listComments(user: Pick<SessionUser, "id" | "roles">, type: CommentSubject, id: string, db: DbOrTx = getDb()) {
  const rows = await db
    .select({
      id: comments.id,
      body: comments.body,
      authorId: comments.authorId,
      authorName: users.displayName,
      createdAt: comments.createdAt,
      editedAt: comments.editedAt,
      hiddenAt: comments.hiddenAt,
      hiddenReason: comments.hiddenReason,
    })
    .from(comments)
    .innerJoin(users, eq(users.id, comments.authorId))
    .where(and(eq(comments.subjectType, type), eq(comments.subjectId, id)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
  const moderator = canSeeHidden(user);
  return rows.map(({ authorId, ...c }) => ({ ...c, mine: authorId === user.id, hidden: c.hiddenAt !== null, body: c.hiddenAt && !moderator ? "" : c.body }));
}
export type CommentView = Awaited<ReturnType<typeof listComments>>[number];

/** The author's own comment on this subject, or a refusal that says why not. */
async function ownComment(actor: SessionUser, subject: { type: CommentSubject; id: string }, commentId: string, db: DbOrTx) {
  const [row] = await db
    .select({ id: comments.id, authorId: comments.authorId, hiddenAt: comments.hiddenAt })
    .from(comments)
    .where(and(eq(comments.id, commentId), eq(comments.subjectType, subject.type), eq(comments.subjectId, subject.id)));
  if (!row) throw new DomainError("not_found", "That comment is gone.");
  if (row.authorId !== actor.id) throw new DomainError("forbidden", "Only its author can change a comment; moderators can hide it.");
  if (row.hiddenAt) throw new DomainError("conflict", "A moderator hid this comment: it can no longer be changed.");
  return row;
}

/** The author corrects their comment; readers see "edited". New @mentions notify once, as on posting. */
export async function editComment(
  actor: SessionUser,
  subject: { type: CommentSubject; id: string },
  commentId: string,
  body: string,
  now = new Date(),
  db: DbOrTx = getDb(),
): Promise<void> {
  const { text, about } = await checkComment(actor, subject, body, db);
  await db.transaction(async (tx) => {
    await ownComment(actor, subject, commentId, tx);
    await tx.update(comments).set({ body: text, editedAt: now }).where(eq(comments.id, commentId));
    await recordMentions(tx, {
      sourceType: "comment",
      sourceId: commentId,
      text,
      actor: actor as ContentActor,
      title: `${actor.displayName} mentioned you in a comment on ${about.title}`,
      link: `${about.link}#comment-${commentId}`,
      at: now,
    });
  });
}

/** The author takes their comment back (moderators hide instead, which keeps it for the audit). */
export async function deleteComment(actor: SessionUser, subject: { type: CommentSubject; id: string }, commentId: string, db: DbOrTx = getDb()): Promise<void> {
  requireAction(actor, "content.write", "Your role cannot comment.");
  await db.transaction(async (tx) => {
    await ownComment(actor, subject, commentId, tx);
    await tx.delete(mentions).where(and(eq(mentions.sourceType, "comment"), eq(mentions.sourceId, commentId)));
    await tx.delete(comments).where(eq(comments.id, commentId));
  });
}
