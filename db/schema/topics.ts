import { relations } from "drizzle-orm";
import { index, integer, pgTable, primaryKey, text, timestamp, uuid, check } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { users } from "./users";

export const topics = pgTable(
  "topics",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    slug: text("slug").notNull().unique(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    /** How many distinct expert approvals a draft in this topic needs. */
    requiredApprovals: integer("required_approvals").notNull().default(1),
    /** Default re-verification interval for answers certified in this topic. */
    reverifyIntervalDays: integer("reverify_interval_days").notNull().default(180),
    /** Working days within which an open flag should be acted on (the feedback queue shows its age against it). */
    flagResponseDays: integer("flag_response_days").notNull().default(2),
    /** Open flags from this many distinct people move a certified answer to re-verification due. */
    flagThreshold: integer("flag_threshold").notNull().default(3),
    /** Working days a draft may wait in review, or an approved one for certification, before it is escalated. */
    reviewTargetDays: integer("review_target_days").notNull().default(2),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check("topics_required_approvals_range", sql`${t.requiredApprovals} between 1 and 10`),
    check("topics_reverify_interval_range", sql`${t.reverifyIntervalDays} between 1 and 3650`),
    check("topics_flag_response_days_range", sql`${t.flagResponseDays} between 1 and 60`),
    check("topics_flag_threshold_range", sql`${t.flagThreshold} between 1 and 100`),
    check("topics_review_target_days_range", sql`${t.reviewTargetDays} between 1 and 60`),
  ],
);

/** Which users are experts of which topics: they review drafts there. */
export const expertise = pgTable(
  "expertise",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    topicId: uuid("topic_id")
      .notNull()
      .references(() => topics.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.topicId] }), index("expertise_topic_idx").on(t.topicId)],
);

export const topicsRelations = relations(topics, ({ many }) => ({ expertise: many(expertise) }));
export const expertiseRelations = relations(expertise, ({ one }) => ({
  user: one(users, { fields: [expertise.userId], references: [users.id] }),
  topic: one(topics, { fields: [expertise.topicId], references: [topics.id] }),
}));

export type Topic = typeof topics.$inferSelect;
