import { describe, expect, it } from "vitest";
import {
  fiscalYear,
  holidayName,
  isBusinessDay,
  isWithinBusinessHours,
  jstDayEnd,
  jstMinuteLabel,
  jstMonthKey,
  jstParts,
  jstTimeLabel,
  parseDateKey,
} from "./calendar";
import { formatFiscalYear, formatJstLastDay } from "./i18n";

describe("calendar", () => {
  it("reads instants in JST whatever the offset they were written with", () => {
    const p = jstParts(new Date("2026-03-31T15:30:00Z"));
    expect(p.dateKey).toBe("2026-04-01");
    expect(p.hour).toBe(0);
    expect(p.minuteOfDay).toBe(30);
    expect(jstMonthKey(new Date("2026-03-31T15:30:00Z"))).toBe("2026.04");
  });

  it("labels instants to the minute in JST", () => {
    expect(jstTimeLabel(Date.parse("2026-11-06T00:47:59.999Z"))).toBe("09:47");
    expect(jstMinuteLabel(new Date("2026-03-31T15:05:00Z"))).toBe("2026-04-01 00:05");
    expect(jstMinuteLabel(Date.parse("2026-12-31T23:59:00+09:00"))).toBe("2026-12-31 23:59");
  });

  it("knows national holidays from the maintained package", () => {
    expect(holidayName("2026-05-05")).toBe("こどもの日");
    expect(isBusinessDay("2026-05-05")).toBe(false);
    expect(isBusinessDay("2026-11-23")).toBe(false); // 勤労感謝の日 (Monday)
    expect(isBusinessDay("2026-11-24")).toBe(true);
  });

  it("treats weekends and the year-end closure as non-business days", () => {
    expect(isBusinessDay("2026-11-21")).toBe(false); // Saturday
    expect(isBusinessDay("2026-12-28")).toBe(true);
    expect(isBusinessDay("2026-12-29")).toBe(false);
    expect(isBusinessDay("2027-01-04")).toBe(true);
    expect(isBusinessDay("2027-01-01")).toBe(false);
  });

  it("checks business hours with an exclusive end", () => {
    const hours = { start: "08:30", end: "17:15" };
    expect(isWithinBusinessHours(new Date("2026-11-24T08:30:00+09:00"), hours)).toBe(true);
    expect(isWithinBusinessHours(new Date("2026-11-24T08:29:59+09:00"), hours)).toBe(false);
    expect(isWithinBusinessHours(new Date("2026-11-24T17:14:59+09:00"), hours)).toBe(true);
    expect(isWithinBusinessHours(new Date("2026-11-24T17:15:00+09:00"), hours)).toBe(false);
    expect(isWithinBusinessHours(new Date("2026-11-23T10:00:00+09:00"), hours)).toBe(false);
  });

  it("computes the fiscal year and 令和 year", () => {
    expect(fiscalYear(new Date("2027-03-31T23:59:00+09:00"))).toBe(2026);
    expect(fiscalYear(new Date("2027-04-01T00:00:00+09:00"))).toBe(2027);
    expect(formatFiscalYear(2026)).toBe("令和8年度");
    expect(formatFiscalYear(2019)).toBe("令和元年度");
  });

  it("shows the last JST day of a period whose end is exclusive", () => {
    expect(formatJstLastDay(new Date("2026-10-01T00:00:00+09:00"))).toBe("2026/09/30");
    expect(formatJstLastDay(new Date("2026-10-01T10:00:00+09:00"))).toBe("2026/10/01");
  });
});

describe("date keys entered as dates", () => {
  it("accepts only real calendar days", () => {
    expect(parseDateKey("2026-12-31")).toBe("2026-12-31");
    expect(parseDateKey(" 2028-02-29 ")).toBe("2028-02-29");
    expect(parseDateKey("2026-02-29")).toBeNull();
    expect(parseDateKey("2026-13-01")).toBeNull();
    expect(parseDateKey("2026/12/31")).toBeNull();
    expect(parseDateKey(undefined)).toBeNull();
  });

  it("a day's limit holds through 23:59:59.999 JST of that day", () => {
    const end = jstDayEnd("2026-12-31");
    expect(end.toISOString()).toBe("2026-12-31T15:00:00.000Z");
    expect(Date.parse("2026-12-31T23:00:00+09:00")).toBeLessThan(end.getTime());
    expect(Date.parse("2027-01-01T00:00:00+09:00")).toBe(end.getTime());
  });
});
