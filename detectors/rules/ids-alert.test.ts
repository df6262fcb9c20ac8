import { describe, expect, it } from "vitest";
import { mergeIntervals } from "./ids-alert";

describe("mergeIntervals", () => {
  it("merges overlapping and touching intervals in any order", () => {
    expect(
      mergeIntervals([
        [50, 60],
        [0, 10],
        [5, 20],
        [20, 30],
      ]),
    ).toEqual([
      [0, 30],
      [50, 60],
    ]);
    expect(mergeIntervals([])).toEqual([]);
  });
});
