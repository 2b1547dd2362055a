import { sql } from "drizzle-orm";
import {
  bigserial,
  check,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { users } from "./users";

import { AUDIENCES } from "../../app/models/audience";

export { AUDIENCES, type Audience } from "../../app/models/audience";
export const audienceEnum = pgEnum("audience", AUDIENCES);

/** Where an answer came from (a wiki page, forum reply, import, answer request, …). */
export interface AnswerOrigin {
  type: "wiki" | "blog" | "forum" | "import" | "request";
  id: string;
  /** Shown to readers: "from the wiki page ‘Refunds’". */
  label?: string;
  importedBy?: string;
}

/**
 * An answer is one customer question and its single source of truth: a chain of versions, of
 * which at most one is live (certified or re-verification due) at a time.
 */
export const answers = pgTable(
  "answers",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    /** The version readers see: the certified one, or null until the first is certified. */
    liveVersionId: uuid("live_version_id"),
    /** The version being written or reviewed, if any: one at a time keeps the source single. */
    openVersionId: uuid("open_version_id"),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    origin: jsonb("origin").$type<AnswerOrigin>(),
    /** An external id for imported answers: re-importing the same id updates instead of duplicating. */
    externalId: text("external_id"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("answers_external_id_idx").on(t.externalId)],
);

/**
 * One version of an answer and its place in the approval workflow. The XState snapshot is the
 * source of the workflow state; `state` mirrors it for queue queries; `lockVersion` is the
 * optimistic-concurrency counter every edit and transition checks and bumps.
 */
export const answerVersions = pgTable(
  "answer_versions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    /** The certified version this one revises (for the reviewer's diff). */
    basedOnVersionId: uuid("based_on_version_id"),
    question: text("question").notNull(),
    alternatives: text("alternatives").array().notNull().default(sql`'{}'::text[]`),
    shortAnswer: text("short_answer").notNull().default(""),
    /** Tiptap JSON, validated against the editor schema. */
    body: jsonb("body").notNull(),
    /** Rendered once per save from `body` with the shared schema. */
    bodyHtml: text("body_html").notNull().default(""),
    bodyText: text("body_text").notNull().default(""),
    topicIds: uuid("topic_ids").array().notNull().default(sql`'{}'::uuid[]`),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    audience: audienceEnum("audience").notNull().default("internal"),
    state: text("state").notNull(),
    snapshot: jsonb("snapshot").notNull(),
    machineVersion: integer("machine_version").notNull(),
    /** Bumped by every write (save or transition): a save must name the one it started from. */
    lockVersion: integer("lock_version").notNull().default(1),
    /** Bumped by content saves only: a review decision must be about the content it was made on. */
    revision: integer("revision").notNull().default(1),
    ownerId: uuid("owner_id").references(() => users.id),
    certifiedBy: uuid("certified_by").references(() => users.id),
    certifiedAt: timestamp("certified_at", { withTimezone: true }),
    reverifyAt: timestamp("reverify_at", { withTimezone: true }),
    submittedAt: timestamp("submitted_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("answer_versions_answer_number_idx").on(t.answerId, t.number),
    index("answer_versions_state_idx").on(t.state, t.submittedAt),
    index("answer_versions_author_idx").on(t.authorId, t.state),
    index("answer_versions_topics_idx").using("gin", t.topicIds),
    index("answer_versions_reverify_idx").on(t.reverifyAt).where(sql`${t.state} = 'certified'`),
    index("answer_versions_certified_at_idx").on(t.certifiedAt).where(sql`${t.certifiedAt} is not null`),
    check("answer_versions_short_answer_len", sql`char_length(${t.shortAnswer}) <= 280`),
  ],
);

/** Every workflow transition and draft save: who, when, from, to, comment. Never deleted. */
export const answerEvents = pgTable(
  "answer_events",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    answerId: uuid("answer_id")
      .notNull()
      .references(() => answers.id, { onDelete: "cascade" }),
    versionId: uuid("version_id")
      .notNull()
      .references(() => answerVersions.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    /** null for the system (re-verification timer, superseding). */
    actorId: uuid("actor_id").references(() => users.id),
    event: text("event").notNull(),
    fromState: text("from_state"),
    toState: text("to_state").notNull(),
    comment: text("comment"),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("answer_events_answer_idx").on(t.answerId, t.at), index("answer_events_version_idx").on(t.versionId, t.at), index("answer_events_at_idx").on(t.at)],
);

/**
 * Search-index work written in the same transaction as the workflow change, drained by
 * search/outbox.ts. `seq` orders the rows per answer.
 */
export const searchOutbox = pgTable(
  "search_outbox",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    answerId: uuid("answer_id").notNull(),
    /** upsert: (re)index the answer's live version; remove: take it out of the index. */
    op: text("op", { enum: ["upsert", "remove"] }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    processedAt: timestamp("processed_at", { withTimezone: true }),
  },
  (t) => [index("search_outbox_pending_idx").on(t.nextAttemptAt).where(sql`${t.processedAt} is null`)],
);

/** A user's inbox: review requests, decisions, re-verification due, mentions, answered requests. */
export const notifications = pgTable(
  "notifications",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    link: text("link").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp("read_at", { withTimezone: true }),
    data: jsonb("data").$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index("notifications_user_idx").on(t.userId, t.createdAt)],
);

export type Answer = typeof answers.$inferSelect;
export type AnswerVersion = typeof answerVersions.$inferSelect;
export type AnswerEvent = typeof answerEvents.$inferSelect;
export type Notification = typeof notifications.$inferSelect;
