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
