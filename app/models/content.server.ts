import { and, eq, inArray, sql } from "drizzle-orm";
import type { JSONContent } from "@tiptap/core";
import { getDb, type DbOrTx } from "../../db/client.server";
import { answers, answerVersions, blogPosts, comments, forumReplies, forumThreads, mentions, users, wikiPages } from "../../db/schema";
import { can } from "../auth/policy";
import type { SessionUser } from "../auth/session.server";
import { renderDocument, validateDocument } from "../editor/document.server";
import { DomainError } from "../utils/errors";
import { notify } from "../notifications/notify.server";
import { recordAudit } from "./audit.server";
import type { HideInput } from "./content.schema";

/** Who acts: the signed-in user (routes) or a test's user. */
export type ContentActor = Pick<SessionUser, "id" | "roles"> & { displayName?: string };

/** Validates rich text against the shared editor schema and renders it once, as answers do. */
export function prepareBody(raw: unknown, field = "body"): { body: JSONContent; bodyHtml: string; bodyText: string } {
  const doc = validateDocument(raw);
  if (!doc.ok) throw new DomainError("bad_request", doc.message.replace(/^The answer/, "The text"), { field });
  const { html, text } = renderDocument(doc.doc);
  return { body: doc.doc, bodyHtml: html, bodyText: text };
}

export function requireAction(actor: ContentActor, action: "content.read" | "content.write" | "content.moderate", message: string): void {
  if (!can(actor.roles, action)) throw new DomainError("forbidden", message);
}

/** A moderator sees hidden content (marked); everyone else does not. */
export function canSeeHidden(user: Pick<SessionUser, "roles">): boolean {
  return can(user.roles, "content.moderate");
}

// @emma (the part of the email before @) or @emma@example.com. A preceding word character means
// an email address in running text, not a mention.
const MENTION = /(?<![\w.@])@([a-z0-9._%+-]+(?:@[a-z0-9-]+(?:\.[a-z0-9-]+)+)?)/gi;

export function mentionHandles(text: string): string[] {
  const handles = new Set<string>();
  for (const m of text.matchAll(MENTION)) handles.add(m[1]!.replace(/[.]+$/, "").toLowerCase());
  return [...handles].slice(0, 50);
}

/** Active users the handles name: a full email, or an email's local part when it is unambiguous. */
export async function resolveMentions(db: DbOrTx, text: string): Promise<string[]> {
  const handles = mentionHandles(text);
  if (handles.length === 0) return [];
  const emails = handles.filter((h) => h.includes("@"));
  const locals = handles.filter((h) => !h.includes("@"));
  const rows = await db
    .select({ id: users.id, email: users.email })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        sql`(${emails.length ? inArray(users.email, emails) : sql`false`} or ${
          locals.length ? inArray(sql`split_part(${users.email}, '@', 1)`, locals) : sql`false`
        })`,
      ),
    );
  const ids = new Set(rows.filter((r) => emails.includes(r.email)).map((r) => r.id));
  for (const local of locals) {
    const matches = rows.filter((r) => r.email.split("@")[0] === local);
    if (matches.length === 1) ids.add(matches[0]!.id);
  }
  return [...ids];
}

/**
 * Records the mentions in a comment or post and tells each newly mentioned user once: the
 * primary key (source, user) makes a repeated mention or a later edit notify nobody again.
 * Returns who was notified.
 */
export async function recordMentions(
  db: DbOrTx,
  input: { sourceType: string; sourceId: string; text: string; actor: ContentActor; title: string; link: string; at?: Date },
): Promise<string[]> {
  const ids = (await resolveMentions(db, input.text)).filter((id) => id !== input.actor.id);
  if (ids.length === 0) return [];
  const inserted = await db
    .insert(mentions)
    .values(ids.map((userId) => ({ sourceType: input.sourceType, sourceId: input.sourceId, userId, createdAt: input.at ?? new Date() })))
    .onConflictDoNothing()
    .returning({ userId: mentions.userId });
  const fresh = inserted.map((r) => r.userId);
  await notify(db, fresh, { kind: "mention", title: input.title, link: input.link, at: input.at, data: { sourceType: input.sourceType, sourceId: input.sourceId } });
  return fresh;
}

const HIDEABLE = {
  wiki: wikiPages,
  blog: blogPosts,
  thread: forumThreads,
  reply: forumReplies,
  comment: comments,
} as const;

/** Hides (or shows again) a piece of content; the reason and the moderator go to the audit log. */
export async function moderate(actor: ContentActor, input: HideInput, db: DbOrTx = getDb()): Promise<void> {
  requireAction(actor, "content.moderate", "Only moderators may hide content.");
  if (input.hidden && input.reason.length < 3) throw new DomainError("bad_request", "Say why it is hidden (at least 3 characters).", { field: "reason" });
  const table = HIDEABLE[input.kind];
  await db.transaction(async (tx) => {
    const updated = await tx
      .update(table)
      .set({ hiddenAt: input.hidden ? new Date() : null, hiddenReason: input.hidden ? input.reason : null })
      .where(eq(table.id, input.id))
      .returning({ id: table.id });
    if (updated.length === 0) throw new DomainError("not_found", "There is nothing to hide at this address.");
    await recordAudit(tx, {
      actorId: actor.id,
      action: input.hidden ? "content.hide" : "content.unhide",
      subjectType: input.kind,
      subjectId: input.id,
      data: input.hidden ? { reason: input.reason } : {},
    });
  });
}

export interface Promotion {
  answerId: string;
  question: string;
  state: string;
  certified: boolean;
}

/**
 * Answers promoted from this wiki page, blog post or forum reply. A certified one is shown to
 * every reader ("became answer X"); a draft only to the person who started it.
 */
export async function promotionsOf(user: Pick<SessionUser, "id">, type: "wiki" | "blog" | "forum", ids: string[], db: DbOrTx = getDb()): Promise<Map<string, Promotion[]>> {
  const out = new Map<string, Promotion[]>();
  if (ids.length === 0) return out;
  const rows = await db
    .select({
      answerId: answers.id,
      originId: sql<string>`${answers.origin}->>'id'`,
      createdBy: answers.createdBy,
      liveVersionId: answers.liveVersionId,
      question: answerVersions.question,
      state: answerVersions.state,
    })
    .from(answers)
    .innerJoin(answerVersions, eq(answerVersions.id, sql`coalesce(${answers.liveVersionId}, ${answers.openVersionId})`))
    .where(and(sql`${answers.origin}->>'type' = ${type}`, inArray(sql`${answers.origin}->>'id'`, ids)));
  for (const r of rows) {
    const certified = r.liveVersionId !== null && (r.state === "certified" || r.state === "reverification_due");
    if (!certified && r.createdBy !== user.id) continue;
    const list = out.get(r.originId) ?? [];
    list.push({ answerId: r.answerId, question: r.question, state: r.state, certified });
    out.set(r.originId, list);
  }
  return out;
}

/** Display names for ids (authors of lists). */
export async function namesOf(ids: string[], db: DbOrTx = getDb()): Promise<Map<string, string>> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return new Map();
  const rows = await db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, unique));
  return new Map(rows.map((r) => [r.id, r.name]));
}
