import { describe, expect, it } from "vitest";
import { calendarFrom, DEFAULT_CALENDAR, WorkingCalendarForm, workingDaysBetween, workingMsBetween, type WorkingCalendar } from "../../app/insights/working-time";

const H = 3_600_000;
const berlin: WorkingCalendar = { timeZone: "Europe/Berlin", days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60 };

describe("working time", () => {
  it("counts only the working hours of working days", () => {
    // Friday 2026-11-27 16:00 Berlin (15:00 UTC) → Monday 2026-11-30 10:00 Berlin: 1 h Friday + 1 h Monday.
    expect(workingMsBetween(new Date("2026-11-27T15:00:00Z"), new Date("2026-11-30T09:00:00Z"), berlin)).toBe(2 * H);
    // A whole working week is five working days.
    expect(workingDaysBetween(new Date("2026-11-30T00:00:00Z"), new Date("2026-12-07T00:00:00Z"), berlin)).toBe(5);
  });

  it("is zero before the day starts, on a weekend and when `to` is not after `from`", () => {
    expect(workingMsBetween(new Date("2026-11-30T05:00:00Z"), new Date("2026-11-30T07:59:00Z"), berlin)).toBe(0);
    expect(workingMsBetween(new Date("2026-11-28T08:00:00Z"), new Date("2026-11-29T20:00:00Z"), berlin)).toBe(0);
    expect(workingMsBetween(new Date("2026-11-30T12:00:00Z"), new Date("2026-11-30T11:00:00Z"), berlin)).toBe(0);
  });

  it("reads the hours in the company's time zone, across a daylight-saving change", () => {
    // Berlin left summer time on Sunday 2026-10-25: Friday 09:00 was 07:00 UTC, Monday 09:00 is 08:00 UTC.
    const friday = new Date("2026-10-23T07:00:00Z");
    const monday = new Date("2026-10-26T08:00:00Z");
    expect(workingDaysBetween(friday, monday, berlin)).toBe(1);
    // The same instants in UTC with the same hours: Friday 07:00–09:00 is before the day, 09:00–17:00 counts, Monday 08:00 is before 09:00.
    expect(workingDaysBetween(friday, monday, { ...berlin, timeZone: "UTC" })).toBe(1);
    expect(workingMsBetween(new Date("2026-10-26T08:00:00Z"), new Date("2026-10-26T09:00:00Z"), berlin)).toBe(H);
    expect(workingMsBetween(new Date("2026-10-26T08:00:00Z"), new Date("2026-10-26T09:00:00Z"), { ...berlin, timeZone: "UTC" })).toBe(0);
  });

  it("honours other working weeks (Sunday to Thursday)", () => {
    const cal: WorkingCalendar = { timeZone: "Asia/Jerusalem", days: [0, 1, 2, 3, 4], startMinute: 8 * 60, endMinute: 16 * 60 };
    // Friday and Saturday do not count; Sunday does.
    expect(workingDaysBetween(new Date("2026-11-27T00:00:00Z"), new Date("2026-11-30T00:00:00Z"), cal)).toBe(1);
  });

  it("validates the admin form with field messages", () => {
    const bad = WorkingCalendarForm.safeParse({ timeZone: "Mars/Olympus", days: [], start: "9", end: "08:00" });
    expect(bad.success).toBe(false);
    const fields = bad.error!.issues.map((i) => i.path[0]);
    expect(fields).toEqual(expect.arrayContaining(["timeZone", "days", "start"]));
    const inverted = WorkingCalendarForm.safeParse({ timeZone: "UTC", days: ["1"], start: "17:00", end: "09:00" });
    expect(inverted.error?.issues[0]?.path).toEqual(["end"]);
    expect(WorkingCalendarForm.parse({ timeZone: "Europe/Berlin", days: ["5", "1", "1"], start: "08:30", end: "16:45" })).toEqual({
      timeZone: "Europe/Berlin",
      days: [1, 5],
      startMinute: 510,
      endMinute: 1005,
    });
  });

  it("repairs a stored calendar part by part", () => {
    expect(calendarFrom(null)).toEqual(DEFAULT_CALENDAR);
    expect(calendarFrom({ timeZone: "Nowhere/Land", days: [9], startMinute: 600, endMinute: 500 })).toEqual(DEFAULT_CALENDAR);
    expect(calendarFrom({ timeZone: "Europe/Paris", days: [1, 2], startMinute: 480, endMinute: 960 })).toEqual({ timeZone: "Europe/Paris", days: [1, 2], startMinute: 480, endMinute: 960 });
  });
});
