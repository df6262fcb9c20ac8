import { describe, expect, it } from "vitest";
import enumerationScan, { burstThreshold, densestSpan, peakPair, shiftDay, typicalLoad, windowDays } from "./enumeration-scan";

const MIN = 60_000;

describe("densestSpan", () => {
  it("finds the span with the largest sum, across bin boundaries", () => {
    const bins = [0, 5, 10, 15, 20, 60].map((m, i) => ({ start: m * MIN, value: [1, 6, 6, 1, 1, 9][i] }));
    expect(densestSpan(bins, 10 * MIN)).toEqual({ start: 5 * MIN, end: 15 * MIN, value: 12 });
    expect(densestSpan(bins, 30 * MIN)).toEqual({ start: 0, end: 30 * MIN, value: 15 });
    // Gaps count as empty: the lone bin at 60 min does not join the early ones.
    expect(densestSpan(bins, 5 * MIN)).toEqual({ start: 60 * MIN, end: 65 * MIN, value: 9 });
  });

  it("returns nothing without bins", () => {
    expect(densestSpan([], 30 * MIN)).toBeUndefined();
  });
});

describe("JST day helpers", () => {
  it("lists the JST days of a day-aligned window and shifts date keys", () => {
    const from = new Date("2026-03-30T15:00:00Z"); // 2026-03-31 00:00 JST
    const to = new Date("2026-04-02T15:00:00Z");
    expect(windowDays({ from, to })).toEqual(["2026-03-31", "2026-04-01", "2026-04-02"]);
    expect(shiftDay("2026-03-01", -28)).toBe("2026-02-01");
  });
});

describe("typical load and the scan threshold", () => {
  it("is the median of the entity's other half-hours, without its two fullest", () => {
    // A shared terminal: about 30 look-ups every half-hour, a scan of 220 in two bins.
    expect(typicalLoad([28, 31, 30, 120, 100, 29, 33, 27])).toBe(29.5);
    // A short day (fewer than four other bins) has no typical load.
    expect(typicalLoad([5, 200, 3, 4])).toBe(0);
  });

  it("keeps the floor for an ordinary clerk and rises for a busy shared terminal", () => {
    const p = enumerationScan.params;
    expect(burstThreshold(p, 3)).toBe(p.minSubjects);
    expect(burstThreshold(p, 29.5)).toBe(118);
  });

  it("rises with the entity's usual daily peak: a desk that works through 130 look-ups in an hour every day", () => {
    const p = enumerationScan.params;
    expect(peakPair([49, 78, 45, 14, 2])).toBe(127);
    expect(burstThreshold(p, 0, 127)).toBe(254);
    // A clerk whose busiest hour is 20 look-ups keeps the floor.
    expect(burstThreshold(p, 3, 20)).toBe(p.minSubjects);
  });
});
