import { sql } from "drizzle-orm";
import { boolean, check, index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { answers, answerVersions } from "./answers";
import { topics } from "./topics";

/**
 * Readable public addresses /faq/<topic-slug>/<slug>. Every slug an answer ever had stays here
 * (current = false) so an old address keeps working as a 301 to the current one; a slug is
 * therefore unique per topic across history, and never handed to another answer.
 */
export const faqSlugs = pgTable(
  "faq_slugs",
  {
    topicId: uuid("topic_id")
      .notNull()
      .references(() => topics.id, { onDelete: "cascade" }),
    slug: text("slug").notNull(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    current: boolean("current").notNull().default(true),
    /** The live version the slug was derived from: a newer live version means "check the slug". */
    versionId: uuid("version_id").references(() => answerVersions.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.topicId, t.slug] }),
    uniqueIndex("faq_slugs_current_idx").on(t.answerId).where(sql`${t.current}`),
    // Every slug of an answer, current or not: the sync's "had one before?" and the cascade on delete.
    index("faq_slugs_answer_idx").on(t.answerId),
    check("faq_slugs_slug_format", sql`${t.slug} ~ '^[a-z0-9]+(-[a-z0-9]+)*$'`),
  ],
);

/**
 * "Was this helpful?" from the public FAQ (no sign-in). The address is kept only as a keyed
 * hash, for the per-address rate limit.
 */
export const faqFeedback = pgTable(
  "faq_feedback",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    versionId: uuid("version_id").references(() => answerVersions.id, { onDelete: "set null" }),
    helpful: boolean("helpful").notNull(),
    comment: text("comment"),
    ipHash: text("ip_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("faq_feedback_answer_idx").on(t.answerId, t.createdAt),
    index("faq_feedback_ip_idx").on(t.ipHash, t.answerId, t.createdAt),
    check("faq_feedback_comment_len", sql`char_length(${t.comment}) <= 1000`),
  ],
);

export type FaqSlug = typeof faqSlugs.$inferSelect;
