import { and, asc, desc, eq, ilike, inArray, isNull, ne, sql } from "drizzle-orm";
import type { JSONContent } from "@tiptap/core";
import { getDb, rowsOf, type DbOrTx } from "../../db/client.server";
import { topics, users, wikiLinks, wikiPages, wikiRevisions } from "../../db/schema";
import type { SessionUser } from "../auth/session.server";
import { renderDocument } from "../editor/document.server";
import { DomainError } from "../utils/errors";
import type { WikiPageInput } from "./content.schema";
import { canSeeHidden, prepareBody, promotionsOf, requireAction, type ContentActor, type Promotion } from "./content.server";
import { sideBySide } from "./diff.server";

export const WIKI_PAGE_SIZE = 20;

// [[Page title]]: no brackets, bars or line breaks inside (titles may not contain them either).
const LINK = /\[\[([^[\]\n|]{1,200})\]\]/g;

/** The titles a text links to with [[…]], lower-cased and unique (the keys of wiki_links). */
export function linkKeys(text: string): string[] {
  return [...new Set([...text.matchAll(LINK)].map((m) => m[1]!.trim().toLowerCase()).filter(Boolean))];
}

/**
 * Turns [[Title]] in text nodes into links: to the page when it exists, else to "create it".
 * Works on the document, before the safe renderer escapes it, so a title can never inject HTML.
 */
export function resolveWikiLinks(doc: JSONContent, existing: Map<string, string>): JSONContent {
  const visit = (node: JSONContent): JSONContent => {
    if (!node.content) return node;
    const content: JSONContent[] = [];
    for (const child of node.content) {
      if (child.type !== "text" || !child.text || child.marks?.some((m) => m.type === "link" || m.type === "code") || !child.text.includes("[[")) {
        content.push(visit(child));
        continue;
      }
      let last = 0;
      for (const m of child.text.matchAll(LINK)) {
        const title = m[1]!.trim();
        if (!title) continue;
        if (m.index > last) content.push({ ...child, text: child.text.slice(last, m.index) });
        const id = existing.get(title.toLowerCase());
        const href = id ? `/wiki/${id}` : `/wiki/new?title=${encodeURIComponent(title)}`;
        const mark = { type: "link", attrs: { href, class: id ? "wiki-link" : "wiki-link missing", title: id ? null : `Create the page “${title}”` } };
        content.push({ ...child, text: title, marks: [...(child.marks ?? []), mark] });
        last = m.index + m[0].length;
      }
      if (last < child.text.length) content.push({ ...child, text: child.text.slice(last) });
    }
    return { ...node, content };
  };
  return visit(doc);
}

async function renderWithLinks(body: JSONContent, text: string, db: DbOrTx): Promise<string> {
  const keys = linkKeys(text);
  const rows = keys.length
    ? await db
        .select({ id: wikiPages.id, key: sql<string>`lower(${wikiPages.title})` })
        .from(wikiPages)
        .where(and(inArray(sql`lower(${wikiPages.title})`, keys), isNull(wikiPages.hiddenAt)))
    : [];
  return renderDocument(resolveWikiLinks(body, new Map(rows.map((r) => [r.key, r.id])))).html;
}

function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; cause?: { code?: string } };
  return e?.code === "23505" || e?.cause?.code === "23505";
}

async function assertTitleFree(db: DbOrTx, title: string, exceptId?: string) {
  const [taken] = await db
    .select({ id: wikiPages.id })
    .from(wikiPages)
    .where(and(eq(sql`lower(${wikiPages.title})`, title.toLowerCase()), exceptId ? ne(wikiPages.id, exceptId) : undefined));
  if (taken) throw new DomainError("conflict", `A page called “${title}” already exists; choose another title or edit that page.`, { field: "title", pageId: taken.id });
}

async function assertParent(db: DbOrTx, parentId: string | undefined, pageId?: string) {
  if (!parentId) return;
  if (parentId === pageId) throw new DomainError("bad_request", "A page cannot be its own parent.", { field: "parentId" });
  const [parent] = await db.select({ id: wikiPages.id }).from(wikiPages).where(eq(wikiPages.id, parentId));
  if (!parent) throw new DomainError("bad_request", "Choose the parent page from the list.", { field: "parentId" });
  if (!pageId) return;
  // The new parent must not sit below this page, or the tree would become a loop.
  const ancestors = rowsOf<{ id: string }>(
    await db.execute(sql`
      with recursive up(id, parent_id, depth) as (
        select id, parent_id, 0 from wiki_pages where id = ${parentId}
        union all
        select p.id, p.parent_id, up.depth + 1 from wiki_pages p join up on p.id = up.parent_id where up.depth < 100
      ) select id from up`),
  );
  if (ancestors.some((a) => a.id === pageId)) throw new DomainError("bad_request", "A page cannot move below one of its own sub-pages.", { field: "parentId" });
}

async function replaceLinks(db: DbOrTx, pageId: string, text: string) {
  await db.delete(wikiLinks).where(eq(wikiLinks.fromPageId, pageId));
  const keys = linkKeys(text).slice(0, 500);
  if (keys.length) await db.insert(wikiLinks).values(keys.map((toKey) => ({ fromPageId: pageId, toKey })));
}

async function assertTopics(db: DbOrTx, ids: string[]) {
  if (ids.length === 0) return;
  const rows = await db.select({ id: topics.id }).from(topics).where(inArray(topics.id, ids));
  if (rows.length !== new Set(ids).size) throw new DomainError("bad_request", "Choose topics from the list.", { field: "topicIds" });
}

/** Creates a page and its first revision. Any employee (content.write) may. */
export async function createWikiPage(actor: ContentActor, input: WikiPageInput, now = new Date(), db: DbOrTx = getDb()): Promise<{ id: string }> {
  requireAction(actor, "content.write", "Your role cannot write wiki pages.");
  const content = prepareBody(input.body);
  try {
    return await db.transaction(async (tx) => {
      await assertTitleFree(tx, input.title);
      await assertParent(tx, input.parentId);
      await assertTopics(tx, input.topicIds);
      const [page] = await tx
        .insert(wikiPages)
        .values({
          title: input.title,
          ...content,
          parentId: input.parentId ?? null,
          topicIds: [...new Set(input.topicIds)],
          tags: [...new Set(input.tags)],
          revision: 1,
          createdBy: actor.id,
          updatedBy: actor.id,
          createdAt: now,
          updatedAt: now,
        })
        .returning({ id: wikiPages.id });
      await tx.insert(wikiRevisions).values({ pageId: page!.id, number: 1, title: input.title, ...content, authorId: actor.id, summary: input.summary, createdAt: now });
      await replaceLinks(tx, page!.id, content.bodyText);
      return { id: page!.id };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("conflict", `A page called “${input.title}” already exists.`, { field: "title" });
    throw error;
  }
}

export interface WikiConflict {
  revision: number;
  title: string;
  body: JSONContent;
  bodyText: string;
  authorName: string;
  at: Date;
}

/**
 * Saves an edit as a new revision. The editor names the revision it started from; if the page
 * has moved on, nothing is written and a conflict carrying the current version is thrown, so
 * the second editor sees both texts and decides — never a silent overwrite.
 */
export async function saveWikiPage(
  actor: ContentActor,
  pageId: string,
  input: WikiPageInput & { baseRevision: number; restoredFrom?: number },
  now = new Date(),
  db: DbOrTx = getDb(),
): Promise<{ revision: number }> {
  requireAction(actor, "content.write", "Your role cannot edit wiki pages.");
  const content = prepareBody(input.body);
  try {
    return await db.transaction(async (tx) => {
      const [page] = await tx.select().from(wikiPages).where(eq(wikiPages.id, pageId)).for("update");
      if (!page || (page.hiddenAt && !canSeeHidden(actor))) throw new DomainError("not_found", "There is no wiki page at this address.");
      if (page.revision !== input.baseRevision) {
        const [current] = await tx
          .select({ title: wikiRevisions.title, body: wikiRevisions.body, bodyText: wikiRevisions.bodyText, authorName: users.displayName, at: wikiRevisions.createdAt })
          .from(wikiRevisions)
          .innerJoin(users, eq(users.id, wikiRevisions.authorId))
          .where(and(eq(wikiRevisions.pageId, pageId), eq(wikiRevisions.number, page.revision)));
        const conflict: WikiConflict = { revision: page.revision, ...(current as Omit<WikiConflict, "revision" | "body"> & { body: JSONContent }) };
        throw new DomainError(
          "conflict",
          `${conflict.authorName} saved this page (revision ${page.revision}) after you started editing revision ${input.baseRevision}. Nothing was overwritten: compare both versions below.`,
          { field: "form", conflict },
        );
      }
      await assertTitleFree(tx, input.title, pageId);
      // A hidden parent is not in this editor's list of parents, so the form sends none: keep it
      // rather than silently move the page to the top of the tree.
      let parentId = input.parentId;
      if (!parentId && page.parentId && !canSeeHidden(actor)) {
        const [parent] = await tx.select({ hiddenAt: wikiPages.hiddenAt }).from(wikiPages).where(eq(wikiPages.id, page.parentId));
        if (parent?.hiddenAt) parentId = page.parentId;
      }
      await assertParent(tx, parentId, pageId);
      await assertTopics(tx, input.topicIds);
      const number = page.revision + 1;
      await tx
        .insert(wikiRevisions)
        .values({ pageId, number, title: input.title, ...content, authorId: actor.id, summary: input.summary, restoredFrom: input.restoredFrom ?? null, createdAt: now });
      await tx
        .update(wikiPages)
        .set({
          title: input.title,
          ...content,
          parentId: parentId ?? null,
          topicIds: [...new Set(input.topicIds)],
          tags: [...new Set(input.tags)],
          revision: number,
          updatedBy: actor.id,
          updatedAt: now,
        })
        .where(eq(wikiPages.id, pageId));
      await replaceLinks(tx, pageId, content.bodyText);
      return { revision: number };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("conflict", `A page called “${input.title}” already exists.`, { field: "title" });
    throw error;
  }
}

/** Makes an old revision current again by saving it as a new revision (history only grows). */
export async function restoreWikiRevision(actor: ContentActor, pageId: string, number: number, baseRevision: number, now = new Date(), db: DbOrTx = getDb()) {
  requireAction(actor, "content.write", "Your role cannot edit wiki pages.");
  const [old] = await db
    .select()
    .from(wikiRevisions)
    .where(and(eq(wikiRevisions.pageId, pageId), eq(wikiRevisions.number, number)));
  if (!old) throw new DomainError("not_found", "There is no such revision.");
  const [page] = await db.select().from(wikiPages).where(eq(wikiPages.id, pageId));
  if (!page) throw new DomainError("not_found", "There is no wiki page at this address.");
  return saveWikiPage(
    actor,
    pageId,
    {
      title: old.title,
      body: old.body as object,
      parentId: page.parentId ?? undefined,
      topicIds: page.topicIds,
      tags: page.tags,
      summary: `Restored revision ${number}`,
      baseRevision,
      restoredFrom: number,
    },
    now,
    db,
  );
}

export async function listWikiPages(user: Pick<SessionUser, "roles">, opts: { page: number; q?: string }, db: DbOrTx = getDb()) {
  const where = and(canSeeHidden(user) ? undefined : isNull(wikiPages.hiddenAt), opts.q ? ilike(wikiPages.title, `%${opts.q.replace(/[%_\\]/g, "\\$&")}%`) : undefined);
  const [rows, [total]] = await Promise.all([
    db
      .select({ id: wikiPages.id, title: wikiPages.title, parentId: wikiPages.parentId, updatedAt: wikiPages.updatedAt, updatedByName: users.displayName, revision: wikiPages.revision, hiddenAt: wikiPages.hiddenAt })
      .from(wikiPages)
      .innerJoin(users, eq(users.id, wikiPages.updatedBy))
      .where(where)
      .orderBy(desc(wikiPages.updatedAt), asc(wikiPages.id))
      .limit(WIKI_PAGE_SIZE)
      .offset((opts.page - 1) * WIKI_PAGE_SIZE),
    db.select({ n: sql<number>`count(*)::int` }).from(wikiPages).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** Pages that may be chosen as a parent (all visible pages, by title). */
export async function wikiParentOptions(db: DbOrTx = getDb()) {
  return db.select({ id: wikiPages.id, title: wikiPages.title }).from(wikiPages).where(isNull(wikiPages.hiddenAt)).orderBy(asc(wikiPages.title)).limit(1000);
}

export interface WikiPageView {
  page: {
    id: string;
    title: string;
    parentId: string | null;
    revision: number;
    topicIds: string[];
    tags: string[];
    body: JSONContent;
    hiddenAt: Date | null;
    hiddenReason: string | null;
    createdByName: string;
  };
  shown: { number: number; title: string; html: string; authorName: string; at: Date; summary: string };
  breadcrumbs: { id: string; title: string }[];
  children: { id: string; title: string }[];
  backlinks: { id: string; title: string }[];
  topicNames: string[];
  promotions: Promotion[];
}

/** Everything the page shows: the current text or an older revision, its place in the tree, backlinks. */
export async function getWikiPage(user: Pick<SessionUser, "id" | "roles">, pageId: string, revisionNumber?: number, db: DbOrTx = getDb()): Promise<WikiPageView | null> {
  const [page] = await db.select().from(wikiPages).where(eq(wikiPages.id, pageId));
  if (!page || (page.hiddenAt && !canSeeHidden(user))) return null;
  const [rev] = await db
    .select({ number: wikiRevisions.number, title: wikiRevisions.title, body: wikiRevisions.body, bodyText: wikiRevisions.bodyText, authorName: users.displayName, at: wikiRevisions.createdAt, summary: wikiRevisions.summary })
    .from(wikiRevisions)
    .innerJoin(users, eq(users.id, wikiRevisions.authorId))
    .where(and(eq(wikiRevisions.pageId, pageId), eq(wikiRevisions.number, revisionNumber ?? page.revision)));
  if (!rev) return null;
  const visible = canSeeHidden(user) ? undefined : isNull(wikiPages.hiddenAt);
  const [breadcrumbs, children, backlinks, topicRows, creator, promotions, html] = await Promise.all([
    rowsOf<{ id: string; title: string; depth: number; hidden: boolean }>(
      await db.execute(sql`
        with recursive up(id, title, parent_id, hidden, depth) as (
          select id, title, parent_id, hidden_at is not null, 0 from wiki_pages where id = ${page.parentId}
          union all
          select p.id, p.title, p.parent_id, p.hidden_at is not null, up.depth + 1 from wiki_pages p join up on p.id = up.parent_id where up.depth < 20
        ) select id, title, hidden, depth from up order by depth desc`),
    ),
    db.select({ id: wikiPages.id, title: wikiPages.title }).from(wikiPages).where(and(eq(wikiPages.parentId, pageId), visible)).orderBy(asc(wikiPages.title)),
    db
      .select({ id: wikiPages.id, title: wikiPages.title })
      .from(wikiLinks)
      .innerJoin(wikiPages, eq(wikiPages.id, wikiLinks.fromPageId))
      .where(and(eq(wikiLinks.toKey, page.title.toLowerCase()), ne(wikiPages.id, pageId), visible))
      .orderBy(asc(wikiPages.title)),
    page.topicIds.length ? db.select({ name: topics.name }).from(topics).where(inArray(topics.id, page.topicIds)) : Promise.resolve([]),
    db.select({ name: users.displayName }).from(users).where(eq(users.id, page.createdBy)),
    promotionsOf(user, "wiki", [pageId], db),
    renderWithLinks(rev.body as JSONContent, rev.bodyText, db),
  ]);
  return {
    page: {
      id: page.id,
      title: page.title,
      parentId: page.parentId,
      revision: page.revision,
      topicIds: page.topicIds,
      tags: page.tags,
      body: page.body as JSONContent,
      hiddenAt: page.hiddenAt,
      hiddenReason: page.hiddenReason,
      createdByName: creator[0]?.name ?? "",
    },
    shown: { number: rev.number, title: rev.title, html, authorName: rev.authorName, at: rev.at, summary: rev.summary },
    // A hidden ancestor is left out of the trail for whoever may not see it: its title is what hiding hides.
    breadcrumbs: breadcrumbs.filter((b) => !b.hidden || canSeeHidden(user)).map(({ id, title }) => ({ id, title })),
    children,
    backlinks,
    topicNames: topicRows.map((t) => t.name),
    promotions: promotions.get(pageId) ?? [],
  };
}

export async function listWikiRevisions(pageId: string, db: DbOrTx = getDb()) {
  return db
    .select({ number: wikiRevisions.number, title: wikiRevisions.title, authorName: users.displayName, at: wikiRevisions.createdAt, summary: wikiRevisions.summary, restoredFrom: wikiRevisions.restoredFrom })
    .from(wikiRevisions)
    .innerJoin(users, eq(users.id, wikiRevisions.authorId))
    .where(eq(wikiRevisions.pageId, pageId))
    .orderBy(desc(wikiRevisions.number));
}

/** A word diff of title and text between two revisions of a page. */
export async function diffWikiRevisions(pageId: string, from: number, to: number, db: DbOrTx = getDb()) {
  const rows = await db
    .select({ number: wikiRevisions.number, title: wikiRevisions.title, bodyText: wikiRevisions.bodyText })
    .from(wikiRevisions)
    .where(and(eq(wikiRevisions.pageId, pageId), inArray(wikiRevisions.number, [from, to])));
  const a = rows.find((r) => r.number === from);
  const b = rows.find((r) => r.number === to);
  if (!a || !b) return null;
  return { from, to, diff: sideBySide(`${a.title}\n\n${a.bodyText}`, `${b.title}\n\n${b.bodyText}`) };
}

/** The page for a [[title]] (case-insensitive), for links typed by hand. */
export async function wikiPageIdByTitle(title: string, db: DbOrTx = getDb()): Promise<string | null> {
  const [row] = await db.select({ id: wikiPages.id }).from(wikiPages).where(eq(sql`lower(${wikiPages.title})`, title.trim().toLowerCase()));
  return row?.id ?? null;
}

/** What the conflict page shows: the current revision and the editor's text, side by side. */
export function conflictView(conflict: WikiConflict, yours: { title: string; body: unknown }) {
  const mine = prepareBody(yours.body);
  return {
    current: { revision: conflict.revision, title: conflict.title, authorName: conflict.authorName, at: conflict.at, bodyText: conflict.bodyText },
    yours: { title: yours.title, body: mine.body, bodyText: mine.bodyText },
    diff: sideBySide(`${conflict.title}\n\n${conflict.bodyText}`, `${yours.title}\n\n${mine.bodyText}`),
  };
}
