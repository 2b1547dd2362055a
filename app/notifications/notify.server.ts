import type { DbOrTx } from "../../db/client.server";
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { notifications } from "../../db/schema";
import { enqueueNotificationMail } from "./mail-queue.server";

/** What a person is told: an inbox item (and, where they want it, a message by another channel). */
export type NotificationInput = {
  kind: string;
  title: string;
  link: string;
  at?: Date;
  data?: Record<string, unknown>;
};

/**
 * The one way to tell people something. Every capability calls this inside its own transaction,
 * so the inbox item commits (or not) with the change that caused it; delivery by other channels
 * hangs off this seam rather than off each caller.
 */
export async function notify(db: DbOrTx, userIds: readonly string[], n: NotificationInput): Promise<void> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return;
  const createdAt = n.at ?? new Date();
  const items = await db
    .insert(notifications)
    .values(unique.map((userId) => ({ userId, kind: n.kind, title: n.title, link: n.link, createdAt, data: n.data ?? {} })))
    .returning({ id: notifications.id, userId: notifications.userId });
  // Email, for those who want this kind by email: queued in the same transaction, sent later.
  await enqueueNotificationMail(db, items, { kind: n.kind, title: n.title, link: n.link, createdAt });
}

/**
 * Inbox items whose reason is gone (the review was decided, the answer certified, the due date
 * met) are marked read and resolved, so the inbox keeps only what still asks for something.
 */
export async function resolveNotifications(
  db: DbOrTx,
  where: { kinds: readonly string[]; link: string; userIds?: readonly string[] },
  resolution: string,
  at = new Date(),
): Promise<void> {
  if (where.userIds && where.userIds.length === 0) return;
  await db
    .update(notifications)
    .set({ readAt: at, data: sql`${notifications.data} || ${JSON.stringify({ resolved: resolution })}::jsonb` })
    .where(
      and(
        inArray(notifications.kind, [...where.kinds]),
        eq(notifications.link, where.link),
        isNull(notifications.readAt),
        where.userIds ? inArray(notifications.userId, [...where.userIds]) : undefined,
      ),
    );
}
