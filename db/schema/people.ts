import { sql } from "drizzle-orm";
import { date, index, integer, pgTable, primaryKey, real, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { topics } from "./topics";
import { users } from "./users";

/** The evidence a person's expertise rests on, counted per topic and per product tag. */
export const EVIDENCE_KINDS = ["authored", "reviews", "accepted", "promoted", "uses", "helpful"] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/**
 * Expertise per person per topic (scope "topic", key = topic id) and per product tag (scope
 * "tag", key = the tag). Kept current incrementally: each domain event that is evidence adds to
 * its counters in the event's own transaction (app/models/expertise.server.ts), so no page view
 * ever scans history; `rebuildExpertise` recomputes it all from history for imports and repair.
 */
export const expertiseScores = pgTable(
  "expertise_scores",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    scope: text("scope", { enum: ["topic", "tag"] }).notNull(),
    key: text("key").notNull(),
    authored: integer("authored").notNull().default(0),
    reviews: integer("reviews").notNull().default(0),
    accepted: integer("accepted").notNull().default(0),
    promoted: integer("promoted").notNull().default(0),
    uses: integer("uses").notNull().default(0),
    helpful: integer("helpful").notNull().default(0),
    // Published on /people/rules; uses count up to 1,000 so one hugely used answer cannot outweigh a body of work.
    score: real("score").generatedAlwaysAs(
      sql`5 * authored + 3 * reviews + 3 * accepted + 2 * promoted + 0.1 * least(uses, 1000) + 0.5 * helpful`,
    ),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.scope, t.key] }), index("expertise_scores_scope_idx").on(t.scope, t.key, t.score)],
);

/** What earns reputation points; the rules are published on /people/rules. */
export const REPUTATION_KINDS = ["answer_certified", "answer_used", "helpful_rating", "accepted_reply", "flag_fixed", "review_on_time"] as const;
export type ReputationKind = (typeof REPUTATION_KINDS)[number];

/**
 * The reputation ledger: one row per award. `subject` makes an award once per thing (one answer
 * certified, one use, one rating…); the daily cap per kind is checked against `day`.
 */
export const reputationEvents = pgTable(
  "reputation_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: REPUTATION_KINDS }).notNull(),
    points: integer("points").notNull(),
    subject: text("subject").notNull(),
    topicId: uuid("topic_id").references(() => topics.id, { onDelete: "set null" }),
    day: date("day", { mode: "string" }).notNull(),
    at: timestamp("at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("reputation_events_once_idx").on(t.userId, t.kind, t.subject),
    index("reputation_events_day_idx").on(t.userId, t.kind, t.day),
    index("reputation_events_topic_idx").on(t.topicId, t.at),
  ],
);
