import { sql } from "drizzle-orm";
import { type AnyPgColumn, index, integer, jsonb, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { topics } from "./topics";
import { users } from "./users";

/**
 * Blog, wiki and forum: where employees develop answers together. Every body is Tiptap JSON
 * validated against the shared editor schema, stored with its rendered HTML and plain text.
 * Moderation hides (never deletes): `hiddenAt` + `hiddenReason`, and the audit log says who.
 */
const richText = () => ({
  body: jsonb("body").notNull(),
  bodyHtml: text("body_html").notNull().default(""),
  bodyText: text("body_text").notNull().default(""),
});

const moderation = () => ({
  hiddenAt: timestamp("hidden_at", { withTimezone: true }),
  hiddenReason: text("hidden_reason"),
});

const stamps = () => ({
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** A wiki page: the current text (a copy of its newest revision) in a page tree. */
export const wikiPages = pgTable(
  "wiki_pages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    parentId: uuid("parent_id").references((): AnyPgColumn => wikiPages.id, { onDelete: "set null" }),
    title: text("title").notNull(),
    ...richText(),
    topicIds: uuid("topic_ids").array().notNull().default(sql`'{}'::uuid[]`),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    /** The number of the newest revision: an edit must name the one it started from. */
    revision: integer("revision").notNull().default(1),
    createdBy: uuid("created_by")
      .notNull()
      .references(() => users.id),
    updatedBy: uuid("updated_by")
      .notNull()
      .references(() => users.id),
    ...moderation(),
    ...stamps(),
  },
  (t) => [
    // Titles are the targets of [[links]]: one page per title, whatever the case.
    uniqueIndex("wiki_pages_title_key").on(sql`lower(${t.title})`),
    index("wiki_pages_parent_idx").on(t.parentId),
    index("wiki_pages_updated_idx").on(t.updatedAt),
  ],
);

/** Every save of a wiki page, never changed afterwards. Restoring copies an old one as a new one. */
export const wikiRevisions = pgTable(
  "wiki_revisions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    pageId: uuid("page_id")
      .notNull()
      .references(() => wikiPages.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    title: text("title").notNull(),
    ...richText(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    /** What the author said about the change; "Restored revision N" for restores. */
    summary: text("summary").notNull().default(""),
    restoredFrom: integer("restored_from"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("wiki_revisions_page_number_idx").on(t.pageId, t.number)],
);

/** Outgoing [[links]] of each page's current text, by lower-cased target title (for backlinks). */
export const wikiLinks = pgTable(
  "wiki_links",
  {
    fromPageId: uuid("from_page_id")
      .notNull()
      .references(() => wikiPages.id, { onDelete: "cascade" }),
    toKey: text("to_key").notNull(),
  },
  (t) => [primaryKey({ columns: [t.fromPageId, t.toKey] }), index("wiki_links_to_idx").on(t.toKey)],
);

export const BLOG_STATUSES = ["draft", "published"] as const;

export const blogPosts = pgTable(
  "blog_posts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    ...richText(),
    topicIds: uuid("topic_ids").array().notNull().default(sql`'{}'::uuid[]`),
    tags: text("tags").array().notNull().default(sql`'{}'::text[]`),
    status: text("status", { enum: BLOG_STATUSES }).notNull().default("draft"),
    publishedAt: timestamp("published_at", { withTimezone: true }),
    /** Bumped by every edit: a save must name the version it started from (no silent overwrite). */
    version: integer("version").notNull().default(1),
    ...moderation(),
    ...stamps(),
  },
  (t) => [index("blog_posts_published_idx").on(t.status, t.publishedAt), index("blog_posts_author_idx").on(t.authorId, t.updatedAt)],
);

/** Forum categories map to topics: the topic's experts may accept replies there. */
export const forumCategories = pgTable("forum_categories", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  description: text("description").notNull().default(""),
  topicId: uuid("topic_id").references(() => topics.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const forumThreads = pgTable(
  "forum_threads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    categoryId: uuid("category_id")
      .notNull()
      .references(() => forumCategories.id),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    title: text("title").notNull(),
    ...richText(),
    acceptedReplyId: uuid("accepted_reply_id"),
    acceptedBy: uuid("accepted_by").references(() => users.id),
    replyCount: integer("reply_count").notNull().default(0),
    /** Bumped by every edit of the question: a save must name the version it started from. */
    version: integer("version").notNull().default(1),
    lastActivityAt: timestamp("last_activity_at", { withTimezone: true }).notNull().defaultNow(),
    ...moderation(),
    ...stamps(),
  },
  (t) => [index("forum_threads_category_idx").on(t.categoryId, t.lastActivityAt), index("forum_threads_activity_idx").on(t.lastActivityAt)],
);

export const forumReplies = pgTable(
  "forum_replies",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    threadId: uuid("thread_id")
      .notNull()
      .references(() => forumThreads.id, { onDelete: "cascade" }),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    ...richText(),
    ...moderation(),
    ...stamps(),
  },
  (t) => [index("forum_replies_thread_idx").on(t.threadId, t.createdAt)],
);

export const COMMENT_SUBJECTS = ["wiki", "blog", "answer"] as const;
export type CommentSubject = (typeof COMMENT_SUBJECTS)[number];

/** One comments table for wiki pages, blog posts and answers (polymorphic subject). Plain text. */
export const comments = pgTable(
  "comments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    subjectType: text("subject_type", { enum: COMMENT_SUBJECTS }).notNull(),
    subjectId: uuid("subject_id").notNull(),
    authorId: uuid("author_id")
      .notNull()
      .references(() => users.id),
    body: text("body").notNull(),
    ...moderation(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    /** Set when the author changed the text, so readers see "edited". */
    editedAt: timestamp("edited_at", { withTimezone: true }),
  },
  (t) => [index("comments_subject_idx").on(t.subjectType, t.subjectId, t.createdAt)],
);

/**
 * Who was @mentioned where. The primary key makes a mention (and so its inbox item) happen once
 * per user per comment or post, however often the text is edited or the mention repeated.
 */
export const mentions = pgTable(
  "mentions",
  {
    sourceType: text("source_type").notNull(),
    sourceId: uuid("source_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.sourceType, t.sourceId, t.userId] }), index("mentions_user_idx").on(t.userId)],
);

export type WikiPage = typeof wikiPages.$inferSelect;
export type WikiRevision = typeof wikiRevisions.$inferSelect;
export type BlogPost = typeof blogPosts.$inferSelect;
export type ForumThread = typeof forumThreads.$inferSelect;
export type ForumReply = typeof forumReplies.$inferSelect;
export type Comment = typeof comments.$inferSelect;
