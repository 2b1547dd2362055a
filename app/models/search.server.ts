import { sql, type SQL } from "drizzle-orm";
import { getDb, rowsOf, type DbOrTx } from "../../db/client.server";
import { loadDocuments } from "../../search/documents";
import type { Audience } from "./audience";
import type { SearchIndex, SearchQuery, SearchResult } from "../../search/index";
import { createMeilisearchIndex } from "../../search/meilisearch";
import { drainOutbox, outboxLag } from "../../search/outbox";
import { createPostgresIndex } from "../../search/postgres";
import { semanticSearchEnabled } from "../../search/sentence-encoder";
import { getConfig } from "../../server/config";
import { observeSearch } from "../../server/metrics";

const key = Symbol.for("vetted.search-index");
type G = typeof globalThis & { [key]?: SearchIndex };

/** The configured engine: Meilisearch when MEILI_URL is set, else the embedded PostgreSQL index. */
export function getSearchIndex(): SearchIndex {
  const g = globalThis as G;
  if (!g[key]) {
    const config = getConfig();
    g[key] = config.meiliUrl
      ? createMeilisearchIndex({ host: config.meiliUrl, ...(config.meiliKey ? { apiKey: config.meiliKey } : {}) })
      : createPostgresIndex(getDb);
  }
  return g[key];
}

/** Tests and tools swap the engine (e.g. one that fails, to check the outbox). */
export function setSearchIndex(index: SearchIndex | undefined): void {
  (globalThis as G)[key] = index;
}

/** Searches certified answers: the index only ever holds certified and re-verification-due ones. */
export async function searchAnswers(query: SearchQuery): Promise<SearchResult> {
  const index = getSearchIndex();
  const started = performance.now();
  try {
    return await index.search(query);
  } finally {
    observeSearch(index.engine, (performance.now() - started) / 1000);
  }
}

/** Loads the embedded engine's copy of the index ahead of the first search. */
export async function warmUpSearch(): Promise<void> {
  await getSearchIndex().warmUp?.();
}

export function drainSearchOutbox() {
  return drainOutbox(getDb(), getSearchIndex());
}

/**
 * Gives newly indexed answers their meaning vectors, a batch at a time for up to a second and a
 * half per run. The encoder has a thread of its own (search/sentence-encoder.ts); the small batches
 * keep queries that arrive meanwhile from waiting long behind it, and each batch commits on its own.
 */
export async function embedSearchVectors(budgetMs = 1500): Promise<number> {
  const index = getSearchIndex();
  if (!index.embedPending) return 0;
  const started = performance.now();
  let total = 0;
  for (let n = await index.embedPending(8); n > 0 && performance.now() - started < budgetMs; n = await index.embedPending(8)) total += n;
  return total;
}

/** Indexed answers still without meaning vectors (they rank by their words until the job reaches them). */
export async function vectorsPending(db: DbOrTx = getDb()): Promise<number> {
  if (getSearchIndex().engine !== "postgres" || !semanticSearchEnabled()) return 0;
  const [row] = rowsOf<{ n: number | string }>(await db.execute(sql`select count(*) as n from search_documents where vectors is null`));
  return Number(row?.n ?? 0);
}

export function searchLag() {
  return outboxLag(getDb());
}

/** The embedded engine's committed index version (what every instance's copy catches up to). */
export async function searchIndexVersion(db: DbOrTx = getDb()): Promise<number | null> {
  const [row] = rowsOf<{ version: number | string }>(await db.execute(sql`select version from search_state where id = 1`));
  return row ? Number(row.version) : null;
}

/**
 * Browsing without words: the certified answers of a topic or tag, most used first (uses that
 * were not undone), then newest. Read from the database, whichever engine searches, so the
 * count is exact and every counted answer can be paged to.
 */
export async function browseCertified(
  filter: { topicId?: string | undefined; tag?: string | undefined; audience?: Audience | undefined },
  page: { limit: number; offset: number },
  db: DbOrTx = getDb(),
): Promise<SearchResult> {
  const where = sql.join(
    [
      sql`v.state in ('certified', 'reverification_due')`,
      filter.topicId ? sql`${filter.topicId}::uuid = any(v.topic_ids)` : sql`true`,
      filter.tag ? sql`${filter.tag} = any(v.tags)` : sql`true`,
      filter.audience ? sql`v.audience = ${filter.audience}` : sql`true`,
    ],
    sql` and `,
  );
  const rows = rowsOf<{ id: string; total: number }>(
    await db.execute(sql`
      select a.id, count(*) over () as total
      from answers a
      join answer_versions v on v.id = a.live_version_id
      left join (select answer_id, count(*) as n from answer_uses where kind = 'used' and undone_at is null group by answer_id) u on u.answer_id = a.id
      where ${where}
      order by coalesce(u.n, 0) desc, v.certified_at desc nulls last, a.id
      limit ${page.limit} offset ${page.offset}`),
  );
  const total = rows.length > 0 ? Number(rows[0]!.total) : page.offset > 0 ? await countCertified(where, db) : 0;
  const documents = await loadDocuments(db, rows.map((r) => r.id));
  const byId = new Map(documents.map((d) => [d.id, d]));
  return { hits: rows.flatMap((r) => (byId.has(r.id) ? [{ document: byId.get(r.id)!, score: 0, highlights: {} }] : [])), total };
}

async function countCertified(where: SQL, db: DbOrTx): Promise<number> {
  const [row] = rowsOf<{ n: number }>(await db.execute(sql`select count(*) as n from answers a join answer_versions v on v.id = a.live_version_id where ${where}`));
  return Number(row?.n ?? 0);
}
