import { sql } from "drizzle-orm";
import { bigint, customType, index, integer, jsonb, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import type { SearchDocument } from "../../search/index";
import { users } from "./users";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const bytea = customType<{ data: Buffer }>({ dataType: () => "bytea" });

/**
 * The embedded search index (search/postgres.ts): one row per searchable answer, its text made
 * into weighted lexemes by PostgreSQL's `english` configuration. Every app process ranks over a
 * copy of these rows in memory (search/resident.ts) and keeps it current by `seq`: each write
 * takes the next version from search_state, so "rows with seq > mine" is everything it missed.
 */
export const searchDocuments = pgTable(
  "search_documents",
  {
    answerId: uuid("answer_id").primaryKey(),
    doc: jsonb("doc").$type<SearchDocument>().notNull(),
    topicIds: uuid("topic_ids").array().notNull(),
    tags: text("tags").array().notNull(),
    audience: text("audience").notNull(),
    state: text("state").notNull().default("certified"),
    /** Weighted: question and phrasings A, short answer B, full answer C, learned phrasings D. */
    tsv: tsvector("tsv").notNull(),
    seq: bigint("seq", { mode: "number" }).notNull().default(0),
    indexedAt: timestamp("indexed_at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * Meaning vectors of the question and author phrasings (search/vector-store.ts packs them),
     * computed by the search-vectors job after the row is written; null until then, and again
     * when those texts change (vectors_of is the md5 of the texts they were computed from).
     */
    vectors: bytea("vectors"),
    vectorsOf: text("vectors_of"),
  },
  (t) => [index("search_documents_seq_idx").on(t.seq), index("search_documents_unvectored_idx").on(t.answerId).where(sql`vectors is null`)],
);

/** Answers that left the index, and when (seq): other processes drop them from their copy. */
export const searchRemoved = pgTable(
  "search_removed",
  {
    answerId: uuid("answer_id").primaryKey(),
    seq: bigint("seq", { mode: "number" }).notNull(),
  },
  (t) => [index("search_removed_seq_idx").on(t.seq)],
);

/**
 * One row: the index version (the last write's seq; the row lock orders writers), the epoch
 * (bumped when the index is emptied: copies start over) and the synonyms' version.
 */
export const searchState = pgTable("search_state", {
  id: integer("id").primaryKey().default(1),
  version: bigint("version", { mode: "number" }).notNull().default(0),
  epoch: bigint("epoch", { mode: "number" }).notNull().default(0),
  synonymsVersion: bigint("synonyms_version", { mode: "number" }).notNull().default(0),
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

