import { sql } from "drizzle-orm";
import { index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { answers, answerVersions } from "./answers";
import { topics } from "./topics";
import { users } from "./users";

export const CHANNELS = ["phone", "email", "chat", "social"] as const;
export type Channel = (typeof CHANNELS)[number];
export const USE_KINDS = ["copy_short", "copy_full", "used"] as const;
export type UseKind = (typeof USE_KINDS)[number];

/** Help-desk tools call the API with these; only the SHA-256 of the token is kept. */
export const apiTokens = pgTable("api_tokens", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  /** The first characters, so an admin can tell tokens apart without seeing them. */
  prefix: text("prefix").notNull(),
  scopes: text("scopes").array().notNull(),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
});

/** Every copy and "used in reply": the reuse metric of an answer. */
export const answerUses = pgTable(
  "answer_uses",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    versionId: uuid("version_id").references(() => answerVersions.id, { onDelete: "set null" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    apiTokenId: uuid("api_token_id").references(() => apiTokens.id, { onDelete: "set null" }),
    kind: text("kind", { enum: USE_KINDS }).notNull(),
    channel: text("channel", { enum: CHANNELS }),
    /** The help-desk conversation (ticket id) the reply went to: one use per agent, answer and conversation. */
    conversation: text("conversation"),
    /** The search that led to it (the agent's final query and its session), for learning which answers fit which words. */
    searchSession: uuid("search_session"),
    searchQuery: text("search_query"),
    /** Set by "Undo": the row stays for the audit trail but counts nowhere. */
    undoneAt: timestamp("undone_at", { withTimezone: true }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("answer_uses_answer_idx").on(t.answerId, t.at), index("answer_uses_user_idx").on(t.userId, t.answerId, t.at), index("answer_uses_at_idx").on(t.at),
    // Insights' per-answer measures read a period's uses by an index-only scan of this.
    index("answer_uses_period_idx").on(t.at, t.answerId, t.channel).where(sql`${t.undoneAt} is null`), index("answer_uses_search_session_idx").on(t.searchSession).where(sql`${t.searchSession} is not null`)],
);

/** Searches that found nothing useful: the content gaps. */
export const failedSearches = pgTable(
  "failed_searches",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    query: text("query").notNull(),
    filters: jsonb("filters").$type<Record<string, unknown>>().notNull().default({}),
    results: integer("results").notNull(),
    /** "no_results", or "none_helped" when the agent said so. */
    reason: text("reason").notNull(),
    /** One row per search session (the agent typing one search), holding its final query. */
    sessionId: uuid("session_id").unique(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    apiTokenId: uuid("api_token_id").references(() => apiTokens.id, { onDelete: "set null" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
    /**
     * The wording failed searches are grouped by, kept beside `at` in a covering index (migration
     * 0022; drizzle cannot declare INCLUDE) so the dashboard's top failed queries are an
     * index-only scan instead of lower(btrim()) over every row of the period.
     */
    queryKey: text("query_key")
      .notNull()
      .generatedAlwaysAs(sql`lower(btrim(query))`),
  },
);

export const REQUEST_STATUSES = ["open", "drafting", "answered", "closed"] as const;

/** An answer someone needs and nobody has written yet: the closed loop from a failed search. */
export const answerRequests = pgTable(
  "answer_requests",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    question: text("question").notNull(),
    details: text("details").notNull().default(""),
    topicId: uuid("topic_id").references(() => topics.id, { onDelete: "set null" }),
    status: text("status", { enum: REQUEST_STATUSES }).notNull().default("open"),
    answerId: uuid("answer_id").references(() => answers.id, { onDelete: "set null" }),
    failedSearchId: uuid("failed_search_id").references(() => failedSearches.id, { onDelete: "set null" }),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    answeredAt: timestamp("answered_at", { withTimezone: true }),
  },
  (t) => [index("answer_requests_status_idx").on(t.status, t.createdAt), index("answer_requests_answer_idx").on(t.answerId)],
);

/** Everyone who asked (the requester and those who said "me too"), told when it is certified. */
export const answerRequestAskers = pgTable(
  "answer_request_askers",
  {
    requestId: uuid("request_id")
      .notNull()
      .references(() => answerRequests.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.requestId, t.userId] })],
);
