import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "../../db/client.server";
import { mailSettings, notificationPreferences } from "../../db/schema";
import { DELIVERY_MODES, MAIL_KIND_BY_NAME, MAIL_KINDS, type DeliveryMode } from "./mail-kinds";
import { getConfig } from "../../server/config";
import { DIGEST_KIND, verifyUnsubscribe } from "./mail-render.server";

export interface NotificationPreferences {
  modes: Record<string, DeliveryMode>;
  digestHour: number;
  timeZone: string;
}

export function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

/** One field per kind (`mode.<kind>`), the digest hour and the time zone. */
export const PreferencesSchema = z.object({
  modes: z.object(
    Object.fromEntries(MAIL_KINDS.map((k) => [k.kind, z.enum(DELIVERY_MODES, { message: "Choose immediately, daily digest or off" })])) as Record<
      string,
      z.ZodEnum<{ immediate: "immediate"; digest: "digest"; off: "off" }>
    >,
  ),
  digestHour: z.coerce
    .number({ message: "Choose an hour between 0 and 23" })
    .int("Choose an hour between 0 and 23")
    .min(0, "Choose an hour between 0 and 23")
    .max(23, "Choose an hour between 0 and 23"),
  timeZone: z.string({ message: "Choose a time zone" }).trim().max(64).refine(isTimeZone, "Choose a time zone from the list, e.g. Europe/Berlin"),
});

export async function getPreferences(userId: string, db: Db = getDb()): Promise<NotificationPreferences> {
  const [rows, [settings]] = await Promise.all([
    db.select().from(notificationPreferences).where(eq(notificationPreferences.userId, userId)),
    db.select().from(mailSettings).where(eq(mailSettings.userId, userId)),
  ]);
  const chosen = new Map(rows.map((r) => [r.kind, r.mode as DeliveryMode]));
  return {
    modes: Object.fromEntries(MAIL_KINDS.map((k) => [k.kind, chosen.get(k.kind) ?? k.defaultMode])),
    digestHour: settings?.digestHour ?? 8,
    timeZone: settings?.timeZone ?? "UTC",
  };
}

export async function savePreferences(userId: string, prefs: z.output<typeof PreferencesSchema>, now = new Date(), db: Db = getDb()): Promise<void> {
  await db.transaction(async (tx) => {
    const values = MAIL_KINDS.map((k) => ({ userId, kind: k.kind, mode: prefs.modes[k.kind] ?? k.defaultMode, updatedAt: now }));
    await tx
      .insert(notificationPreferences)
      .values(values)
      .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { mode: sql`excluded.mode`, updatedAt: now } });
    await tx
      .insert(mailSettings)
      .values({ userId, digestHour: prefs.digestHour, timeZone: prefs.timeZone, updatedAt: now })
      .onConflictDoUpdate({ target: mailSettings.userId, set: { digestHour: prefs.digestHour, timeZone: prefs.timeZone, updatedAt: now } });
  });
}

/**
 * One-click unsubscribe (the link in every message): that kind off. The digest's link turns off
 * every kind that was coming in the digest. Returns the labels of what was turned off.
 */
export async function unsubscribe(userId: string, kind: string, now = new Date(), db: Db = getDb()): Promise<string[]> {
  const current = await getPreferences(userId, db);
  const kinds = kind === DIGEST_KIND ? MAIL_KINDS.filter((k) => current.modes[k.kind] === "digest").map((k) => k.kind) : MAIL_KINDS.some((k) => k.kind === kind) ? [kind] : [];
  if (kinds.length === 0) return [];
  await db
    .insert(notificationPreferences)
    .values(kinds.map((k) => ({ userId, kind: k, mode: "off", updatedAt: now })))
    .onConflictDoUpdate({ target: [notificationPreferences.userId, notificationPreferences.kind], set: { mode: "off", updatedAt: now } });
  return MAIL_KINDS.filter((k) => kinds.includes(k.kind)).map((k) => k.label);
}

const UnsubscribeLinkSchema = z.object({ u: z.uuid(), k: z.string().max(64), s: z.string().max(100) });

/** The person and kind an unsubscribe link names, when its signature holds; else null. */
export function unsubscribeLinkOf(request: Request): { userId: string; kind: string } | null {
  const parsed = UnsubscribeLinkSchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return null;
  const { u, k, s } = parsed.data;
  if (k !== DIGEST_KIND && !MAIL_KIND_BY_NAME.has(k)) return null;
  return verifyUnsubscribe(getConfig().sessionSecret, u, k, s) ? { userId: u, kind: k } : null;
}
