import { sql } from "drizzle-orm";
import { bigserial, index, integer, jsonb, pgTable, primaryKey, smallint, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { notifications } from "./answers";
import { users } from "./users";

/**
 * Mail waiting to be sent. A row is written in the same transaction as the inbox item (or the
 * reset request) it tells about, so mail is never sent for a change that rolled back and never
 * lost for one that committed; a background drain sends it (see app/notifications/mail-queue.server.ts
 * and docs/decisions/015-mail-queue.md).
 */
export const mailQueue = pgTable(
  "mail_queue",
  {
    seq: bigserial("seq", { mode: "number" }).primaryKey(),
    /** Also the Message-ID's left part: a resend after a lost acknowledgement carries the same id. */
    id: uuid("id").notNull().defaultRandom().unique(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    notificationId: uuid("notification_id").references(() => notifications.id, { onDelete: "set null" }),
    kind: text("kind").notNull(),
    title: text("title").notNull(),
    /** The app-relative link; made absolute when the message is rendered. */
    link: text("link").notNull(),
    /** "immediate": one message per row; "digest": collected into the user's daily digest. */
    delivery: text("delivery").notNull(),
    /** Kind-specific extras (a password reset's sealed token, cleared once sent). */
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull().default({}),
    /** pending → sent | skipped (the person turned the kind off, was deactivated, or the link expired). */
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true }).notNull().defaultNow(),
    lastError: text("last_error"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    sentAt: timestamp("sent_at", { withTimezone: true }),
  },
  (t) => [
    index("mail_queue_pending_idx").on(t.delivery, t.nextAttemptAt).where(sql`status = 'pending'`),
    index("mail_queue_user_idx").on(t.userId, t.createdAt),
  ],
);

/** Per person and kind: how they want to hear about it by email. No row = the kind's default. */
export const notificationPreferences = pgTable(
  "notification_preferences",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    /** immediate | digest | off */
    mode: text("mode").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.kind] })],
);

/** When a person's daily digest goes out: the hour in their time zone. No row = 08:00 UTC. */
export const mailSettings = pgTable("mail_settings", {
  userId: uuid("user_id")
    .primaryKey()
    .references(() => users.id, { onDelete: "cascade" }),
  digestHour: smallint("digest_hour").notNull().default(8),
  timeZone: text("time_zone").notNull().default("UTC"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Forgot-password requests. Every request leaves a row, known address or not (userId null), so
 * both take the same path and the throttle can count them; only the SHA-256 of the token is kept.
 */
export const passwordResets = pgTable(
  "password_resets",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    tokenHash: text("token_hash").notNull().unique(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "cascade" }),
    /** Lower-cased as typed, for the per-account throttle. */
    email: text("email").notNull(),
    ip: text("ip").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    usedAt: timestamp("used_at", { withTimezone: true }),
  },
  (t) => [index("password_resets_email_idx").on(t.email, t.createdAt), index("password_resets_ip_idx").on(t.ip, t.createdAt)],
);

export type MailQueueRow = typeof mailQueue.$inferSelect;
