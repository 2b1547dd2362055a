import { and, eq, gt, inArray } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { DbOrTx } from "../db/client.server";
import { answers, answerVersions, topics, users } from "../db/schema";
import type { SearchDocument } from "./index";

/** Only these states are ever searchable; drafts, archived and superseded versions never are. */
export const SEARCHABLE_STATES = ["certified", "reverification_due"] as const;

/**
 * The one mapping from a certified answer to a search document. Returns documents for the
 * answers whose live version is searchable; an id missing from the result should leave the index.
 */
export async function loadDocuments(db: DbOrTx, answerIds: string[]): Promise<SearchDocument[]> {
  if (answerIds.length === 0) return [];
  const certifier = alias(users, "certifier");
  const rows = await db
    .select({
      id: answers.id,
      versionId: answerVersions.id,
      question: answerVersions.question,
      alternatives: answerVersions.alternatives,
      shortAnswer: answerVersions.shortAnswer,
      body: answerVersions.bodyText,
      topicIds: answerVersions.topicIds,
      tags: answerVersions.tags,
      audience: answerVersions.audience,
      state: answerVersions.state,
      certifiedByName: certifier.displayName,
      certifiedAt: answerVersions.certifiedAt,
      reverifyAt: answerVersions.reverifyAt,
    })
    .from(answers)
    .innerJoin(answerVersions, eq(answerVersions.id, answers.liveVersionId))
    .leftJoin(certifier, eq(certifier.id, answerVersions.certifiedBy))
    .where(and(inArray(answers.id, answerIds), inArray(answerVersions.state, [...SEARCHABLE_STATES])));
  const topicIds = [...new Set(rows.flatMap((r) => r.topicIds))];
  const names = topicIds.length ? await db.select({ id: topics.id, name: topics.name }).from(topics).where(inArray(topics.id, topicIds)) : [];
  return rows.map((r) => ({
    ...r,
    state: r.state as SearchDocument["state"],
    topicNames: r.topicIds.map((id) => names.find((n) => n.id === id)?.name ?? ""),
    certifiedAt: r.certifiedAt?.toISOString() ?? null,
    reverifyAt: r.reverifyAt?.toISOString() ?? null,
  }));
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
