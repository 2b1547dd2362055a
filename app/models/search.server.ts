import { getDb } from "../../db/client.server";
import type { SearchIndex, SearchQuery, SearchResult } from "../../search/index";
import { createMeilisearchIndex } from "../../search/meilisearch";
import { drainOutbox, outboxLag } from "../../search/outbox";
import { createPostgresIndex } from "../../search/postgres";
import { getConfig } from "../../server/config";

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
export function searchAnswers(query: SearchQuery): Promise<SearchResult> {
  return getSearchIndex().search(query);
}

/** Loads the embedded engine's copy of the index ahead of the first search. */
export async function warmUpSearch(): Promise<void> {
  await getSearchIndex().warmUp?.();
}

export function drainSearchOutbox() {
  return drainOutbox(getDb(), getSearchIndex());
}

export function searchLag() {
  return outboxLag(getDb());
}
