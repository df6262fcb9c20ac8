import { describe, expect, it } from "vitest";
import { endedPeriods, isOverdue, periodEndOf, periodLabel, periodStartOf, sampleOffsets, seededRandom } from "./periods";

const jst = (s: string) => new Date(`${s}+09:00`);

describe("review periods", () => {
  it("monthly periods are JST months, due N days after the end", () => {
    const ps = endedPeriods(jst("2026-09-15T00:00:00"), jst("2026-12-02T10:00:00"), "monthly", 10);
    expect(ps.map((p) => periodLabel(p.start, p.end))).toEqual(["2026年10月", "2026年11月"]);
    expect(ps[0].start.toISOString()).toBe("2026-09-30T15:00:00.000Z");
    expect(ps[1].dueAt.toISOString()).toBe(jst("2026-12-11T00:00:00").toISOString());
  });

  it("a period starting exactly at `from` is included; one not yet ended is not", () => {
    const ps = endedPeriods(jst("2026-10-01T00:00:00"), jst("2026-11-30T23:59:00"), "monthly", 10);
    expect(ps.map((p) => periodLabel(p.start, p.end))).toEqual(["2026年10月"]);
  });

  it("quarterly periods are fiscal quarters, across the year end", () => {
    expect(periodStartOf(jst("2027-02-10T12:00:00"), "quarterly").toISOString()).toBe(jst("2027-01-01T00:00:00").toISOString());
    expect(periodEndOf(jst("2026-10-01T00:00:00"), "quarterly").toISOString()).toBe(jst("2027-01-01T00:00:00").toISOString());
    const ps = endedPeriods(jst("2026-04-01T00:00:00"), jst("2027-04-02T00:00:00"), "quarterly", 30);
    expect(ps.map((p) => periodLabel(p.start, p.end))).toEqual(["2026年4月〜6月", "2026年7月〜9月", "2026年10月〜12月", "2027年1月〜3月"]);
  });

  it("overdue only while a draft past its due time", () => {
    const now = jst("2026-12-02T00:00:00");
    expect(isOverdue({ status: "draft", dueAt: jst("2026-12-01T00:00:00") }, now)).toBe(true);
    expect(isOverdue({ status: "draft", dueAt: jst("2026-12-03T00:00:00") }, now)).toBe(false);
    expect(isOverdue({ status: "done", dueAt: jst("2026-11-01T00:00:00") }, now)).toBe(false);
  });

  it("the sample is the same for the same seed and differs for another", () => {
    const a = sampleOffsets(100_000, 10, seededRandom("review-a"));
    expect(sampleOffsets(100_000, 10, seededRandom("review-a"))).toEqual(a);
    expect(sampleOffsets(100_000, 10, seededRandom("review-b"))).not.toEqual(a);
    expect(new Set(a).size).toBe(10);
    expect(a.every((x) => x >= 0 && x < 100_000)).toBe(true);
    expect(sampleOffsets(3, 10, seededRandom("x"))).toEqual([0, 1, 2]);
  });
});
