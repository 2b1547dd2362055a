import { and, asc, count, eq, inArray, isNotNull, lte, min, sql } from "drizzle-orm";
import { getDb, type Db, type DbOrTx } from "../../db/client.server";
import { appSettings, mailQueue, mailSettings, notificationPreferences, users, type MailQueueRow } from "../../db/schema";
import { getConfig } from "../../server/config";
import { BrandingSchema, DEFAULT_BRANDING } from "../models/faq.schema";
import { MAIL_KIND_BY_NAME, PASSWORD_RESET_KIND, type DeliveryMode } from "./mail-kinds";
import { renderDigestMail, renderNotificationMail, renderPasswordResetMail, unseal, type MailContext, type RenderedMail } from "./mail-render.server";
import { mailMode, type MailTransport } from "./mail-transport.server";

/** A claimed row stays invisible to other drains this long; a drain that dies is retried after it. */
const LEASE_MS = 2 * 60_000;
const MAX_BACKOFF_MS = 60 * 60_000;
/** A reset link older than this is useless: its token has expired (password-reset.server.ts). */
export const RESET_MAIL_TTL_MS = 60 * 60_000;

export function mailBackoffMs(attempts: number): number {
  return Math.min(5_000 * 2 ** Math.max(attempts - 1, 0), MAX_BACKOFF_MS);
}

/** Per user, the mode they chose for one kind (or its default). */
async function modesFor(db: DbOrTx, userIds: readonly string[], kind: string): Promise<Map<string, DeliveryMode>> {
  const fallback = MAIL_KIND_BY_NAME.get(kind)?.defaultMode ?? "off";
  const rows = userIds.length
    ? await db
        .select({ userId: notificationPreferences.userId, mode: notificationPreferences.mode })
        .from(notificationPreferences)
        .where(and(eq(notificationPreferences.kind, kind), inArray(notificationPreferences.userId, [...userIds])))
    : [];
  const chosen = new Map(rows.map((r) => [r.userId, r.mode as DeliveryMode]));
  return new Map(userIds.map((id) => [id, chosen.get(id) ?? fallback]));
}

/**
 * Called by notify() inside the caller's transaction: each inbox item that the person wants by
 * email gets a queue row, so the mail commits with the change or not at all. Sending happens
 * later, in the drain; a request never waits for SMTP.
 */
export async function enqueueNotificationMail(
  tx: DbOrTx,
  items: readonly { id: string; userId: string }[],
  n: { kind: string; title: string; link: string; createdAt: Date },
): Promise<void> {
  if (items.length === 0 || !MAIL_KIND_BY_NAME.has(n.kind) || mailMode() === "off") return;
  const modes = await modesFor(tx, items.map((i) => i.userId), n.kind);
  const rows = items
    .filter((i) => modes.get(i.userId) !== "off")
    .map((i) => ({
      userId: i.userId,
      notificationId: i.id,
      kind: n.kind,
      title: n.title,
      link: n.link,
      delivery: modes.get(i.userId) === "digest" ? "digest" : "immediate",
      createdAt: n.createdAt,
      nextAttemptAt: n.createdAt,
    }));
  if (rows.length > 0) await tx.insert(mailQueue).values(rows);
}

/** The instant of the person's most recent digest hour at or before `now`, in their time zone. */
export function latestDigestSlot(now: Date, hour: number, timeZone: string): Date {
  let localHour = now.getUTCHours();
  let localMinute = now.getUTCMinutes();
  try {
    const parts = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(now);
    localHour = Number(parts.find((p) => p.type === "hour")?.value ?? localHour);
    localMinute = Number(parts.find((p) => p.type === "minute")?.value ?? localMinute);
  } catch {
    // An unknown zone (it was valid when saved, then dropped from the runtime): UTC.
  }
  const hoursBack = (localHour - hour + 24) % 24;
  const ms = now.getTime() - now.getUTCSeconds() * 1000 - now.getUTCMilliseconds() - localMinute * 60_000 - hoursBack * 3_600_000;
  return new Date(ms);
}

export interface DrainResult {
  sent: number;
  failed: number;
  skipped: number;
}

type Recipient = { id: string; email: string; displayName: string; active: boolean };

/** Claims rows (FOR UPDATE SKIP LOCKED, then a lease), so several processes can drain at once. */
async function claim(db: Db, where: ReturnType<typeof and>, now: Date, limit: number): Promise<MailQueueRow[]> {
  return db.transaction(async (tx) => {
    const rows = await tx.select().from(mailQueue).where(where).orderBy(asc(mailQueue.seq)).limit(limit).for("update", { skipLocked: true });
    if (rows.length > 0) {
      await tx
        .update(mailQueue)
        .set({ nextAttemptAt: new Date(now.getTime() + LEASE_MS), attempts: sql`${mailQueue.attempts} + 1` })
        .where(inArray(mailQueue.seq, rows.map((r) => r.seq)));
    }
    return rows.map((r) => ({ ...r, attempts: r.attempts + 1 }));
  });
}

async function recipients(db: Db, ids: readonly string[]): Promise<Map<string, Recipient>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: users.id, email: users.email, displayName: users.displayName, active: users.active })
    .from(users)
    .where(inArray(users.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

const finish = (db: Db, seqs: number[], status: "sent" | "skipped", now: Date, reason?: string) =>
  seqs.length === 0
    ? Promise.resolve()
    : db
        .update(mailQueue)
        .set({ status, sentAt: status === "sent" ? now : null, lastError: reason ?? null, payload: {} })
        .where(inArray(mailQueue.seq, seqs));

const retryLater = (db: Db, rows: readonly MailQueueRow[], now: Date, error: unknown) =>
  rows.length === 0
    ? Promise.resolve()
    : db
        .update(mailQueue)
        .set({
          nextAttemptAt: new Date(now.getTime() + mailBackoffMs(Math.max(...rows.map((r) => r.attempts)))),
          lastError: String((error as Error)?.message ?? error).slice(0, 500),
        })
        .where(inArray(mailQueue.seq, rows.map((r) => r.seq)));

/** The mail context from the configuration and the FAQ branding (the company name). */
export async function mailContext(db: DbOrTx): Promise<MailContext> {
  const config = getConfig();
  // The branding row read here rather than through faq.server, which (via feedback) imports notify: a cycle.
  const [row] = await db.select({ value: appSettings.value }).from(appSettings).where(eq(appSettings.key, "branding"));
  const branding = BrandingSchema.safeParse(row?.value);
  const companyName = branding.success ? branding.data.companyName : DEFAULT_BRANDING.companyName;
  return { baseUrl: config.publicUrl ?? `http://localhost:${config.port}`, companyName, secret: config.sessionSecret };
}

/**
 * Sends what is due: immediate rows one message each, then the daily digests whose hour has
 * come. A failing SMTP server leaves the rows pending with exponential backoff and the error
 * kept for /health and the admin page; nothing is lost, and a row once sent is marked so and
 * never sent again (a crash between the server's "250 OK" and that mark resends it after the
 * lease, with the same Message-ID).
 */
export async function drainMailQueue(
  db: Db,
  transport: MailTransport,
  options: { now?: Date; batch?: number; context?: MailContext } = {},
): Promise<DrainResult> {
  const now = options.now ?? new Date();
  const ctx = options.context ?? (await mailContext(db));
  const result: DrainResult = { sent: 0, failed: 0, skipped: 0 };

  const due = await claim(
    db,
    and(eq(mailQueue.status, "pending"), eq(mailQueue.delivery, "immediate"), lte(mailQueue.nextAttemptAt, now)),
    now,
    options.batch ?? 50,
  );
  const people = await recipients(db, due.map((r) => r.userId));
  for (const [i, row] of due.entries()) {
    const to = people.get(row.userId);
    const rendered = await renderRow(db, ctx, row, to, now);
    if (!to || "skip" in rendered) {
      await finish(db, [row.seq], "skipped", now, "skip" in rendered ? rendered.skip : "the person no longer exists");
      result.skipped++;
      continue;
    }
    try {
      await transport.send({ to: to.email, messageId: `<${row.id}@vetted.mail>`, ...rendered });
      await finish(db, [row.seq], "sent", now);
      result.sent++;
    } catch (error) {
      // The server is down or refuses: this row and the rest of the batch wait (no hammering).
      const rest = due.slice(i);
      await retryLater(db, rest, now, error);
      result.failed += rest.length;
      return result;
    }
  }

  const digests = await drainDigests(db, transport, ctx, now);
  result.sent += digests.sent;
  result.failed += digests.failed;
  result.skipped += digests.skipped;
  return result;
}

async function renderRow(db: Db, ctx: MailContext, row: MailQueueRow, to: Recipient | undefined, now: Date): Promise<RenderedMail | { skip: string }> {
  if (!to) return { skip: "the person no longer exists" };
  if (!to.active) return { skip: "the account is deactivated" };
  if (row.kind === PASSWORD_RESET_KIND) {
    if (now.getTime() - row.createdAt.getTime() > RESET_MAIL_TTL_MS) return { skip: "the reset link expired before it could be sent" };
    const token = typeof row.payload.sealed === "string" ? unseal(ctx.secret, row.payload.sealed) : null;
    if (!token) return { skip: "the reset link cannot be read (the session secret changed)" };
    return renderPasswordResetMail(ctx, to, token, Math.round(RESET_MAIL_TTL_MS / 60_000));
  }
  const mode = (await modesFor(db, [to.id], row.kind)).get(to.id) ?? "off";
  if (mode === "off") return { skip: "the person turned this kind of email off" };
  return renderNotificationMail(ctx, to, row, mode);
}

async function drainDigests(db: Db, transport: MailTransport, ctx: MailContext, now: Date): Promise<DrainResult> {
  const result: DrainResult = { sent: 0, failed: 0, skipped: 0 };
  const waiting = await db
    .select({
      userId: mailQueue.userId,
      oldest: min(mailQueue.createdAt),
      hour: sql<number>`coalesce(${mailSettings.digestHour}, 8)`.mapWith(Number),
      timeZone: sql<string>`coalesce(${mailSettings.timeZone}, 'UTC')`,
    })
    .from(mailQueue)
    .leftJoin(mailSettings, eq(mailSettings.userId, mailQueue.userId))
    .where(and(eq(mailQueue.status, "pending"), eq(mailQueue.delivery, "digest"), lte(mailQueue.nextAttemptAt, now)))
    .groupBy(mailQueue.userId, mailSettings.digestHour, mailSettings.timeZone)
    .limit(200);
  for (const w of waiting) {
    const slot = latestDigestSlot(now, w.hour, w.timeZone);
    // Due once the person's hour has come after the oldest item was queued.
    if (!w.oldest || new Date(w.oldest).getTime() > slot.getTime()) continue;
    const rows = await claim(
      db,
      and(eq(mailQueue.status, "pending"), eq(mailQueue.delivery, "digest"), eq(mailQueue.userId, w.userId), lte(mailQueue.nextAttemptAt, now)),
      now,
      500,
    );
    if (rows.length === 0) continue;
    const to = (await recipients(db, [w.userId])).get(w.userId);
    if (!to || !to.active) {
      await finish(db, rows.map((r) => r.seq), "skipped", now, "the account is deactivated");
      result.skipped += rows.length;
      continue;
    }
    // A kind turned off since it was queued drops out of the digest.
    const kinds = [...new Set(rows.map((r) => r.kind))];
    const off = new Set<string>();
    for (const kind of kinds) if ((await modesFor(db, [to.id], kind)).get(to.id) === "off") off.add(kind);
    const keep = rows.filter((r) => !off.has(r.kind));
    await finish(db, rows.filter((r) => off.has(r.kind)).map((r) => r.seq), "skipped", now, "the person turned this kind of email off");
    result.skipped += rows.length - keep.length;
    if (keep.length === 0) continue;
    try {
      const rendered = renderDigestMail(ctx, to, keep);
      await transport.send({ to: to.email, messageId: `<${keep[0]!.id}.digest@vetted.mail>`, ...rendered });
      await finish(db, keep.map((r) => r.seq), "sent", now);
      result.sent++;
    } catch (error) {
      await retryLater(db, keep, now, error);
      result.failed += keep.length;
      return result;
    }
  }
  return result;
}

export interface MailQueueHealth {
  mode: "smtp" | "log" | "off";
  /** Immediate mail waiting (digests wait for their hour by design and are not counted). */
  pending: number;
  oldestSeconds: number;
  /** Pending rows whose last attempt failed. */
  failing: number;
}

/** For /health (counts only) and the admin page. */
export async function mailQueueHealth(db: DbOrTx, now = new Date()): Promise<MailQueueHealth> {
  const [row] = await db
    .select({ n: count(), oldest: min(mailQueue.createdAt) })
    .from(mailQueue)
    .where(and(eq(mailQueue.status, "pending"), eq(mailQueue.delivery, "immediate")));
  const [failing] = await db
    .select({ n: count() })
    .from(mailQueue)
    .where(and(eq(mailQueue.status, "pending"), isNotNull(mailQueue.lastError)));
  const oldest = row?.oldest ? new Date(row.oldest) : null;
  return {
    mode: mailMode(),
    pending: row?.n ?? 0,
    oldestSeconds: oldest ? Math.max(0, Math.round((now.getTime() - oldest.getTime()) / 1000)) : 0,
    failing: failing?.n ?? 0,
  };
}

/** The admin page's view: the health, the last error, what was sent in the last day. */
export async function mailQueueDetail(db: DbOrTx = getDb(), now = new Date()) {
  const health = await mailQueueHealth(db, now);
  const [lastFailure] = await db
    .select({ error: mailQueue.lastError, attempts: mailQueue.attempts, nextAttemptAt: mailQueue.nextAttemptAt })
    .from(mailQueue)
    .where(and(eq(mailQueue.status, "pending"), isNotNull(mailQueue.lastError)))
    .orderBy(sql`${mailQueue.nextAttemptAt} desc`)
    .limit(1);
  const since = new Date(now.getTime() - 86_400_000);
  const [sent] = await db
    .select({ n: count() })
    .from(mailQueue)
    .where(and(eq(mailQueue.status, "sent"), sql`${mailQueue.sentAt} > ${since.toISOString()}::timestamptz`));
  const [digest] = await db.select({ n: count() }).from(mailQueue).where(and(eq(mailQueue.status, "pending"), eq(mailQueue.delivery, "digest")));
  return { ...health, lastFailure: lastFailure ?? null, sentLastDay: sent?.n ?? 0, digestWaiting: digest?.n ?? 0 };
}

/** The queue's high-water mark, so the mail of a step that must not send any can be dropped after it. */
export async function mailQueueMark(db: DbOrTx): Promise<number> {
  const [row] = await db.select({ seq: sql<number>`coalesce(max(${mailQueue.seq}), 0)`.mapWith(Number) }).from(mailQueue);
  return row?.seq ?? 0;
}

/**
 * Mail queued after `mark` is not sent. The demo seed drives the real workflow, which queues
 * mail to the made-up demo people: with SMTP configured, that would go out to example.com.
 */
export async function skipMailQueuedAfter(db: DbOrTx, mark: number, reason: string): Promise<void> {
  await db
    .update(mailQueue)
    .set({ status: "skipped", lastError: reason, payload: {} })
    .where(and(eq(mailQueue.status, "pending"), sql`${mailQueue.seq} > ${mark}`));
}
