import { describe, expect, it } from "vitest";
import { csvCell, csvRow } from "../../app/insights/csv";
import { groupQueries, wordingKey } from "../../app/insights/group-queries";
import { bucketsOf, RangeQuerySchema, resolveRange, startOfLocalDay } from "../../app/insights/range";

describe("CSV cells", () => {
  it("keeps formula-looking cells as text", () => {
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("+31 6 1234")).toBe("'+31 6 1234");
    expect(csvCell("-2")).toBe("'-2");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("\tx")).toBe("'\tx");
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell("refund, please")).toBe('"refund, please"');
    expect(csvCell(null)).toBe("");
    expect(csvRow(["a", 1, "b\nc"])).toBe('a,1,"b\nc"\r\n');
  });
});

describe("the period", () => {
  const now = new Date("2026-03-29T12:00:00Z");
  it("ends today (local) inclusive and compares with the same length before", () => {
    const r = resolveRange({ range: "7" }, now, "UTC");
    expect([r.current.fromDay, r.current.toDay, r.previous.fromDay, r.previous.toDay]).toEqual(["2026-03-23", "2026-03-29", "2026-03-16", "2026-03-22"]);
    expect(r.current.to.toISOString()).toBe("2026-03-30T00:00:00.000Z");
    expect(r.bucket).toBe("day");
    expect(resolveRange({ range: "90" }, now, "UTC").bucket).toBe("week");
  });
  it("starts days at local midnight, across a daylight-saving change", () => {
    // Europe/Berlin moves to summer time on 29 March 2026.
    expect(startOfLocalDay("2026-03-29", "Europe/Berlin").toISOString()).toBe("2026-03-28T23:00:00.000Z");
    expect(startOfLocalDay("2026-03-30", "Europe/Berlin").toISOString()).toBe("2026-03-29T22:00:00.000Z");
    expect(startOfLocalDay("2026-11-01", "America/Los_Angeles").toISOString()).toBe("2026-11-01T07:00:00.000Z");
  });
  it("fills every bucket, weeks from Monday", () => {
    const r = resolveRange({ range: "custom", from: "2026-03-04", to: "2026-04-20" }, now, "UTC");
    expect(bucketsOf(r.current, "week").slice(0, 2)).toEqual(["2026-03-02", "2026-03-09"]);
    expect(bucketsOf(resolveRange({ range: "7" }, now).current, "day")).toHaveLength(7);
  });
  it("refuses custom dates that are missing, reversed or longer than a year", () => {
    expect(RangeQuerySchema.safeParse({ range: "custom", from: "2026-03-04" }).success).toBe(false);
    expect(RangeQuerySchema.safeParse({ range: "custom", from: "2026-03-04", to: "2026-03-01" }).success).toBe(false);
    expect(RangeQuerySchema.safeParse({ range: "custom", from: "2024-01-01", to: "2026-03-01" }).success).toBe(false);
    expect(RangeQuerySchema.safeParse({ range: "365" }).success).toBe(false);
  });
});

describe("failed queries grouped by wording", () => {
  it("puts typos, spacing and punctuation variants together, and keeps different questions apart", () => {
    expect(wordingKey("Refund to a gift-card?")).toBe(wordingKey("refund gift card"));
    const groups = groupQueries([
      { query: "refund to gift card", count: 5, last: "2026-01-02" },
      { query: "Refund to giftcard", count: 2, last: "2026-01-05" },
      { query: "refund to gift crad", count: 1, last: "2026-01-01" },
      { query: "reset router", count: 3, last: "2026-01-03" },
    ]);
    expect(groups.map((g) => [g.query, g.count, g.last])).toEqual([
      ["refund to gift card", 8, "2026-01-05"],
      ["reset router", 3, "2026-01-03"],
    ]);
  });
});
