import { eq, inArray } from "drizzle-orm";
import { getDb, type DbOrTx } from "../../db/client.server";
import { appSettings } from "../../db/schema";
import { recordAudit } from "../models/audit.server";
import { calendarFrom, type WorkingCalendar } from "./working-time";

/**
 * The company's working calendar (time zone, working days and hours) as an admin sets it on
 * /admin/settings. Days and weeks of the insights charts start in its time zone; review targets
 * count its working time. `timeZone` is the key the dashboard read before the calendar existed.
 */
export const CALENDAR_KEY = "workingCalendar";
export const TIME_ZONE_KEY = "timeZone";

export async function companyCalendar(db: DbOrTx = getDb()): Promise<WorkingCalendar> {
  const rows = await db.select().from(appSettings).where(inArray(appSettings.key, [CALENDAR_KEY, TIME_ZONE_KEY]));
  const stored = rows.find((r) => r.key === CALENDAR_KEY)?.value as Record<string, unknown> | undefined;
  const legacyZone = rows.find((r) => r.key === TIME_ZONE_KEY)?.value;
  return calendarFrom({ ...(typeof legacyZone === "string" ? { timeZone: legacyZone } : {}), ...(stored ?? {}) });
}

export async function saveCompanyCalendar(calendar: WorkingCalendar, actorId: string, db: DbOrTx = getDb()): Promise<void> {
  const value = calendarFrom(calendar);
  await db.transaction(async (tx) => {
    await tx
      .insert(appSettings)
      .values({ key: CALENDAR_KEY, value, updatedAt: new Date() })
      .onConflictDoUpdate({ target: appSettings.key, set: { value, updatedAt: new Date() } });
    await tx.delete(appSettings).where(eq(appSettings.key, TIME_ZONE_KEY));
    await recordAudit(tx, { actorId, action: "settings.working-calendar", subjectType: "settings", subjectId: CALENDAR_KEY, data: { ...value } });
  });
}
