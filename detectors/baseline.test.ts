import { describe, expect, it } from "vitest";
import { baselineBefore, daysBefore, farAbove, medianMad } from "./baseline";

const P = { baselineDays: 28, factor: 3, madK: 6 };

describe("daily baselines", () => {
  it("computes the median and MAD", () => {
    expect(medianMad([])).toEqual({ median: 0, mad: 0 });
    expect(medianMad([10, 12, 11, 14, 13])).toEqual({ median: 12, mad: 1 });
    expect(medianMad([1, 2, 3, 100])).toEqual({ median: 2.5, mad: 1 });
  });

  it("keeps the days before a key, inside the baseline period", () => {
    const series = new Map([
      ["2026-10-04", 1],
      ["2026-10-05", 2],
      ["2026-11-01", 3],
      ["2026-11-02", 4],
    ]);
    expect(daysBefore(series, "2026-11-02", 28)).toEqual([
      ["2026-10-05", 2],
      ["2026-11-01", 3],
    ]);
  });

  it("is far above only with factor, excess and MADs together", () => {
    expect(farAbove(12, 1, P, 50)).toBe(62);
    expect(farAbove(100, 1, P, 50)).toBe(300);
    expect(farAbove(100, 40, P, 50)).toBe(456); // 100 + 6 × 1.4826 × 40 = 455.8
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
      ["2025-12-24", 900],
      ["2025-12-25", 880],
      ["2025-12-26", 920],
      ["2025-12-27", 60],
      ["2025-12-28", 55],
      ["2025-12-29", 62],
      ["2025-12-30", 58],
      ["2025-12-31", 61],
      ["2026-01-01", 50],
      ["2026-01-02", 57],
      ["2026-01-03", 59],
      ["2026-01-04", 63],
    ]);
    const b = baselineBefore(series, "2026-01-05", P, 50);
    expect(b.median).toBe(900);
    expect(b.days).toBe(12);
    // A Saturday keeps the all-days median when it is the higher one.
    expect(baselineBefore(series, "2026-01-10", P, 50).median).toBe(60.5);
  });
});
