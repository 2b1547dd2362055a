import { and, eq, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../../db/client.server";
import { answers, answerVersions, faqSlugs } from "../../db/schema";

const MAX_SLUG = 80;

/** "How do I get a refund?" → "how-do-i-get-a-refund": ASCII, lower case, at most 80 characters, cut at a word. */
export function slugify(text: string): string {
  const ascii = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/['’]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  let slug = ascii;
  if (slug.length > MAX_SLUG) {
    slug = slug.slice(0, MAX_SLUG);
    const cut = slug.lastIndexOf("-");
    if (cut > 20) slug = slug.slice(0, cut);
    slug = slug.replace(/-+$/g, "");
  }
  return slug || "answer";
}

/**
 * Keeps the answer's public address in step with its live version: called in the transaction
 * that certifies (re-verifies, restores) it. The address is the slug of the question in the
 * answer's first topic; when the question (or the first topic) changes, a new slug becomes
 * current and the old ones stay as redirects. Internal, uncertified and topic-less answers get
 * none (they never appear on the FAQ). Idempotent.
 */
export async function refreshFaqSlug(tx: DbOrTx, answerId: string): Promise<string | null> {
  const [live] = await tx
    .select({ versionId: answerVersions.id, question: answerVersions.question, topicIds: answerVersions.topicIds, audience: answerVersions.audience, state: answerVersions.state })
    .from(answers)
    .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
    .where(eq(answers.id, answerId));
  if (!live || live.audience !== "public" || !["certified", "reverification_due"].includes(live.state)) return null;
  const topicId = live.topicIds[0];
  if (!topicId) return null;
  const base = slugify(live.question);
  const [current] = await tx.select().from(faqSlugs).where(and(eq(faqSlugs.answerId, answerId), eq(faqSlugs.current, true)));
  if (current && current.topicId === topicId && (current.slug === base || current.slug.startsWith(`${base}-`))) {
    // Same question (possibly with a suffix won against a twin): the address does not move.
    if (current.slug === base || /^-\d+$/.test(current.slug.slice(base.length))) {
      if (current.versionId !== live.versionId) await tx.update(faqSlugs).set({ versionId: live.versionId }).where(and(eq(faqSlugs.topicId, topicId), eq(faqSlugs.slug, current.slug)));
      return current.slug;
    }
  }
  await tx.update(faqSlugs).set({ current: false }).where(and(eq(faqSlugs.answerId, answerId), eq(faqSlugs.current, true)));
  for (let n = 1; n <= 200; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    const inserted = await tx
      .insert(faqSlugs)
      .values({ topicId, slug: candidate, answerId, current: true, versionId: live.versionId })
      .onConflictDoNothing()
      .returning({ slug: faqSlugs.slug });
    if (inserted.length > 0) return candidate;
    // Taken: by this answer earlier (take it back) or by another (try the next suffix).
    const reused = await tx
      .update(faqSlugs)
      .set({ current: true, versionId: live.versionId })
      .where(and(eq(faqSlugs.topicId, topicId), eq(faqSlugs.slug, candidate), eq(faqSlugs.answerId, answerId)))
      .returning({ slug: faqSlugs.slug });
    if (reused.length > 0) return candidate;
  }
  const fallback = `${base.slice(0, 60).replace(/-+$/, "")}-${answerId.slice(0, 8)}`;
  await tx.insert(faqSlugs).values({ topicId, slug: fallback, answerId, current: true, versionId: live.versionId });
  return fallback;
}

/**
 * Gives every public live answer whose slug was derived from an older version (or that has none,
 * e.g. certified before this table existed, or imported in bulk) its current slug. Cheap when all
 * is in step: one anti-join. Answers that never had a slug (the bulk case: an import of 100,000)
 * get theirs in batches of inserts; the rest, and any slug already taken in the table, go one by one through
 * refreshFaqSlug, which knows about renames and suffixes. Run at server start, before an export,
 * and inside an import's transaction (so the answers and their addresses appear together).
 */
export async function syncFaqSlugs(db: DbOrTx): Promise<number> {
  const stale = rowsOf<{ id: string; versionId: string; question: string; topicId: string; hasSlug: boolean }>(
    await db.execute(sql`
      select a.id, v.id as "versionId", v.question, v.topic_ids[1] as "topicId",
        exists (select 1 from faq_slugs s where s.answer_id = a.id) as "hasSlug"
      from answers a
      join answer_versions v on v.id = a.live_version_id
      where v.audience = 'public' and v.state in ('certified', 'reverification_due') and cardinality(v.topic_ids) > 0
        and not exists (select 1 from faq_slugs s where s.answer_id = a.id and s.current and s.version_id = a.live_version_id)
      order by a.id`),
  );
  const oneByOne = stale.filter((r) => r.hasSlug).map((r) => r.id);
  const fresh = stale.filter((r) => !r.hasSlug);
  // Twins (same topic and question) take -2, -3, … in order, as refreshFaqSlug would give them.
  const taken = new Set<string>();
  for (let i = 0; i < fresh.length; i += 1000) {
    const batch = fresh.slice(i, i + 1000);
    const rows = batch.map((r) => {
      const base = slugify(r.question);
      let slug = base;
      for (let n = 2; taken.has(`${r.topicId}/${slug}`); n++) slug = `${base}-${n}`;
      taken.add(`${r.topicId}/${slug}`);
      return { topic_id: r.topicId, slug, answer_id: r.id, version_id: r.versionId };
    });
    const inserted = rowsOf<{ answer_id: string }>(
      await db.execute(sql`
        insert into faq_slugs (topic_id, slug, answer_id, current, version_id)
        select x.topic_id, x.slug, x.answer_id, true, x.version_id
        from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(topic_id uuid, slug text, answer_id uuid, version_id uuid)
        on conflict do nothing
        returning answer_id`),
    );
    const done = new Set(inserted.map((r) => r.answer_id));
    for (const r of rows) if (!done.has(r.answer_id)) oneByOne.push(r.answer_id);
  }
  for (const id of oneByOne) await db.transaction((tx) => refreshFaqSlug(tx, id));
  return stale.length;
}
