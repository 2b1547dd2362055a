import { describe, expect, it } from "vitest";
import { formatTime, plural } from "../../app/ui/format";

// Issue 11, smaller defects: "1 replies", and a 12-hour "Saved at" beside 24-hour dates.
describe("format", () => {
  it("puts the noun in the right number", () => {
    expect(plural(1, "reply", "replies")).toBe("1 reply");
    expect(plural(0, "reply", "replies")).toBe("0 replies");
    expect(plural(2, "earlier update")).toBe("2 earlier updates");
  });

  it("shows times on the 24-hour clock, like every date", () => {
    const afternoon = new Date(2026, 11, 3, 15, 4, 5);
    expect(formatTime(afternoon)).toBe("15:04:05");
    expect(formatTime(afternoon.toISOString())).toBe("15:04:05");
  });
});
