/**
 * Robust baselines of daily series (date key → value): median and MAD of the
 * active days before a day, and the value from which a day is far above them.
 */
import { DAY_MS, sameDayKind, shiftDay } from "./days";
import { timeRange, type Window } from "./rule";

/** Median and median absolute deviation. */
export function medianMad(values: number[]): { median: number; mad: number } {
  if (!values.length) return { median: 0, mad: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = (xs: number[]) => (xs.length % 2 ? xs[(xs.length - 1) / 2] : (xs[xs.length / 2 - 1] + xs[xs.length / 2]) / 2);
  const median = mid(sorted);
  const mad = mid(sorted.map((v) => Math.abs(v - median)).sort((a, b) => a - b));
  return { median, mad };
}

/** `@timestamp` over the window and the `baselineDays` days before it: what a daily series with its baseline needs. */
export const withBaselinePeriod = (window: Window, baselineDays: number) => timeRange(window.from.getTime() - baselineDays * DAY_MS, window.to);

/** The entries of `series` in the `days` days before `key` (days without activity are absent). */
export function daysBefore(series: Map<string, number>, key: string, days: number): [string, number][] {
  const from = shiftDay(key, -days);
  return [...series].filter(([k]) => k >= from && k < key);
}

/** Far above a baseline: at least `factor` × median, `minExcess` above it and `madK` scaled MADs above it. */
export const farAbove = (median: number, mad: number, p: { factor: number; madK: number }, minExcess: number) =>
  Math.ceil(Math.max(p.factor * median, median + minExcess, median + p.madK * 1.4826 * mad));

export interface Baseline {
  /** Days with activity in the baseline period. */
  days: number;
  median: number;
  mad: number;
  /** The value from which a day counts as far above the baseline. */
  threshold: number;
}

/**
 * Robust baseline of the values of the `baselineDays` days before `key`. Days without
 * activity are absent, so it is the usual level of an active day: the median
 * and MAD of the active days, or of the active days of the same kind as `key`
 * when there are at least 3 of them and their median is higher (a run of
 * holidays must not lower the bar for the next business day).
 * Far above = at least `factor` × median, `minExcess` above the median and
 * `madK` scaled MADs above it: all three must hold.
 */
export function baselineBefore(
  series: Map<string, number>,
  key: string,
  p: { baselineDays: number; factor: number; madK: number },
  minExcess: number,
): Baseline {
  const history = daysBefore(series, key, p.baselineDays);
  const all = medianMad(history.map(([, v]) => v));
  const same = history.filter(([k]) => sameDayKind(k, key)).map(([, v]) => v);
  const sameStats = medianMad(same);
  const { median, mad } = same.length >= 3 && sameStats.median > all.median ? sameStats : all;
  return { days: history.length, median, mad, threshold: farAbove(median, mad, p, minExcess) };
}
