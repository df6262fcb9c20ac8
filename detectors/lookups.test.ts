import { describe, expect, it } from "vitest";
import { densestSpan } from "./lookups";

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
