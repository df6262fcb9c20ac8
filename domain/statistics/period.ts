/**
 * Periods of the statistics reports, always in JST: fiscal years (April 1 –
 * March 31), calendar months ("YYYY-MM") and calendar days ("YYYY-MM-DD").
 * A period is half-open: [from, to).
 */
import { fiscalYear, jstMidnight, jstParts } from "../../lib/calendar";

export interface Period {
  from: Date;
  to: Date;
}

/** Fiscal years a report may ask for (the console has no data before Juki-net's 2002 start). */
const FIRST_FISCAL_YEAR = 2002;
const MONTH_KEY = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_KEY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

const pad2 = (n: number) => String(n).padStart(2, "0");

/** Fiscal year `fy` (e.g. 2022 = 令和4年度): April 1 of `fy` to April 1 of `fy + 1`, JST midnights. */
export function fiscalYearPeriod(fy: number): Period {
  if (!Number.isInteger(fy) || fy < FIRST_FISCAL_YEAR || fy > 9998) throw new RangeError(`invalid fiscal year ${fy}`);
  return { from: jstMidnight(`${fy}-04-01`), to: jstMidnight(`${fy + 1}-04-01`) };
}

/**
 * The fiscal year of a usage report and the previous one to compare it with.
 * While `fy` is still running (`now` inside it) the report covers it up to
 * `now` and the comparison covers the previous year up to the same day one
 * year earlier (前年度同期), so the change is not a part year against a full one.
 */
export function usagePeriods(fy: number, now: Date): { current: Period; previous: Period; partial: boolean } {
  const current = fiscalYearPeriod(fy);
  const previous = fiscalYearPeriod(fy - 1);
  if (now < current.from) throw new RangeError(`fiscal year ${fy} has not started`);
  if (now >= current.to) return { current, previous, partial: false };
  const yearEarlier = new Date(now);
  yearEarlier.setUTCFullYear(yearEarlier.getUTCFullYear() - 1);
  return { current: { from: current.from, to: now }, previous: { from: previous.from, to: yearEarlier }, partial: true };
}

/** Fiscal years offered by the report pages: the current one first, back to `count` years. */
export function recentFiscalYears(now: Date, count = 6): number[] {
  const fy = fiscalYear(now);
  return Array.from({ length: count }, (_, i) => fy - i).filter((y) => y >= FIRST_FISCAL_YEAR);
}

/** "YYYY-MM" of the JST month of an instant. */
export function monthKeyOf(instant: Date | number): string {
  const p = jstParts(instant);
  return `${p.year}-${pad2(p.month)}`;
}

const monthIndex = (key: string) => {
  const m = MONTH_KEY.exec(key);
  if (!m) throw new RangeError(`invalid month "${key}" (expected YYYY-MM)`);
  return Number(m[1]) * 12 + Number(m[2]) - 1;
};
const monthKeyAt = (index: number) => `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;

/**
 * The JST months from `from` to `to` inclusive ("YYYY-MM"), at most `max`;
 * throws a RangeError on a malformed month, a reversed range or a longer one.
 */
export function monthKeys(from: string, to: string, max = 36): string[] {
  const a = monthIndex(from);
  const b = monthIndex(to);
  if (b < a) throw new RangeError(`the period ends (${to}) before it starts (${from})`);
  if (b - a + 1 > max) throw new RangeError(`the period is longer than ${max} months`);
  return Array.from({ length: b - a + 1 }, (_, i) => monthKeyAt(a + i));
}

/** The instants of the JST months `from` … `to` inclusive. */
export function monthsPeriod(from: string, to: string): Period {
  return { from: jstMidnight(`${from}-01`), to: jstMidnight(`${monthKeyAt(monthIndex(to) + 1)}-01`) };
}

/** The instants of the JST days `from` … `to` inclusive ("YYYY-MM-DD"); throws a RangeError when invalid or reversed. */
export function daysPeriod(from: string, to: string): Period {
  for (const d of [from, to]) {
    // Also refuses days that do not exist (2023-02-29), which Date would roll over.
    if (!DATE_KEY.test(d) || jstParts(jstMidnight(d)).dateKey !== d) throw new RangeError(`invalid date "${d}" (expected YYYY-MM-DD)`);
  }
  if (to < from) throw new RangeError(`the period ends (${to}) before it starts (${from})`);
  return { from: jstMidnight(from), to: new Date(jstMidnight(to).getTime() + 86_400_000) };
}

/** "YYYY-MM-DD" of the JST day of an instant. */
export function dateKeyOf(instant: Date | number): string {
  return jstParts(instant).dateKey;
}
