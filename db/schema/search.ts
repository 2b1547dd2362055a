import { customType, index, integer, jsonb, pgTable, primaryKey, real, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { SearchDocument } from "../../search/index";
import { users } from "./users";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * The embedded search index (search/postgres.ts): one row per searchable answer. `tsv` serves
 * phrase checks and highlights; ranking uses the postings below.
 */
export const searchDocuments = pgTable(
  "search_documents",
  {
    answerId: uuid("answer_id").primaryKey(),
    doc: jsonb("doc").$type<SearchDocument>().notNull(),
    topicIds: uuid("topic_ids").array().notNull(),
    tags: text("tags").array().notNull(),
    audience: text("audience").notNull(),
    /** Weighted: question and phrasings A, short answer B, full answer C. */
    tsv: tsvector("tsv").notNull(),
    length: integer("length").notNull(),
    indexedAt: timestamp("indexed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("search_documents_tsv_idx").using("gin", t.tsv)],
);

/**
 * An impact-ordered inverted index: for each stemmed term, each document's BM25 term weight
 * (field-weighted tf, length-normalised) precomputed at index time. A query reads only the best
 * postings of its few informative terms, so cost does not grow with the collection.
 */
export const searchPostings = pgTable(
  "search_postings",
  {
    term: text("term").notNull(),
    answerId: uuid("answer_id").notNull(),
    impact: real("impact").notNull(),
  },
  (t) => [primaryKey({ columns: [t.term, t.answerId] }), index("search_postings_term_impact_idx").on(t.term, t.impact.desc()), index("search_postings_answer_idx").on(t.answerId)],
);

/** Document frequency per term (for IDF) and the vocabulary that typos are corrected against. */
export const searchTerms = pgTable("search_terms", {
  term: text("term").primaryKey(),
  df: integer("df").notNull(),
});

/** Synonym groups, used by both engines: each group's words and phrases are interchangeable. */
export const searchSynonyms = pgTable(
  "search_synonyms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    terms: text("terms").array().notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
);

