import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { expertise, forumCategories, forumReplies, forumThreads, topics, users } from "../../db/schema";
import { can } from "../auth/policy";
import type { SessionUser } from "../auth/session.server";
import { documentFromPlainText } from "../editor/document.server";
import { DomainError } from "../utils/errors";
import type { ThreadInput } from "./content.schema";
import { assertCurrentVersion } from "./edit-conflict.server";
import { canSeeHidden, prepareBody, promotionsOf, recordMentions, requireAction, type ContentActor } from "./content.server";
import { acceptedReplyOf, creditAcceptedReply } from "./expertise.server";
import { notify } from "../notifications/notify.server";

export const FORUM_PAGE_SIZE = 20;

export async function listCategories(db: DbOrTx = getDb()) {
  return db
    .select({
      id: forumCategories.id,
      slug: forumCategories.slug,
      name: forumCategories.name,
      description: forumCategories.description,
      topicName: topics.name,
      threads: sql<number>`(select count(*)::int from forum_threads t where t.category_id = ${forumCategories.id} and t.hidden_at is null)`,
      unanswered: sql<number>`(select count(*)::int from forum_threads t where t.category_id = ${forumCategories.id} and t.hidden_at is null and t.accepted_reply_id is null)`,
    })
    .from(forumCategories)
    .leftJoin(topics, eq(topics.id, forumCategories.topicId))
    .orderBy(asc(forumCategories.name));
}

/** Threads, most recently active first; `unanswered` keeps those without an accepted reply. */
export async function listThreads(user: Pick<SessionUser, "roles">, opts: { page: number; categoryId?: string; unanswered?: boolean }, db: DbOrTx = getDb()) {
  const where = and(
    canSeeHidden(user) ? undefined : isNull(forumThreads.hiddenAt),
    opts.categoryId ? eq(forumThreads.categoryId, opts.categoryId) : undefined,
    opts.unanswered ? isNull(forumThreads.acceptedReplyId) : undefined,
  );
  const [rows, [total]] = await Promise.all([
    db
      .select({
        id: forumThreads.id,
        title: forumThreads.title,
        authorName: users.displayName,
        categoryName: forumCategories.name,
        replyCount: forumThreads.replyCount,
        answered: sql<boolean>`${forumThreads.acceptedReplyId} is not null`,
        lastActivityAt: forumThreads.lastActivityAt,
        hiddenAt: forumThreads.hiddenAt,
      })
      .from(forumThreads)
      .innerJoin(users, eq(users.id, forumThreads.authorId))
      .innerJoin(forumCategories, eq(forumCategories.id, forumThreads.categoryId))
      .where(where)
      .orderBy(desc(forumThreads.lastActivityAt), desc(forumThreads.id))
      .limit(FORUM_PAGE_SIZE)
      .offset((opts.page - 1) * FORUM_PAGE_SIZE),
    db.select({ n: sql<number>`count(*)::int` }).from(forumThreads).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function createThread(actor: ContentActor, input: ThreadInput, now = new Date(), db: DbOrTx = getDb()): Promise<{ id: string }> {
  requireAction(actor, "content.write", "Your role cannot start forum threads.");
  const content = prepareBody(input.body);
  return db.transaction(async (tx) => {
    const [category] = await tx.select({ id: forumCategories.id }).from(forumCategories).where(eq(forumCategories.id, input.categoryId));
    if (!category) throw new DomainError("bad_request", "Choose a category from the list.", { field: "categoryId" });
    const [thread] = await tx
      .insert(forumThreads)
      .values({ categoryId: input.categoryId, authorId: actor.id, title: input.title, ...content, lastActivityAt: now, createdAt: now, updatedAt: now })
      .returning({ id: forumThreads.id });
    await recordMentions(tx, {
      sourceType: "thread",
      sourceId: thread!.id,
      text: content.bodyText,
      actor,
      title: `${actor.displayName ?? "A colleague"} mentioned you in the thread “${input.title}”`,
      link: `/forum/${thread!.id}`,
      at: now,
    });
    return { id: thread!.id };
  });
}

async function visibleThread(db: DbOrTx, user: Pick<SessionUser, "roles">, threadId: string, lock = false) {
  const q = db.select().from(forumThreads).where(eq(forumThreads.id, threadId));
  const [thread] = lock ? await q.for("update") : await q;
  if (!thread || (thread.hiddenAt && !canSeeHidden(user))) throw new DomainError("not_found", "There is no forum thread at this address.");
  return thread;
}

/**
 * A reply (plain text, mentions allowed). The thread's author hears about it ("replied to your
 * thread") unless they are mentioned in it, which already tells them: one inbox item per reply.
 */
export async function addReply(actor: ContentActor, threadId: string, text: string, now = new Date(), db: DbOrTx = getDb()): Promise<{ id: string }> {
  requireAction(actor, "content.write", "Your role cannot reply in the forum.");
  const content = prepareBody(documentFromPlainText(text), "text");
  return db.transaction(async (tx) => {
    const thread = await visibleThread(tx, actor, threadId, true);
    if (thread.hiddenAt) throw new DomainError("conflict", "This thread is hidden; it takes no replies.");
    const [reply] = await tx.insert(forumReplies).values({ threadId, authorId: actor.id, ...content, createdAt: now, updatedAt: now }).returning({ id: forumReplies.id });
    await tx
      .update(forumThreads)
      .set({ replyCount: sql`${forumThreads.replyCount} + 1`, lastActivityAt: now })
      .where(eq(forumThreads.id, threadId));
    const link = `/forum/${threadId}#reply-${reply!.id}`;
    const mentioned = await recordMentions(tx, {
      sourceType: "reply",
      sourceId: reply!.id,
      text: content.bodyText,
      actor,
      title: `${actor.displayName ?? "A colleague"} mentioned you in a reply to “${thread.title}”`,
      link,
      at: now,
    });
    if (thread.authorId !== actor.id && !mentioned.includes(thread.authorId)) {
      await notify(tx, [thread.authorId], { kind: "reply", title: `${actor.displayName ?? "A colleague"} replied to your thread “${thread.title}”`, link, at: now, data: { threadId, replyId: reply!.id } });
    }
    return { id: reply!.id };
  });
}

/** Only the author edits a reply. New mentions notify; old ones do not again. */
export async function editReply(actor: ContentActor, replyId: string, text: string, now = new Date(), db: DbOrTx = getDb()): Promise<void> {
  requireAction(actor, "content.write", "Your role cannot reply in the forum.");
  const content = prepareBody(documentFromPlainText(text), "text");
  await db.transaction(async (tx) => {
    const [reply] = await tx.select().from(forumReplies).where(eq(forumReplies.id, replyId)).for("update");
    if (!reply) throw new DomainError("not_found", "There is no such reply.");
    if (reply.authorId !== actor.id) throw new DomainError("forbidden", "Only the author may edit this reply.");
    const thread = await visibleThread(tx, actor, reply.threadId);
    await tx.update(forumReplies).set({ ...content, updatedAt: now }).where(eq(forumReplies.id, replyId));
    await recordMentions(tx, {
      sourceType: "reply",
      sourceId: replyId,
      text: content.bodyText,
      actor,
      title: `${actor.displayName ?? "A colleague"} mentioned you in a reply to “${thread.title}”`,
      link: `/forum/${thread.id}#reply-${replyId}`,
      at: now,
    });
  });
}

/**
 * Only the author edits the thread's question. The edit names the version it started from: a
 * question saved since (another tab) is a conflict, never overwritten.
 */
export async function editThread(
  actor: ContentActor,
  threadId: string,
  input: Omit<ThreadInput, "categoryId"> & { baseVersion: number },
  now = new Date(),
  db: DbOrTx = getDb(),
): Promise<{ version: number }> {
  requireAction(actor, "content.write", "Your role cannot edit forum threads.");
  const content = prepareBody(input.body);
  return db.transaction(async (tx) => {
    const thread = await visibleThread(tx, actor, threadId, true);
    if (thread.authorId !== actor.id) throw new DomainError("forbidden", "Only the author may edit this thread.");
    assertCurrentVersion("question", thread, input.baseVersion);
    await tx.update(forumThreads).set({ title: input.title, ...content, version: thread.version + 1, updatedAt: now }).where(eq(forumThreads.id, threadId));
    await recordMentions(tx, {
      sourceType: "thread",
      sourceId: threadId,
      text: content.bodyText,
      actor,
      title: `${actor.displayName ?? "A colleague"} mentioned you in the thread “${input.title}”`,
      link: `/forum/${threadId}`,
      at: now,
    });
    return { version: thread.version + 1 };
  });
}

/** May this user mark the accepted reply? The thread's author, or an expert of the category's topic. */
async function mayAccept(db: DbOrTx, user: Pick<SessionUser, "id" | "roles">, thread: { authorId: string; categoryId: string }): Promise<boolean> {
  if (thread.authorId === user.id && can(user.roles, "content.write")) return true;
  if (!can(user.roles, "answer.review")) return false;
  const [row] = await db
    .select({ one: sql<number>`1` })
    .from(forumCategories)
    .innerJoin(expertise, and(eq(expertise.topicId, forumCategories.topicId), eq(expertise.userId, user.id)))
    .where(eq(forumCategories.id, thread.categoryId));
  return Boolean(row);
}

/** Marks (or, with null, clears) the accepted reply. The reply's author is told. */
export async function acceptReply(actor: ContentActor, threadId: string, replyId: string | null, now = new Date(), db: DbOrTx = getDb()): Promise<void> {
  await db.transaction(async (tx) => {
    const thread = await visibleThread(tx, actor, threadId, true);
    if (!(await mayAccept(tx, actor, thread))) throw new DomainError("forbidden", "Only the thread's author or an expert of its topic may accept a reply.");
    // The expertise an accepted reply earned follows the acceptance when it moves or is cleared.
    const previous = await acceptedReplyOf(tx, threadId);
    if (previous && previous.replyId !== replyId && previous.authorId !== thread.authorId && previous.authorId !== previous.acceptedBy) {
      await creditAcceptedReply(tx, { replyId: previous.replyId, replyAuthorId: previous.authorId, categoryId: previous.categoryId, accepterId: actor.id, undo: true, now });
    }
    if (replyId === null) {
      await tx.update(forumThreads).set({ acceptedReplyId: null, acceptedBy: null }).where(eq(forumThreads.id, threadId));
      return;
    }
    const [reply] = await tx.select().from(forumReplies).where(and(eq(forumReplies.id, replyId), eq(forumReplies.threadId, threadId)));
    if (!reply || reply.hiddenAt) throw new DomainError("bad_request", "Accept a visible reply of this thread.", { field: "replyId" });
    if (previous?.replyId !== replyId && reply.authorId !== thread.authorId && reply.authorId !== actor.id) {
      await creditAcceptedReply(tx, { replyId, replyAuthorId: reply.authorId, categoryId: thread.categoryId, accepterId: actor.id, now });
    }
    await tx.update(forumThreads).set({ acceptedReplyId: replyId, acceptedBy: actor.id, lastActivityAt: now }).where(eq(forumThreads.id, threadId));
    if (reply.authorId !== actor.id) {
      await notify(tx, [reply.authorId], { kind: "accepted", title: `Your reply to “${thread.title}” was accepted as the answer`, link: `/forum/${threadId}#reply-${replyId}`, at: now });
    }
  });
}

/** The thread page: question, replies (hidden ones as placeholders), who may accept, promotions. */
export async function getThread(user: Pick<SessionUser, "id" | "roles">, threadId: string, db: DbOrTx = getDb()) {
  const [row] = await db
    .select({ thread: forumThreads, authorName: users.displayName, category: { id: forumCategories.id, name: forumCategories.name, topicId: forumCategories.topicId } })
    .from(forumThreads)
    .innerJoin(users, eq(users.id, forumThreads.authorId))
    .innerJoin(forumCategories, eq(forumCategories.id, forumThreads.categoryId))
    .where(eq(forumThreads.id, threadId));
  if (!row || (row.thread.hiddenAt && !canSeeHidden(user))) return null;
  const replies = await db
    .select({
      id: forumReplies.id,
      authorId: forumReplies.authorId,
      authorName: users.displayName,
      bodyHtml: forumReplies.bodyHtml,
      bodyText: forumReplies.bodyText,
      createdAt: forumReplies.createdAt,
      updatedAt: forumReplies.updatedAt,
      hiddenAt: forumReplies.hiddenAt,
      hiddenReason: forumReplies.hiddenReason,
    })
    .from(forumReplies)
    .innerJoin(users, eq(users.id, forumReplies.authorId))
    .where(eq(forumReplies.threadId, threadId))
    .orderBy(asc(forumReplies.createdAt), asc(forumReplies.id));
  const moderator = canSeeHidden(user);
  const promotions = await promotionsOf(user, "forum", replies.map((r) => r.id), db);
  return {
    thread: { ...row.thread, body: row.thread.body as object },
    authorName: row.authorName,
    category: row.category,
    canAccept: await mayAccept(db, user, row.thread),
    replies: replies.map((r) => {
      const hidden = r.hiddenAt !== null && !moderator;
      return {
        ...r,
        bodyHtml: hidden ? "" : r.bodyHtml,
        bodyText: hidden || r.authorId !== user.id ? "" : r.bodyText,
        hidden: r.hiddenAt !== null,
        redacted: hidden,
        promotions: promotions.get(r.id) ?? [],
      };
    }),
  };
}

/** Where a reply lives (for links to a reply: answers' origins). */
export async function threadOfReply(replyId: string, db: DbOrTx = getDb()): Promise<string | null> {
  const [row] = await db.select({ threadId: forumReplies.threadId }).from(forumReplies).where(eq(forumReplies.id, replyId));
  return row?.threadId ?? null;
}
