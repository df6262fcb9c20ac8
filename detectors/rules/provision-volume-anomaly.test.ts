import { describe, expect, it } from "vitest";
import { mergeIntervals } from "./ids-alert";
import { baselineBefore, shiftDay, windowDays } from "./provision-volume-anomaly";

const P = { baselineDays: 28, factor: 3, madK: 6 };

describe("daily baselines", () => {
  it("shifts JST date keys and lists the days of a day-aligned window", () => {
    expect(shiftDay("2026-03-01", -1)).toBe("2026-02-28");
    expect(shiftDay("2026-12-31", 1)).toBe("2027-01-01");
    expect(windowDays({ from: new Date("2026-11-05T00:00:00+09:00"), to: new Date("2026-11-08T00:00:00+09:00") })).toEqual(["2026-11-05", "2026-11-06", "2026-11-07"]);
  });

  it("uses only the previous baselineDays days and needs factor, excess and MADs together", () => {
    const series = new Map([
      ["2026-09-01", 1000], // older than 28 days: ignored
      ...["2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30"].map((d, i) => [d, 10 + i] as [string, number]),
      ["2026-11-02", 500], // the day itself: not part of its baseline
    ]);
    const b = baselineBefore(series, "2026-11-02", P, 50);
    expect(b).toEqual({ days: 5, median: 12, mad: 1, threshold: 62 }); // max(36, 12 + 50, 12 + 6 × 1.4826)
  });

  it("does not let a run of holidays lower the bar for the next business day", () => {
    // Business days at ~900, then the year-end closure at ~60: the first business day of January is compared with business days.
    const series = new Map<string, number>([
      ["2025-12-24", 900], ["2025-12-25", 880], ["2025-12-26", 920],
      ["2025-12-27", 60], ["2025-12-28", 55], ["2025-12-29", 62], ["2025-12-30", 58], ["2025-12-31", 61],
      ["2026-01-01", 50], ["2026-01-02", 57], ["2026-01-03", 59], ["2026-01-04", 63],
    ]);
    const b = baselineBefore(series, "2026-01-05", P, 50);
    expect(b.median).toBe(900);
    expect(b.days).toBe(12);
    // A Saturday keeps the all-days median when it is the higher one.
    expect(baselineBefore(series, "2026-01-10", P, 50).median).toBe(60.5);
  });
});

describe("mergeIntervals", () => {
  it("merges overlapping and touching intervals in any order", () => {
    expect(mergeIntervals([[50, 60], [0, 10], [5, 20], [20, 30]])).toEqual([[0, 30], [50, 60]]);
    expect(mergeIntervals([])).toEqual([]);
  });
});
