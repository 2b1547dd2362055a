import type { Audience } from "../app/models/audience";

/**
 * The search port. Everything that searches or feeds the index talks to this interface; the
 * adapters (search/postgres.ts, the embedded default, and search/meilisearch.ts) implement it
 * and one contract suite checks both.
 */

/** One certified answer as the index holds it (built only by search/documents.ts). */
export interface SearchDocument {
  /** The answer id (stable across versions). */
  id: string;
  versionId: string;
  question: string;
  alternatives: string[];
  /** Wordings agents searched with before using this answer (app/learning): indexed below the author's phrasings. */
  learnedPhrasings?: string[];
  shortAnswer: string;
  /** The full answer as plain text. */
  body: string;
  topicIds: string[];
  topicNames: string[];
  tags: string[];
  audience: Audience;
  state: "certified" | "reverification_due";
  certifiedByName: string | null;
  certifiedAt: string | null;
  reverifyAt: string | null;
}

export interface SearchQuery {
  q: string;
  topicIds?: string[];
  tags?: string[];
  audience?: Audience;
  /** Only documents in these states (the public FAQ wants `certified` alone); default: both. */
  states?: SearchDocument["state"][];
  limit?: number;
  offset?: number;
  /**
   * The query was submitted (Enter, a pasted message, a link), not caught while typing: its last
   * word is complete and is not widened to the words it starts (*up* is not *upload*).
   */
  submitted?: boolean;
}

export interface SearchHit {
  document: SearchDocument;
  score: number;
  /** HTML-safe snippets (text escaped) with matches wrapped in <mark>. */
  highlights: { question?: string; shortAnswer?: string; body?: string };
}

export interface SearchResult {
  hits: SearchHit[];
  /** Estimated total of matching documents. */
  total: number;
}

export interface SearchIndex {
  readonly engine: "postgres" | "meilisearch";
  /** Adds or replaces documents by id. Idempotent. */
  upsert(documents: SearchDocument[]): Promise<void>;
  /** Removes documents by id; unknown ids are ignored. */
  remove(ids: string[]): Promise<void>;
  search(query: SearchQuery): Promise<SearchResult>;
  /** Replaces the synonym groups (each group's words are interchangeable). */
  setSynonyms(groups: string[][]): Promise<void>;
  /** Empties the index (reindex starts from here). */
  clear(): Promise<void>;
  health(): Promise<{ ok: boolean; detail?: string }>;
  /** Gets ready to answer quickly (the embedded engine loads its copy); optional. */
  warmUp?(): Promise<void>;
  /**
   * Computes the meaning vectors of up to `limit` indexed answers that lack them (the embedded
   * engine; search/sentence-encoder.ts) and returns how many it did: 0 when none are left, or
   * when another instance is computing them at the moment.
   */
  embedPending?(limit?: number): Promise<number>;
  /** The copy this process keeps in memory, for the embedded engine (readiness and metrics). */
  residentCopy?(): ResidentCopyStats;
}

export interface ResidentCopyStats {
  loaded: boolean;
  documents: number;
  /** The index version the copy has caught up to. */
  version: number;
  /** When the copy was last loaded whole / last caught up (ms since the epoch), or null. */
  loadedAt: number | null;
  caughtUpAt: number | null;
  /** When a freshly loaded copy had put its long posting lists in impact order (its first queries are slower until then), or null. */
  preparedAt?: number | null;
}
