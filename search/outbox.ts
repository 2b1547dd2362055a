import { and, asc, count, inArray, isNull, lte, min, sql } from "drizzle-orm";
import type { Db } from "../db/client.server";
import { searchOutbox } from "../db/schema";
import { loadDocuments, searchableAnswerIds } from "./documents";
import type { SearchIndex } from "./index";

/** A claimed batch stays invisible to other workers this long; a worker that dies is retried after it. */
const LEASE_MS = 60_000;
const MAX_BACKOFF_MS = 5 * 60_000;

export function backoffMs(attempts: number): number {
  return Math.min(1000 * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
}

/**
 * Applies pending outbox rows to the index. Rows are claimed with FOR UPDATE SKIP LOCKED and a
 * lease, so several workers (processes) can drain at once; the index is then brought to the
 * answer's *current* state (searchable → upsert, otherwise → remove), which makes every row
 * idempotent and order-insensitive. A failing engine leaves the rows pending with exponential
 * backoff: nothing is lost, and the index catches up when the engine is back.
 */
export async function drainOutbox(db: Db, index: SearchIndex, options: { batch?: number; now?: Date } = {}): Promise<{ applied: number; failed: number }> {
  const now = options.now ?? new Date();
  const claimed = await db.transaction(async (tx) => {
    const rows = await tx
      .select({ seq: searchOutbox.seq, answerId: searchOutbox.answerId, attempts: searchOutbox.attempts })
      .from(searchOutbox)
      .where(and(isNull(searchOutbox.processedAt), lte(searchOutbox.nextAttemptAt, now)))
      .orderBy(asc(searchOutbox.seq))
      .limit(options.batch ?? 200)
      .for("update", { skipLocked: true });
    if (rows.length > 0) {
      await tx
        .update(searchOutbox)
        .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS), attempts: sql`${searchOutbox.attempts} + 1` })
        .where(inArray(searchOutbox.seq, rows.map((r) => r.seq)));
    }
    return rows;
  });
  if (claimed.length === 0) return { applied: 0, failed: 0 };
  const ids = [...new Set(claimed.map((r) => r.answerId))];
  const seqs = claimed.map((r) => r.seq);
  try {
    const documents = await loadDocuments(db, ids);
    const present = new Set(documents.map((d) => d.id));
    await index.upsert(documents);
    await index.remove(ids.filter((id) => !present.has(id)));
    await db.update(searchOutbox).set({ processedAt: new Date(), lastError: null }).where(inArray(searchOutbox.seq, seqs));
    return { applied: claimed.length, failed: 0 };
  } catch (error) {
    const attempts = Math.max(...claimed.map((r) => r.attempts)) + 1;
    await db
      .update(searchOutbox)
      .set({ nextAttemptAt: new Date(now.getTime() + backoffMs(attempts)), lastError: String((error as Error).message ?? error).slice(0, 1000) })
      .where(inArray(searchOutbox.seq, seqs));
    return { applied: 0, failed: claimed.length };
  }
}

/** Drains until nothing is due (or a batch fails). */
export async function drainAll(db: Db, index: SearchIndex): Promise<number> {
  let total = 0;
  for (;;) {
    // Larger batches than the timer's: this is for catching up (imports, start-up).
    const { applied, failed } = await drainOutbox(db, index, { batch: 1000 });
    total += applied;
    if (applied === 0 || failed > 0) return total;
  }
}

/**
 * Computes every missing meaning vector (the embedded engine's; Meilisearch has none). The server
 * does this in the background (the search-vectors job); tools that measure ranking call it so
 * they measure the ranking agents get once it has caught up.
 */
export async function embedAll(index: SearchIndex): Promise<number> {
  let total = 0;
  for (let n = await (index.embedPending?.() ?? 0); n > 0; n = await index.embedPending!()) total += n;
  return total;
}

/** How far the index is behind: pending rows and the age of the oldest, for /health and admins. */
export async function outboxLag(db: Db, now = new Date()): Promise<{ pending: number; oldestSeconds: number; failing: number }> {
  const [row] = await db.select({ n: count(), oldest: min(searchOutbox.createdAt) }).from(searchOutbox).where(isNull(searchOutbox.processedAt));
  const [failing] = await db
    .select({ n: count() })
    .from(searchOutbox)
    .where(and(isNull(searchOutbox.processedAt), sql`${searchOutbox.lastError} is not null`));
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return { pending: row?.n ?? 0, oldestSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0, failing: failing?.n ?? 0 };
}

/** Rebuilds the index from the database, the source of truth. Returns the number of documents. */
export async function reindex(db: Db, index: SearchIndex, onProgress?: (done: number) => void): Promise<number> {
  await index.clear();
  let after: string | null = null;
  let done = 0;
  for (;;) {
    const ids = await searchableAnswerIds(db, after, 500);
    if (ids.length === 0) break;
    await index.upsert(await loadDocuments(db, ids));
    done += ids.length;
    after = ids[ids.length - 1]!;
    onProgress?.(done);
  }
  // Pending outbox rows stay: they re-apply the current state, which is harmless.
  return done;
}

