import { describe, expect, it } from "vitest";
import { burstThreshold, peakPair, SCAN_DEFAULTS, typicalLoad } from "./scan";

describe("typical load and the scan threshold", () => {
  const p = SCAN_DEFAULTS;

  it("is the median of the entity's other half-hours, without its two fullest", () => {
    // A shared terminal: about 30 look-ups every half-hour, a scan of 220 in two bins.
    expect(typicalLoad([28, 31, 30, 120, 100, 29, 33, 27])).toBe(29.5);
    // A short day (fewer than four other bins) has no typical load.
    expect(typicalLoad([5, 200, 3, 4])).toBe(0);
  });

  it("keeps the floor for an ordinary clerk and rises for a busy shared terminal", () => {
    expect(burstThreshold(p, 3)).toBe(p.minSubjects);
    expect(burstThreshold(p, 29.5)).toBe(118);
  });

  it("rises with the entity's usual daily peak: a desk that works through 130 look-ups in an hour every day", () => {
    expect(peakPair([49, 78, 45, 14, 2])).toBe(127);
    expect(burstThreshold(p, 0, 127)).toBe(254);
    // A clerk whose busiest hour is 20 look-ups keeps the floor.
    expect(burstThreshold(p, 3, 20)).toBe(p.minSubjects);
  });
});
