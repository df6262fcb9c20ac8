import { describe, expect, it } from "vitest";
import { chanceCount, chanceThreshold, extraRate, thresholdsFor } from "./chance";

describe("extraRate", () => {
  it("is the mean number of further distinct lookers per subject", () => {
    expect(extraRate(1000, 1100)).toBeCloseTo(0.1);
    expect(extraRate(1000, 1000)).toBe(0);
    expect(extraRate(0, 0)).toBe(0);
    // HyperLogLog noise can put pairs a little below subjects: never negative.
    expect(extraRate(1000, 998)).toBe(0);
  });
});

describe("chanceThreshold", () => {
  it("keeps the floor for a small population", () => {
    // 3,000 residents looked up, 2.6 % with a second operator: five operators by chance ≈ 3000·0.026⁴ ≈ 1e-3 a day.
    expect(chanceThreshold(3000, 0.026, 0.01, 5)).toBe(5);
  });

  it("rises with the population looked up at the same per-resident rate", () => {
    const rate = 0.087;
    const small = chanceThreshold(3_000, rate, 0.01, 4);
    const large = chanceThreshold(300_000, rate, 0.01, 4);
    expect(large).toBeGreaterThan(small);
    // The bound at the chosen threshold is within the accepted chance, one step below it is not.
    expect(chanceCount(300_000, rate, large)).toBeLessThanOrEqual(0.01);
    expect(chanceCount(300_000, rate, large - 1)).toBeGreaterThan(0.01);
  });

  it("rises with the per-resident rate at the same population", () => {
    expect(chanceThreshold(30_000, 0.2, 0.01, 4)).toBeGreaterThan(chanceThreshold(30_000, 0.02, 0.01, 4));
  });

  it("matches the tail of counter traffic measured on the demo prefecture (scale 11, one day)", () => {
    // 34,583 residents looked up by 37,583 (resident, operator) pairs: 14 residents reached four operators,
    // about one a day five. The bound must not be below what was observed.
    const rate = extraRate(34_583, 37_583);
    expect(chanceCount(34_583, rate, 4)).toBeGreaterThanOrEqual(14);
    expect(chanceThreshold(34_583, rate, 0.01, 5)).toBe(8);
  });

  it("stops at a bounded threshold when the rate is absurd", () => {
    expect(chanceThreshold(1e6, 1.5, 0.01, 4)).toBe(24);
  });
});

describe("thresholdsFor", () => {
  const p = { chancePerDay: 0.01, minOperators: 5, minOrganizations: 4 };

  it("leaves the judged resident out: alone on a quiet day it meets the floors", () => {
    const pop = { subjects: 1, prefix: "", sampleSubjects: 1, operatorPairs: 5, organizationPairs: 3 };
    expect(thresholdsFor(pop, { subject: "ab", operators: 5, organizations: 3 }, p)).toMatchObject({ operators: 5, organizations: 4, operatorRate: 0 });
  });

  it("rises on a busy day: five operators on one of 100,000 residents with 8 % second lookers is chance", () => {
    const pop = { subjects: 100_000, prefix: "0", sampleSubjects: 6_250, operatorPairs: 6_750, organizationPairs: 6_290 };
    const t = thresholdsFor(pop, { subject: "1f", operators: 5, organizations: 2 }, p);
    expect(t.operatorRate).toBeCloseTo(0.08);
    expect(t.operators).toBeGreaterThan(5);
    // Organisations are rarer: 0.64 % further organisations keeps four or five.
    expect(t.organizations).toBeLessThanOrEqual(5);
  });

  it("removes the resident's own pairs only when it is in the sample", () => {
    const pop = { subjects: 50_000, prefix: "0", sampleSubjects: 3_000, operatorPairs: 3_300, organizationPairs: 3_020 };
    const inside = thresholdsFor(pop, { subject: "0abc", operators: 30, organizations: 3 }, p);
    const outside = thresholdsFor(pop, { subject: "1abc", operators: 30, organizations: 3 }, p);
    expect(inside.operatorRate).toBeCloseTo((3_300 - 30 - 2_999) / 2_999);
    expect(outside.operatorRate).toBeCloseTo(0.1);
  });
});
