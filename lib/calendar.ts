/**
 * Business calendar in Japan Standard Time.
 *
 * Business days are Monday to Friday except national holidays (from the
 * maintained @holiday-jp/holiday_jp package) and the year-end closure
 * 12/29–1/3. All functions take instants (Date or epoch ms) and look at them
 * in JST, whatever the server's own time zone is.
 */
import holidayJp from "@holiday-jp/holiday_jp";

export const JST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface BusinessHours {
  /** "HH:MM" in JST */
  start: string;
  /** "HH:MM" in JST, exclusive */
  end: string;
}

export const DEFAULT_BUSINESS_HOURS: BusinessHours = { start: "08:30", end: "17:15" };

export interface JstParts {
  year: number;
  month: number; // 1-12
  day: number;
  hour: number;
  minute: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** "YYYY-MM-DD" of the JST calendar day */
  dateKey: string;
  /** minutes since JST midnight, 0–1439 */
  minuteOfDay: number;
}

const pad2 = (n: number) => (n < 10 ? "0" + n : String(n));

export function jstParts(instant: Date | number): JstParts {
  const ms = typeof instant === "number" ? instant : instant.getTime();
  const d = new Date(ms + JST_OFFSET_MS);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  const minute = d.getUTCMinutes();
  return {
    year,
    month,
    day,
    hour,
    minute,
    weekday: d.getUTCDay(),
    dateKey: `${year}-${pad2(month)}-${pad2(day)}`,
    minuteOfDay: hour * 60 + minute,
  };
}

/** Midnight JST of the given JST calendar day, as an instant. */
export function jstMidnight(dateKey: string): Date {
  return new Date(Date.parse(`${dateKey}T00:00:00+09:00`));
}

/** The JST calendar days from `fromKey` to `toKey` inclusive. */
export function jstDateKeys(fromKey: string, toKey: string): string[] {
  const out: string[] = [];
  for (let t = jstMidnight(fromKey).getTime(); t <= jstMidnight(toKey).getTime(); t += DAY_MS) {
    out.push(jstParts(t).dateKey);
  }
  return out;
}

const holidays = holidayJp.holidays as Record<string, { name: string }>;

export function holidayName(dateKey: string): string | undefined {
  return holidays[dateKey]?.name;
}

export function isNationalHoliday(dateKey: string): boolean {
  return dateKey in holidays;
}

export function isYearEndClosure(dateKey: string): boolean {
  const md = dateKey.slice(5);
  return md >= "12-29" || md <= "01-03";
}

function weekdayOfKey(dateKey: string): number {
  return new Date(Date.parse(`${dateKey}T00:00:00Z`)).getUTCDay();
}

/** Monday–Friday, not a national holiday, not 12/29–1/3. */
export function isBusinessDay(dateKey: string): boolean {
  const wd = weekdayOfKey(dateKey);
  return wd !== 0 && wd !== 6 && !isNationalHoliday(dateKey) && !isYearEndClosure(dateKey);
}

export function parseHhMm(hhmm: string): number {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`invalid time of day "${hhmm}" (expected HH:MM)`);
  return Number(m[1]) * 60 + Number(m[2]);
}

/** True when the instant falls on a business day within the organisation's hours (JST). */
export function isWithinBusinessHours(instant: Date | number, hours: BusinessHours = DEFAULT_BUSINESS_HOURS): boolean {
  const p = jstParts(instant);
  if (!isBusinessDay(p.dateKey)) return false;
  return p.minuteOfDay >= parseHhMm(hours.start) && p.minuteOfDay < parseHhMm(hours.end);
}

/** Japanese fiscal year (April–March) of the instant, e.g. 2026 for 2027-02-01. */
export function fiscalYear(instant: Date | number): number {
  const p = jstParts(instant);
  return p.month >= 4 ? p.year : p.year - 1;
}

/** "YYYY.MM" of the JST month, used for monthly index names. */
export function jstMonthKey(instant: Date | number): string {
  const p = jstParts(instant);
  return `${p.year}.${pad2(p.month)}`;
}

/** "HH:MM" of the instant in JST, e.g. "09:47". */
export function jstTimeLabel(instant: Date | number): string {
  const p = jstParts(instant);
  return `${pad2(p.hour)}:${pad2(p.minute)}`;
}

/** "YYYY-MM-DD HH:MM" of the instant in JST, e.g. "2026-11-06 09:47" (alert summaries). */
export function jstMinuteLabel(instant: Date | number): string {
  return `${jstParts(instant).dateKey} ${jstTimeLabel(instant)}`;
}

/** A date entered as a date ("YYYY-MM-DD", a real calendar day), or null. */
export function parseDateKey(value: string | null | undefined): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value?.trim() ?? "");
  if (!m) return null;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() + 1 === Number(m[2]) && d.getUTCDate() === Number(m[3]) ? m[0] : null;
}

/** The first instant after a JST calendar day: a date limit such as a 期限 of 12/31 holds through 12/31 23:59:59.999 JST. */
export function jstDayEnd(dateKey: string): Date {
  return new Date(jstMidnight(dateKey).getTime() + DAY_MS);
}
