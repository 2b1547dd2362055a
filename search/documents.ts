import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../db/client.server";
import { answers, answerVersions } from "../db/schema";
import type { SearchDocument } from "./index";

/** Only these states are ever searchable; drafts, archived and superseded versions never are. */
export const SEARCHABLE_STATES = ["certified", "reverification_due"] as const;

/** The most-taught learned phrasings a document carries (the rest wait for a place). */
export const LEARNED_PER_DOCUMENT = 30;

const ISO = (column: string) => sql.raw(`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);

/**
 * The one mapping from a certified answer to a search document. Returns documents for the
 * answers whose live version is searchable; an id missing from the result should leave the index.
 * One statement whatever the batch (imports index thousands at a time).
 */
export async function loadDocuments(db: DbOrTx, answerIds: string[]): Promise<SearchDocument[]> {
  if (answerIds.length === 0) return [];
  const rows = rowsOf<SearchDocument>(
    await db.execute(sql`
      select a.id, v.id as "versionId", v.question, v.alternatives,
        (select coalesce(array_agg(p.phrasing order by p.agents desc, p.phrasing), '{}'::text[]) from (
           select p.phrasing, p.agents from learned_phrasings p
           where p.answer_id = a.id and p.active and not exists (select 1 from unnest(v.alternatives) alt where lower(alt) = p.phrasing)
             and lower(v.question) <> p.phrasing
           order by p.agents desc, p.phrasing limit ${LEARNED_PER_DOCUMENT}) p) as "learnedPhrasings",
        v.short_answer as "shortAnswer", v.body_text as body,
        v.topic_ids as "topicIds",
        (select coalesce(array_agg(coalesce(t.name, '') order by u.ord), '{}'::text[])
           from unnest(v.topic_ids) with ordinality as u(id, ord) left join topics t on t.id = u.id) as "topicNames",
        v.tags, v.audience::text as audience, v.state, c.display_name as "certifiedByName",
        ${ISO("v.certified_at")} as "certifiedAt", ${ISO("v.reverify_at")} as "reverifyAt"
      from answers a
      join answer_versions v on v.id = a.live_version_id
      left join users c on c.id = v.certified_by
      where a.id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(answerIds)}::jsonb))
        and v.state in (${sql.join(SEARCHABLE_STATES.map((s) => sql`${s}`), sql`, `)})`),
  );
  return rows;
}

/** Every searchable answer's id, in pages, for a full reindex. */
export async function searchableAnswerIds(db: DbOrTx, afterId: string | null, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: answers.id })
    .from(answers)
    .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
    .where(and(inArray(answerVersions.state, [...SEARCHABLE_STATES]), afterId ? gt(answers.id, afterId) : undefined))
    .orderBy(answers.id)
    .limit(limit);
  return rows.map((r) => r.id);
}
