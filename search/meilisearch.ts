import { Meilisearch, type Index } from "meilisearch";
import type { SearchDocument, SearchIndex, SearchQuery, SearchResult } from "./index";
import { escapeHtml, informativeWords } from "./query";

export class SearchEngineError extends Error {
  override name = "SearchEngineError";
}

const PRE = "\u27e6";
const POST = "\u27e7";

function mark(text: unknown): string | undefined {
  if (typeof text !== "string" || !text.includes(PRE)) return undefined;
  return escapeHtml(text).replaceAll(PRE, "<mark>").replaceAll(POST, "</mark>");
}

const quote = (s: string) => `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;

/**
 * The Meilisearch adapter. Settings (searchable order, filters, typo tolerance, synonyms) are
 * applied when the index is configured; every write waits for its task so callers (the outbox)
 * know it landed. Errors become SearchEngineError so the outbox retries instead of crashing.
 */
export function createMeilisearchIndex(options: { host: string; apiKey?: string; indexUid?: string }): SearchIndex {
  const client = new Meilisearch({ host: options.host, ...(options.apiKey ? { apiKey: options.apiKey } : {}) });
  const index: Index<SearchDocument> = client.index<SearchDocument>(options.indexUid ?? "answers");
  let configured = false;

  async function wrap<T>(what: string, f: () => Promise<T>): Promise<T> {
    try {
      return await f();
    } catch (error) {
      throw new SearchEngineError(`Meilisearch ${what} failed: ${(error as Error).message}`);
    }
  }

  async function configure() {
    if (configured) return;
    await wrap("configuration", async () => {
      await client.createIndex(options.indexUid ?? "answers", { primaryKey: "id" }).waitTask().catch(() => undefined);
      await index
        .updateSettings({
          // Learned phrasings (agents' wordings) rank after the author's question and phrasings.
          searchableAttributes: ["question", "alternatives", "learnedPhrasings", "shortAnswer", "body"],
          filterableAttributes: ["topicIds", "tags", "audience", "state"],
          displayedAttributes: ["*"],
          typoTolerance: { enabled: true, minWordSizeForTypos: { oneTypo: 4, twoTypos: 8 } },
        })
        .waitTask();
    });
    configured = true;
  }

  return {
    engine: "meilisearch",
    async upsert(documents) {
      if (documents.length === 0) return;
      await configure();
      const full = documents.map((d) => ({ ...d, learnedPhrasings: d.learnedPhrasings ?? [] }));
      await wrap("indexing", () => index.addDocuments(full, { primaryKey: "id" }).waitTask());
    },
    async remove(ids) {
      if (ids.length === 0) return;
      await configure();
      await wrap("removal", () => index.deleteDocuments(ids).waitTask());
    },
    async search(query: SearchQuery): Promise<SearchResult> {
      await configure();
      const filter: string[] = [];
      if (query.audience) filter.push(`audience = ${quote(query.audience)}`);
      if (query.topicIds?.length) filter.push(`topicIds IN [${query.topicIds.map(quote).join(", ")}]`);
      if (query.tags?.length) filter.push(`tags IN [${query.tags.map(quote).join(", ")}]`);
      if (query.states?.length) filter.push(`state IN [${query.states.map(quote).join(", ")}]`);
      // Meilisearch reads only the first 10 words: give it the informative ones.
      const q = informativeWords(query.q, 10).join(" ");
      const result = await wrap("search", () =>
        index.search(q, {
          limit: Math.min(Math.max(query.limit ?? 10, 1), 50),
          offset: query.offset ?? 0,
          filter,
          matchingStrategy: "last",
          attributesToHighlight: ["question", "shortAnswer", "body"],
          attributesToCrop: ["body"],
          cropLength: 30,
          highlightPreTag: PRE,
          highlightPostTag: POST,
          showRankingScore: true,
        }),
      );
      return {
        total: result.estimatedTotalHits ?? result.hits.length,
        hits: result.hits.map((h) => {
          const formatted = (h as unknown as { _formatted?: Record<string, unknown> })._formatted ?? {};
          const { _formatted: _f, _rankingScore, ...doc } = h as unknown as SearchDocument & { _formatted?: unknown; _rankingScore?: number };
          return {
            document: doc as SearchDocument,
            score: _rankingScore ?? 0,
            highlights: { question: mark(formatted.question), shortAnswer: mark(formatted.shortAnswer), body: mark(formatted.body) },
          };
        }),
      };
    },
    async setSynonyms(groups) {
      await configure();
      // Meilisearch wants word → its synonyms; a group makes every member a synonym of the others.
      const synonyms: Record<string, string[]> = {};
      for (const group of groups) for (const term of group) synonyms[term] = group.filter((t) => t !== term);
      await wrap("synonyms", () => index.updateSynonyms(synonyms).waitTask());
    },
    async clear() {
      await configure();
      await wrap("clearing", () => index.deleteAllDocuments().waitTask());
    },
    async health() {
      try {
        await client.health();
        return { ok: true };
      } catch (error) {
        return { ok: false, detail: (error as Error).message };
      }
    },
  };
}
