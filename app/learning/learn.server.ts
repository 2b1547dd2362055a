import { and, eq, sql } from "drizzle-orm";
import { rowsOf, type DbOrTx } from "../../db/client.server";
import { learnedPhrasings, phrasingEvidence, searchOutbox } from "../../db/schema";

/**
 * Search that learns from agents: a use recorded after a search is evidence that the search's
 * wording asks that answer's question. Each (answer, normalised query) is a learned phrasing;
 * it is indexed (search/documents.ts → tsvector weight D, Meilisearch `learnedPhrasings`) once
 * LEARNING_MIN_AGENTS distinct agents taught it with uses that were not undone. A user counts
 * once however many conversations they used it in, so one agent repeating a use cannot teach; a
 * help-desk tool's API token that does not say who is typing counts once per conversation.
 * Rejected phrasings keep their row and are never learned again. Everything here runs inside
 * the transaction that records (or undoes) the use, and a change of what is indexed puts an
 * outbox row in that same transaction, so the index follows reliably.
 */

export interface LearningSettings {
  /** Distinct agents needed before a phrasing is indexed (LEARNING_MIN_AGENTS, default 2, never below 2). */
  minAgents: number;
  /** A learned phrasing nobody taught for this many days leaves (LEARNING_MAX_AGE_DAYS, default 180). */
  maxAgeDays: number;
}

function intFrom(value: string | undefined, fallback: number, min: number, max: number): number {
  const n = Number(value);
  return Number.isInteger(n) ? Math.min(Math.max(n, min), max) : fallback;
}

/** Read at each call, so an operator's change applies without a restart (and tests can set it). */
export function learningSettings(env: NodeJS.ProcessEnv = process.env): LearningSettings {
  return { minAgents: intFrom(env.LEARNING_MIN_AGENTS, 2, 2, 1000), maxAgeDays: intFrom(env.LEARNING_MAX_AGE_DAYS, 180, 1, 3650) };
}

/** Longest wording worth learning: beyond it a query is a pasted message, not a phrasing. */
export const PHRASING_MAX_WORDS = 12;
export const PHRASING_MAX_CHARS = 200;

/** Lower case, letters and digits only, single spaces; null when it is no phrasing (empty, one letter, a pasted message). */
export function normalizePhrasing(query: string | null | undefined): string | null {
  if (!query) return null;
  const text = query.normalize("NFKC").toLowerCase().replace(/[^\p{L}\p{N}]+/gu, " ").trim();
  if (text.length < 2 || text.length > PHRASING_MAX_CHARS) return null;
  if (text.split(" ").length > PHRASING_MAX_WORDS) return null;
  return text;
}

function teacherOf(use: { userId?: string | null; apiTokenId?: string | null; conversation?: string | null }): string | null {
  if (use.userId) return `user:${use.userId}`;
  if (use.apiTokenId) return `token:${use.apiTokenId}:${use.conversation ?? ""}`;
  return null;
}

async function reindexLater(tx: DbOrTx, answerId: string, now: Date): Promise<void> {
  await tx.insert(searchOutbox).values({ answerId, op: "upsert", createdAt: now, nextAttemptAt: now });
}

/** Counts a phrasing's live evidence again; returns whether it is indexed now and was before. */
export async function recountPhrasing(tx: DbOrTx, phrasingId: string, settings = learningSettings()): Promise<{ answerId: string; active: boolean; was: boolean } | null> {
  const [row] = rowsOf<{ answer_id: string; active: boolean; was: boolean }>(
    await tx.execute(sql`
      with old as (select active from learned_phrasings where id = ${phrasingId}),
      c as (select count(distinct e.teacher)::int as agents, count(distinct e.conversation)::int as conversations
            from phrasing_evidence e join answer_uses u on u.id = e.use_id
            where e.phrasing_id = ${phrasingId} and u.undone_at is null)
      update learned_phrasings p set agents = c.agents, conversations = c.conversations,
        active = (p.status <> 'rejected' and c.agents >= ${settings.minAgents})
      from c where p.id = ${phrasingId}
      returning p.answer_id, p.active, (select active from old) as was`),
  );
  return row ? { answerId: row.answer_id, active: row.active, was: row.was } : null;
}

export interface TeachingUse {
  useId: string;
  answerId: string;
  userId?: string | null;
  apiTokenId?: string | null;
  conversation?: string | null;
  searchQuery?: string | null;
  at: Date;
}

/** Learns from one recorded use, inside its transaction. Returns the phrasing's id, or null when nothing was learned. */
export async function learnFromUse(tx: DbOrTx, use: TeachingUse, settings = learningSettings()): Promise<string | null> {
  const phrasing = normalizePhrasing(use.searchQuery);
  const teacher = teacherOf(use);
  if (!phrasing || !teacher) return null;
  const [row] = await tx
    .insert(learnedPhrasings)
    .values({ answerId: use.answerId, phrasing, firstSeenAt: use.at, lastSeenAt: use.at })
    .onConflictDoUpdate({
      target: [learnedPhrasings.answerId, learnedPhrasings.phrasing],
      set: { lastSeenAt: sql`greatest(${learnedPhrasings.lastSeenAt}, excluded.last_seen_at)` },
      // A rejected phrasing is never learned again: no evidence, no count, no index.
      setWhere: sql`${learnedPhrasings.status} <> 'rejected'`,
    })
    .returning({ id: learnedPhrasings.id });
  if (!row) return null;
  await tx.insert(phrasingEvidence).values({ phrasingId: row.id, useId: use.useId, teacher, conversation: use.conversation ?? null, at: use.at }).onConflictDoNothing();
  const counted = await recountPhrasing(tx, row.id, settings);
  if (counted && counted.active !== counted.was) await reindexLater(tx, use.answerId, use.at);
  return row.id;
}

/** An undone use stops counting, inside the undo's transaction. */
export async function forgetUse(tx: DbOrTx, useId: string, now: Date, settings = learningSettings()): Promise<void> {
  const taught = await tx.select({ phrasingId: phrasingEvidence.phrasingId }).from(phrasingEvidence).where(eq(phrasingEvidence.useId, useId));
  for (const t of taught) {
    const counted = await recountPhrasing(tx, t.phrasingId, settings);
    if (counted && counted.active !== counted.was) await reindexLater(tx, counted.answerId, now);
  }
}

/**
 * The ageing job's work: learned phrasings nobody taught for `maxAgeDays` leave (their answers
 * are reindexed), and every phrasing's indexed flag follows the current LEARNING_MIN_AGENTS.
 * Promoted and rejected rows stay: the first are the history of an edit, the second a decision.
 */
export async function agePhrasings(tx: DbOrTx, now = new Date(), settings = learningSettings()): Promise<{ aged: number; changed: number }> {
  const cutoff = new Date(now.getTime() - settings.maxAgeDays * 86_400_000);
  const aged = rowsOf<{ answer_id: string; active: boolean }>(
    await tx.execute(sql`delete from learned_phrasings where status = 'learned' and last_seen_at < ${cutoff.toISOString()}::timestamptz returning answer_id, active`),
  );
  const changed = rowsOf<{ answer_id: string }>(
    await tx.execute(sql`
      update learned_phrasings set active = (status <> 'rejected' and agents >= ${settings.minAgents})
      where active is distinct from (status <> 'rejected' and agents >= ${settings.minAgents}) returning answer_id`),
  );
  const answers = new Set([...aged.filter((a) => a.active).map((a) => a.answer_id), ...changed.map((c) => c.answer_id)]);
  for (const answerId of answers) await reindexLater(tx, answerId, now);
  return { aged: aged.length, changed: changed.length };
}

/** The phrasings an answer's search document carries (search/documents.ts reads the same rule in SQL). */
export async function activePhrasings(tx: DbOrTx, answerId: string): Promise<string[]> {
  const rows = await tx
    .select({ phrasing: learnedPhrasings.phrasing })
    .from(learnedPhrasings)
    .where(and(eq(learnedPhrasings.answerId, answerId), eq(learnedPhrasings.active, true)));
  return rows.map((r) => r.phrasing);
}
