/** Dates and fiscal years as users see them: always JST, fiscal years in the Japanese era. */

const jstFormat = new Intl.DateTimeFormat("ja-JP", {
  timeZone: "Asia/Tokyo",
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

const jstDate = new Intl.DateTimeFormat("ja-JP", { timeZone: "Asia/Tokyo", year: "numeric", month: "2-digit", day: "2-digit" });

/** Date shown to users (JST), e.g. 2026/11/23. */
export function formatJstDate(instant: Date | number | string): string {
  return jstDate.format(new Date(instant));
}

/** The last JST day of a period whose end is exclusive (2026-10-01T00:00 JST → 2026/09/30). */
export function formatJstLastDay(end: Date | number | string): string {
  return formatJstDate(new Date(new Date(end).getTime() - 1));
}

/** Fiscal year in the Japanese era, e.g. 2026 → 令和8年度. */
export function formatFiscalYear(fiscalYear: number): string {
  // Kept here rather than imported from calendar.ts so client bundles stay free of the holiday table.
  const r = fiscalYear - 2018;
  return r === 1 ? "令和元年度" : `令和${r}年度`;
}

/** Date-time shown to users, always in JST. */
export function formatJst(instant: Date | number | string): string {
  return jstFormat.format(new Date(instant));
}

// ---------------------------------------------------------------------------
// Date-only values and official dates

const DATE_KEY = /^(\d{4})-(\d{2})-(\d{2})$/;
const JST_MS = 9 * 3_600_000;

/** The JST calendar day of an instant as numbers. */
function jstYmd(instant: Date | number | string): { y: number; m: number; d: number } {
  const j = new Date(new Date(instant).getTime() + JST_MS);
  return { y: j.getUTCFullYear(), m: j.getUTCMonth() + 1, d: j.getUTCDate() };
}

/** A value entered as a date ("YYYY-MM-DD") as users read it, e.g. 2026-12-31 → 2026/12/31; never a time, never UTC. */
export function formatDateKey(dateKey: string): string {
  const m = DATE_KEY.exec(dateKey);
  return m ? `${m[1]}/${m[2]}/${m[3]}` : dateKey;
}

/**
 * A date-only value as a date: a "YYYY-MM-DD" key as it is, an instant as its
 * JST day (a date stored as JST midnight, e.g. 2027-01-30T15:00:00.000Z → 2027/01/31).
 */
export function formatDateOnly(value: Date | number | string): string {
  return typeof value === "string" && DATE_KEY.test(value) ? formatDateKey(value) : formatJstDate(value);
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * A value recorded in a change history (stored as text) as users read it: an
 * ISO instant at JST midnight is a date entered as a date (2027/01/31), any
 * other ISO instant a JST date-time; everything else unchanged.
 */
export function formatRecordedValue(value: string): string {
  if (!ISO_INSTANT.test(value)) return value;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) return value;
  return (ms + JST_MS) % 86_400_000 === 0 ? formatJstDate(ms) : formatJst(ms);
}

/** Japanese eras from their first day (JST), newest first. */
const ERAS: { name: string; start: [number, number, number] }[] = [
  { name: "令和", start: [2019, 5, 1] },
  { name: "平成", start: [1989, 1, 8] },
  { name: "昭和", start: [1926, 12, 25] },
];

/** The JST day of an instant in the Japanese era, e.g. 令和8年12月1日 (the first year is 元年). */
export function formatWareki(instant: Date | number | string): string {
  const { y, m, d } = jstYmd(instant);
  const key = y * 10_000 + m * 100 + d;
  const era = ERAS.find((e) => key >= e.start[0] * 10_000 + e.start[1] * 100 + e.start[2]);
  if (!era) return `${y}年${m}月${d}日`;
  const n = y - era.start[0] + 1;
  return `${era.name}${n === 1 ? "元" : n}年${m}月${d}日`;
}

/** A date on an official letter: the Japanese era with the Western date, e.g. 令和8年12月1日（2026年12月1日）. */
export function formatOfficialDate(instant: Date | number | string): string {
  const { y, m, d } = jstYmd(instant);
  return `${formatWareki(instant)}（${y}年${m}月${d}日）`;
}

/** A "YYYY-MM-DD" day entered as a date, on an official letter. */
export function formatOfficialDateKey(dateKey: string): string {
  return formatOfficialDate(`${dateKey}T00:00:00+09:00`);
}
