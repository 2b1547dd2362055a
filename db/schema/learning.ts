import { sql } from "drizzle-orm";
import { boolean, check, index, integer, pgTable, text, timestamp, unique, uuid } from "drizzle-orm/pg-core";
import { answers } from "./answers";
import { answerUses } from "./agent";
import { users } from "./users";

export const PHRASING_STATUSES = ["learned", "promoted", "rejected"] as const;
export type PhrasingStatus = (typeof PHRASING_STATUSES)[number];

/**
 * Wordings agents searched with before using an answer (app/learning/phrasings.server.ts): the
 * evidence that the query asks that answer's question. Indexed (tsvector weight D, Meilisearch
 * attribute `learnedPhrasings`) once enough distinct agents taught it; `rejected` stays so it is
 * never learned again; `learned` rows unused for LEARNING_MAX_AGE_DAYS age out.
 */
export const learnedPhrasings = pgTable(
  "learned_phrasings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    /** Lower case, letters and digits only, single spaces (normalizePhrasing). */
    phrasing: text("phrasing").notNull(),
    /** Distinct agents (users, or API tokens per conversation) whose live uses taught it. */
    agents: integer("agents").notNull().default(0),
    conversations: integer("conversations").notNull().default(0),
    status: text("status", { enum: PHRASING_STATUSES }).notNull().default("learned"),
    /** In the index: not rejected, and taught by at least LEARNING_MIN_AGENTS (as of its last count). */
    active: boolean("active").notNull().default(false),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull().defaultNow(),
    decidedBy: uuid("decided_by").references(() => users.id, { onDelete: "set null" }),
    decidedAt: timestamp("decided_at", { withTimezone: true }),
  },
  (t) => [
    unique("learned_phrasings_answer_phrasing_uq").on(t.answerId, t.phrasing),
    index("learned_phrasings_status_idx").on(t.status, t.lastSeenAt),
    index("learned_phrasings_active_idx").on(t.answerId).where(sql`${t.active}`),
    check("learned_phrasings_len", sql`char_length(${t.phrasing}) between 1 and 200`),
  ],
);

/** One row per use that taught a phrasing: what the distinct agents and conversations are counted from. */
export const phrasingEvidence = pgTable(
  "phrasing_evidence",
  {
    phrasingId: uuid("phrasing_id")
      .notNull()
      .references(() => learnedPhrasings.id, { onDelete: "cascade" }),
    useId: uuid("use_id")
      .primaryKey()
      .references(() => answerUses.id, { onDelete: "cascade" }),
    /** `user:<id>`, or `token:<id>:<conversation>` for a help-desk tool that does not say who. */
    teacher: text("teacher").notNull(),
    conversation: text("conversation"),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("phrasing_evidence_phrasing_idx").on(t.phrasingId)],
);
