import { TZDate } from "@date-fns/tz";
import { z } from "zod";
import { isTimeZone } from "./range";

/**
 * The company's working calendar: which weekdays are worked and the hours of a working day, in
 * the company's time zone. Review targets ("two working days") are measured against it, so a
 * draft submitted on Friday at 16:00 in Berlin is not overdue on Monday morning, and a change of
 * daylight-saving time does not add or lose an hour.
 */
export interface WorkingCalendar {
  timeZone: string;
  /** 0 = Sunday … 6 = Saturday. */
  days: number[];
  /** Minutes after local midnight the working day starts and ends (end > start). */
  startMinute: number;
  endMinute: number;
}

export const DEFAULT_CALENDAR: WorkingCalendar = { timeZone: "UTC", days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60 };

export const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const minutesOf = (hhmm: string) => {
  const m = HHMM.exec(hhmm)!;
  return Number(m[1]) * 60 + Number(m[2]);
};
export const hhmm = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;

/** The admin form's fields (times as HH:MM), turned into a calendar. */
export const WorkingCalendarForm = z
  .object({
    timeZone: z.string({ message: "Choose a time zone" }).trim().max(64).refine(isTimeZone, "Choose a time zone from the list, e.g. Europe/Berlin"),
    days: z.array(z.coerce.number().int().min(0).max(6), { message: "Choose the working days" }).min(1, "Choose at least one working day"),
    start: z.string({ message: "Enter when the working day starts" }).regex(HHMM, "Enter a time as HH:MM, e.g. 09:00"),
    end: z.string({ message: "Enter when the working day ends" }).regex(HHMM, "Enter a time as HH:MM, e.g. 17:30"),
  })
  .refine((v) => !HHMM.test(v.start) || !HHMM.test(v.end) || minutesOf(v.end) > minutesOf(v.start), { message: "The working day must end after it starts", path: ["end"] })
  .transform((v): WorkingCalendar => ({ timeZone: v.timeZone, days: [...new Set(v.days)].sort(), startMinute: minutesOf(v.start), endMinute: minutesOf(v.end) }));

/** A stored calendar (JSON in app_settings), repaired to the default where a part is unusable. */
export function calendarFrom(value: unknown): WorkingCalendar {
  const v = (value ?? {}) as Partial<WorkingCalendar>;
  const days = Array.isArray(v.days) ? v.days.filter((d) => Number.isInteger(d) && d >= 0 && d <= 6) : [];
  const start = Number.isInteger(v.startMinute) ? v.startMinute! : DEFAULT_CALENDAR.startMinute;
  const end = Number.isInteger(v.endMinute) ? v.endMinute! : DEFAULT_CALENDAR.endMinute;
  const hoursOk = start >= 0 && end <= 24 * 60 && end > start;
  return {
    timeZone: typeof v.timeZone === "string" && isTimeZone(v.timeZone) ? v.timeZone : DEFAULT_CALENDAR.timeZone,
    days: days.length ? days : DEFAULT_CALENDAR.days,
    startMinute: hoursOk ? start : DEFAULT_CALENDAR.startMinute,
    endMinute: hoursOk ? end : DEFAULT_CALENDAR.endMinute,
  };
}

/** Milliseconds of working time between two instants (0 when `to` is not after `from`). */
export function workingMsBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  if (to <= from) return 0;
  const start = new TZDate(from.getTime(), cal.timeZone);
  let day = new TZDate(start.getFullYear(), start.getMonth(), start.getDate(), cal.timeZone);
  let total = 0;
  // Bounded walk, a calendar day at a time: ages are days to weeks; a year caps pathological input.
  for (let i = 0; i < 400 && day.getTime() < to.getTime(); i++) {
    if (cal.days.includes(day.getDay())) {
      const open = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), 0, cal.startMinute, cal.timeZone).getTime();
      const close = new TZDate(day.getFullYear(), day.getMonth(), day.getDate(), 0, cal.endMinute, cal.timeZone).getTime();
      const a = Math.max(open, from.getTime());
      const b = Math.min(close, to.getTime());
      if (b > a) total += b - a;
    }
    day = new TZDate(day.getFullYear(), day.getMonth(), day.getDate() + 1, cal.timeZone);
  }
  return total;
}

/** Working time between two instants in working days (a working day = the calendar's hours). */
export function workingDaysBetween(from: Date, to: Date, cal: WorkingCalendar): number {
  return workingMsBetween(from, to, cal) / ((cal.endMinute - cal.startMinute) * 60_000);
}
