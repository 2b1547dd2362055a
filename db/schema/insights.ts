import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { answerVersions } from "./answers";
import { users } from "./users";

/**
 * Every search an agent typed (one row per search session, holding its final words), not only
 * the failed ones: findability needs the denominator. `topicIds` attributes the search to a topic
 * (the topic it was filtered to, else the topics of its top hit) so an expert's dashboard can
 * count the searches that landed in their topics.
 */
export const searchLog = pgTable(
  "search_log",
  {
    sessionId: uuid("session_id").primaryKey(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    query: text("query").notNull(),
    results: integer("results").notNull(),
    topicIds: uuid("topic_ids").array().notNull().default(sql`'{}'::uuid[]`),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("search_log_at_idx").on(t.at), check("search_log_query_len", sql`char_length(${t.query}) <= 500`)],
);

/** A review or certification that passed its topic's target and was escalated: once per version and state. */
export const reviewEscalations = pgTable(
  "review_escalations",
  {
    versionId: uuid("version_id")
      .notNull()
      .references(() => answerVersions.id, { onDelete: "cascade" }),
    state: text("state").notNull(),
    escalatedAt: timestamp("escalated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.state] })],
);
