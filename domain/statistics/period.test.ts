import { describe, expect, it } from "vitest";
import { dateKeyOf, daysPeriod, fiscalYearPeriod, monthKeyOf, monthKeys, monthsPeriod, recentFiscalYears, usagePeriods } from "./period";

describe("fiscal years", () => {
  it("runs from April 1 to March 31 in JST", () => {
    const p = fiscalYearPeriod(2022);
    expect(p.from.toISOString()).toBe("2022-03-31T15:00:00.000Z");
    expect(p.to.toISOString()).toBe("2023-03-31T15:00:00.000Z");
  });

  it("refuses what is not a fiscal year", () => {
    for (const fy of [2021.5, 1999, Number.NaN]) expect(() => fiscalYearPeriod(fy)).toThrow(RangeError);
  });

  it("compares a finished year with the whole previous one", () => {
    const r = usagePeriods(2022, new Date("2024-01-01T00:00:00Z"));
    expect(r.partial).toBe(false);
    expect(r.current).toEqual(fiscalYearPeriod(2022));
    expect(r.previous).toEqual(fiscalYearPeriod(2021));
  });

  it("compares a running year with the same part of the previous one (前年度同期)", () => {
    const now = new Date("2026-11-23T10:00:00+09:00");
    const r = usagePeriods(2026, now);
    expect(r.partial).toBe(true);
    expect(r.current).toEqual({ from: fiscalYearPeriod(2026).from, to: now });
    expect(r.previous).toEqual({ from: fiscalYearPeriod(2025).from, to: new Date("2025-11-23T10:00:00+09:00") });
  });

  it("refuses a fiscal year that has not started", () => {
    expect(() => usagePeriods(2027, new Date("2027-03-31T23:59:59+09:00"))).toThrow(RangeError);
    expect(usagePeriods(2027, new Date("2027-04-01T00:00:00+09:00")).partial).toBe(true);
  });

  it("offers recent fiscal years, the current one first", () => {
    expect(recentFiscalYears(new Date("2026-03-31T23:00:00+09:00"), 3)).toEqual([2025, 2024, 2023]);
    expect(recentFiscalYears(new Date("2026-04-01T00:00:00+09:00"), 2)).toEqual([2026, 2025]);
  });
});

describe("months and days", () => {
  it("lists the months of a period across a year end", () => {
    expect(monthKeys("2021-11", "2022-02")).toEqual(["2021-11", "2021-12", "2022-01", "2022-02"]);
    expect(monthKeys("2022-04", "2022-04")).toEqual(["2022-04"]);
  });

  it("refuses malformed, reversed and too long periods", () => {
    expect(() => monthKeys("2022-13", "2023-01")).toThrow(/invalid month/);
    expect(() => monthKeys("2022-04", "2022-03")).toThrow(/before it starts/);
    expect(() => monthKeys("2020-01", "2023-01")).toThrow(/longer than 36 months/);
  });

  it("turns months into JST instants, the last month included", () => {
    const p = monthsPeriod("2021-04", "2022-03");
    expect(p).toEqual(fiscalYearPeriod(2021));
    expect(monthsPeriod("2022-12", "2022-12").to.toISOString()).toBe("2022-12-31T15:00:00.000Z");
  });

  it("keys instants by their JST month and day", () => {
    // 2022-04-30 23:30 JST is still April in Japan although it is the 30th 14:30 UTC; 2022-03-31 15:30 UTC is April 1 in JST.
    expect(monthKeyOf(new Date("2022-03-31T15:30:00Z"))).toBe("2022-04");
    expect(dateKeyOf(new Date("2022-03-31T15:30:00Z"))).toBe("2022-04-01");
  });

  it("turns days into JST instants, the last day included, and refuses days that do not exist", () => {
    const p = daysPeriod("2022-04-01", "2022-04-30");
    expect(p.from.toISOString()).toBe("2022-03-31T15:00:00.000Z");
    expect(p.to.toISOString()).toBe("2022-04-30T15:00:00.000Z");
    expect(() => daysPeriod("2023-02-29", "2023-03-01")).toThrow(/invalid date/);
    expect(() => daysPeriod("2022-05-01", "2022-04-30")).toThrow(/before it starts/);
    expect(() => daysPeriod("2022/04/01", "2022-04-30")).toThrow(/invalid date/);
  });
});
