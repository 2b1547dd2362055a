import { sql } from "drizzle-orm";
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { answers, answerVersions } from "./answers";
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

/**
 * Hourly counts behind the dashboard's findability, reuse and flow figures, per exact topic set
 * (the topics of the search or of the version used), so a period sums a few thousand rows instead
 * of scanning millions of events, and a scope (`topic_ids && scope`) still counts each event once.
 * Kept by the insights-rollup job: hours before `insights_rollup_state.through` are final except
 * the last two days, which every run recomputes (a use can link a search after the fact); the
 * dashboard reads the raw tables for the rest of a period.
 */
export const insightsHourly = pgTable(
  "insights_hourly",
  {
    hour: timestamp("hour", { withTimezone: true }).notNull(),
    topicIds: uuid("topic_ids").array().notNull(),
    searches: integer("searches").notNull().default(0),
    noResult: integer("no_result").notNull().default(0),
    linked: integer("linked").notNull().default(0),
    uses: integer("uses").notNull().default(0),
    submitted: integer("submitted").notNull().default(0),
    certified: integer("certified").notNull().default(0),
    becameDue: integer("became_due").notNull().default(0),
    reverified: integer("reverified").notNull().default(0),
    /** First versions certified: new answers (reuse vs create). */
    newCertified: integer("new_certified").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.hour, t.topicIds] })],
);

/** Each finished stay of a version in a workflow state (time in state, review turnaround), kept by the same job. */
export const insightsStays = pgTable(
  "insights_stays",
  {
    versionId: uuid("version_id")
      .notNull()
      .references(() => answerVersions.id, { onDelete: "cascade" }),
    state: text("state").notNull(),
    enteredAt: timestamp("entered_at", { withTimezone: true }).notNull(),
    leftAt: timestamp("left_at", { withTimezone: true }).notNull(),
    topicIds: uuid("topic_ids").array().notNull(),
    /**
     * The stay in whole seconds: the percentiles sort these integers, read from a covering index
     * on (left_at) include (state, seconds) that migration 0022 adds (drizzle cannot declare
     * INCLUDE), instead of fetching every row to compute a float8.
     */
    seconds: integer("seconds")
      .notNull()
      .generatedAlwaysAs(sql`extract(epoch from (left_at - entered_at))::integer`),
  },
  (t) => [primaryKey({ columns: [t.versionId, t.leftAt, t.state] })],
);

/** How far the rollups reach: everything before `through` is in them (one row, name = 'hourly'). */
export const insightsRollupState = pgTable("insights_rollup_state", {
  name: text("name").primaryKey(),
  through: timestamp("through", { withTimezone: true }).notNull(),
  ranAt: timestamp("ran_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * An answer opened from a search (its page, reached from a result): with the uses of the same
 * search session it shows the answers agents open and then do not use. One row per session and answer.
 */
export const answerOpens = pgTable(
  "answer_opens",
  {
    sessionId: uuid("session_id").notNull(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sessionId, t.answerId] }), index("answer_opens_at_idx").on(t.at)],
);

/**
 * Per answer, its uses in each preset window of the dashboard (last 7, 30 and 90 days up to the
 * job's run), by channel: the per-answer measures (never used, most used per channel, internal
 * answers used a lot) read a few thousand rows here instead of grouping a quarter's uses on every
 * page view. Only answers used in the window have a row. Rebuilt by the insights-rollup job.
 */
export const insightsAnswerUsage = pgTable(
  "insights_answer_usage",
  {
    windowDays: integer("window_days").notNull(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    /** The window is [windowFrom, computedAt): its first local midnight and the job's run. */
    windowFrom: timestamp("window_from", { withTimezone: true }).notNull(),
    computedAt: timestamp("computed_at", { withTimezone: true }).notNull(),
    topicIds: uuid("topic_ids").array().notNull(),
    internal: boolean("internal").notNull(),
    question: text("question").notNull(),
    uses: integer("uses").notNull(),
    phone: integer("phone").notNull().default(0),
    email: integer("email").notNull().default(0),
    chat: integer("chat").notNull().default(0),
    social: integer("social").notNull().default(0),
    unknown: integer("unknown").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.windowDays, t.answerId] })],
);

/** The health panel's counts as they stand, per exact topic set of the live versions; rebuilt by the job. */
export const insightsHealthNow = pgTable("insights_health_now", {
  topicIds: uuid("topic_ids").array().primaryKey(),
  certified: integer("certified").notNull(),
  due: integer("due").notNull(),
  archived: integer("archived").notNull(),
  unowned: integer("unowned").notNull(),
  computedAt: timestamp("computed_at", { withTimezone: true }).notNull(),
});

/** The per-answer measures of each preset window for every topic (the knowledge managers' view), as the job last computed them. */
export const insightsUsageSummary = pgTable("insights_usage_summary", {
  windowDays: integer("window_days").primaryKey(),
  windowFrom: timestamp("window_from", { withTimezone: true }).notNull(),
  computedAt: timestamp("computed_at", { withTimezone: true }).notNull(),
  summary: jsonb("summary").notNull(),
});
