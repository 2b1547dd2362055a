import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { answers, answerVersions } from "./answers";
import { faqFeedback } from "./faq";
import { topics } from "./topics";
import { users } from "./users";

/** What a signed-in reader picks; "not_helpful" is a public FAQ "No" that came with a comment. */
export const READER_FLAG_REASONS = ["outdated", "incorrect", "unclear", "missing_information", "duplicate"] as const;
export const FLAG_REASONS = [...READER_FLAG_REASONS, "not_helpful"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
/** Where the reader was when they flagged: the feedback queue shows it, the insights count it. */
export const FEEDBACK_SOURCES = ["answer", "search", "panel", "faq"] as const;
export type FeedbackSource = (typeof FEEDBACK_SOURCES)[number];
/**
 * open → (owner starts a revision) in_revision → resolved when that revision is certified;
 * open | in_revision → dismissed with a reason.
 */
export const FLAG_STATUSES = ["open", "in_revision", "resolved", "dismissed"] as const;
export type FlagStatus = (typeof FLAG_STATUSES)[number];

/** Helpful / not helpful from a signed-in reader: one per person per answer version, changeable. */
export const answerRatings = pgTable(
  "answer_ratings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    versionId: uuid("version_id")
      .notNull()
      .references(() => answerVersions.id, { onDelete: "cascade" }),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    helpful: boolean("helpful").notNull(),
    source: text("source", { enum: FEEDBACK_SOURCES }).notNull().default("answer"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("answer_ratings_version_user_idx").on(t.versionId, t.userId),
    index("answer_ratings_answer_idx").on(t.answerId, t.createdAt),
    index("answer_ratings_user_idx").on(t.userId, t.createdAt),
    index("answer_ratings_created_idx").on(t.createdAt),
  ],
);

/**
 * "Flag a problem": a reader says a certified answer is wrong. Assigned to someone who must act
 * (the answer's owner, else the topic's experts see it in the topic's feedback queue).
 */
export const answerFlags = pgTable(
  "answer_flags",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    /** The live version the reader saw. */
    versionId: uuid("version_id")
      .notNull()
      .references(() => answerVersions.id, { onDelete: "cascade" }),
    /** The answer's first topic when flagged: the queue, the response target and the threshold are per topic. */
    topicId: uuid("topic_id").references(() => topics.id, { onDelete: "set null" }),
    reason: text("reason", { enum: FLAG_REASONS }).notNull(),
    comment: text("comment").notNull().default(""),
    duplicateOfAnswerId: uuid("duplicate_of_answer_id").references(() => answers.id, { onDelete: "set null" }),
    /** null: an anonymous public FAQ reader (then `faqFeedbackId` says which vote). */
    flaggedBy: uuid("flagged_by").references(() => users.id, { onDelete: "set null" }),
    faqFeedbackId: uuid("faq_feedback_id").references(() => faqFeedback.id, { onDelete: "set null" }),
    source: text("source", { enum: FEEDBACK_SOURCES }).notNull(),
    /** Who must act; null when the answer has no owner and the topic's experts share it. */
    assigneeId: uuid("assignee_id").references(() => users.id, { onDelete: "set null" }),
    status: text("status", { enum: FLAG_STATUSES }).notNull().default("open"),
    /** The revision started to fix it: the flag resolves when that version is certified. */
    revisionVersionId: uuid("revision_version_id").references(() => answerVersions.id, { onDelete: "set null" }),
    /** Who resolved (the revision's certifier) or dismissed it, and the dismissal's reason. */
    closedBy: uuid("closed_by").references(() => users.id, { onDelete: "set null" }),
    closeReason: text("close_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** First action on it (revision started or dismissed): "time to act" is measured to here. */
    actedAt: timestamp("acted_at", { withTimezone: true }),
    closedAt: timestamp("closed_at", { withTimezone: true }),
  },
  (t) => [
    index("answer_flags_answer_idx").on(t.answerId, t.status),
    index("answer_flags_topic_idx").on(t.topicId, t.status, t.createdAt),
    index("answer_flags_assignee_idx").on(t.assigneeId, t.status),
    index("answer_flags_flagger_idx").on(t.flaggedBy, t.createdAt),
    index("answer_flags_created_idx").on(t.createdAt),
    index("answer_flags_revision_idx").on(t.revisionVersionId).where(sql`${t.revisionVersionId} is not null`),
    check("answer_flags_comment_len", sql`char_length(${t.comment}) <= 2000`),
    check("answer_flags_close_reason_len", sql`char_length(${t.closeReason}) <= 1000`),
  ],
);

export type AnswerRating = typeof answerRatings.$inferSelect;
export type AnswerFlag = typeof answerFlags.$inferSelect;
