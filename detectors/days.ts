/**
 * JST days for rules that judge per day: date keys (YYYY-MM-DD, as in `jukinet.time.date`),
 * the day bucket of a key, the days of a window, and whether two days are of the same kind.
 */
import { isBusinessDay, jstMidnight, jstParts } from "../lib/calendar";
import { bucketWindow, type Window } from "./rule";

export const DAY_MS = 86_400_000;

/** The JST date key of an instant. */
export const dayKey = (t: number) => jstParts(t).dateKey;

/** JST date key (YYYY-MM-DD) shifted by `days`. */
export const shiftDay = (key: string, days: number) => new Date(Date.parse(`${key}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The JST day bucket of a date key. */
export const dayWindow = (key: string) => bucketWindow(jstMidnight(key).getTime(), "day");

/** JST date keys of the days of a day-aligned window. */
export function windowDays(window: Window): string[] {
  const keys: string[] = [];
  for (let t = window.from.getTime(); t < window.to.getTime(); t += DAY_MS) keys.push(dayKey(t));
  return keys;
}

/** Days of the same kind: both business days or both not (weekends, holidays, the year-end closure). */
export const sameDayKind = (a: string, b: string) => isBusinessDay(a) === isBusinessDay(b);
