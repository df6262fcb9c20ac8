import { describe, expect, it } from "vitest";
import rule, { isSpike, ownBaseline } from "./operator-volume-spike";

const p = rule.params;
const series = (values: Record<string, number>) => new Map(Object.entries(values));

describe("operator-volume-spike decision", () => {
  const usual = series({ "2026-06-01": 30, "2026-06-02": 34, "2026-06-03": 28, "2026-06-04": 36, "2026-06-05": 31, "2026-06-08": 33 });

  it("uses the active days of the previous 28 days, not the day itself or older ones", () => {
    const s = new Map([...usual, ["2026-05-01", 500], ["2026-06-09", 400]]);
    expect(ownBaseline(s, "2026-06-09", p)).toMatchObject({ days: 6, median: 32 });
  });

  it("fires far above the own median and the peers, not on a steady busy operator or a busy organisation", () => {
    const own = ownBaseline(usual, "2026-06-09", p);
    expect(own.threshold).toBe(96); // 3 × median 32
    expect(isSpike(320, own, 30, p)).toBe(true);
    expect(isSpike(90, own, 30, p)).toBe(false); // within 3× own median
    expect(isSpike(320, own, 120, p)).toBe(false); // the whole organisation is as busy
    expect(isSpike(320, own, null, p)).toBe(true); // no peers that day: own baseline only
  });

  it("needs minExcess above a small median and enough history", () => {
    const quiet = series({ "2026-06-01": 4, "2026-06-02": 6, "2026-06-03": 4, "2026-06-04": 5, "2026-06-05": 5 });
    const own = ownBaseline(quiet, "2026-06-08", p);
    expect(own.threshold).toBe(45); // median 5 + minExcess 40
    expect(isSpike(30, own, 5, p)).toBe(false);
    expect(isSpike(60, own, 5, p)).toBe(true);
    expect(isSpike(60, ownBaseline(quiet, "2026-06-05", p), 5, p)).toBe(false); // four days of history
  });
});
