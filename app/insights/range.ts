import { z } from "zod";

/**
 * The dashboard's period: the last 7/30/90 days or custom dates, read as whole days in the
 * company's time zone (a day in Auckland starts 13 hours before a day in UTC, and a search at
 * 23:30 local time belongs to that local day). Pure: the server resolves it, tests pin `now`.
 */
export const PRESETS = ["7", "30", "90"] as const;
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-11-30");

export const RangeQuerySchema = z
  .object({
    range: z.enum([...PRESETS, "custom"]).default("30"),
    from: isoDate.optional().or(z.literal("").transform(() => undefined)),
    to: isoDate.optional().or(z.literal("").transform(() => undefined)),
    topic: z.string().uuid("Pick a topic from the list").optional().or(z.literal("").transform(() => undefined)),
  })
  .superRefine((v, ctx) => {
    if (v.range !== "custom") return;
    if (!v.from) ctx.addIssue({ code: "custom", path: ["from"], message: "Enter the first day" });
    if (!v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "Enter the last day" });
    if (v.from && v.to && v.from > v.to) ctx.addIssue({ code: "custom", path: ["to"], message: "The last day comes before the first" });
    if (v.from && v.to && daysBetween(v.from, v.to) > 366) ctx.addIssue({ code: "custom", path: ["to"], message: "At most a year at a time" });
  });
export type RangeQuery = z.output<typeof RangeQuerySchema>;

export interface Period {
  /** First local day, inclusive (YYYY-MM-DD). */
  fromDay: string;
  /** Last local day, inclusive. */
  toDay: string;
  /** The instants the period covers: [from, to). */
  from: Date;
  to: Date;
  days: number;
}

export interface ResolvedRange {
  current: Period;
  previous: Period;
  timeZone: string;
  /** Charts bucket by day up to a month, by week (Monday) beyond. */
  bucket: "day" | "week";
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The local calendar day of an instant in a time zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
}

/** Minutes the zone is ahead of UTC at that instant. */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The instant a local day starts (midnight, or the first instant after a DST gap). */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const guess = Date.parse(`${day}T00:00:00Z`);
  let at = guess - offsetMinutes(new Date(guess), timeZone) * 60_000;
  // Once more with the offset at the found instant: right across a DST change.
  at = guess - offsetMinutes(new Date(at), timeZone) * 60_000;
  return new Date(at);
}

export function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function period(fromDay: string, toDay: string, timeZone: string): Period {
  return { fromDay, toDay, from: startOfLocalDay(fromDay, timeZone), to: startOfLocalDay(addDays(toDay, 1), timeZone), days: daysBetween(fromDay, toDay) + 1 };
}

/** "Last 30 days" ends today (local) inclusive; the previous period is the same length just before. */
export function resolveRange(q: Pick<RangeQuery, "range" | "from" | "to">, now: Date, timeZone = "UTC"): ResolvedRange {
  const today = localDay(now, timeZone);
  let fromDay: string;
  let toDay: string;
  if (q.range === "custom" && q.from && q.to) {
    fromDay = q.from;
    toDay = q.to;
  } else {
    const n = Number(q.range === "custom" ? "30" : q.range);
    toDay = today;
    fromDay = addDays(today, -(n - 1));
  }
  const current = period(fromDay, toDay, timeZone);
  const previous = period(addDays(fromDay, -current.days), addDays(fromDay, -1), timeZone);
  return { current, previous, timeZone, bucket: current.days > 31 ? "week" : "day" };
}

/** The bucket keys of a period, in order, so days without events still show as zero. */
export function bucketsOf(p: Period, bucket: "day" | "week"): string[] {
  const keys: string[] = [];
  if (bucket === "day") {
    for (let d = p.fromDay; d <= p.toDay; d = addDays(d, 1)) keys.push(d);
    return keys;
  }
  // ISO weeks start on Monday, as PostgreSQL's date_trunc('week') does.
  const dow = (new Date(`${p.fromDay}T00:00:00Z`).getUTCDay() + 6) % 7;
  for (let d = addDays(p.fromDay, -dow); d <= p.toDay; d = addDays(d, 7)) keys.push(d);
  return keys;
}
