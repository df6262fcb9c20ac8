/**
 * When an alert should be dealt with (pure). From the time it was raised
 * (detection.first_seen), by severity: 緊急 within 4 hours, 高 within 1
 * business day, 中 within 3 business days, 低 within 5 business days
 * (business days: Monday–Friday, not national holidays or 12/29–1/3, JST;
 * the deadline is the same time of day on the Nth following business day).
 */
import { isBusinessDay, jstParts } from "../../lib/calendar";

const HOUR_MS = 3600_000;
const DAY_MS = 86_400_000;

export const DUE_RULES: Record<string, { hours?: number; businessDays?: number }> = {
  critical: { hours: 4 },
  high: { businessDays: 1 },
  medium: { businessDays: 3 },
  low: { businessDays: 5 },
};

/** The deadline of an alert of a severity raised at `raisedAt`. */
export function dueAt(severity: string, raisedAt: Date | string): Date {
  const start = new Date(raisedAt).getTime();
  const rule = DUE_RULES[severity] ?? DUE_RULES.low;
  if (rule.hours) return new Date(start + rule.hours * HOUR_MS);
  let t = start;
  for (let left = rule.businessDays ?? 5; left > 0;) {
    t += DAY_MS;
    if (isBusinessDay(jstParts(t).dateKey)) left--;
  }
  return new Date(t);
}

/** Age in milliseconds at `now`. */
export function ageMs(raisedAt: Date | string, now: number = Date.now()): number {
  return Math.max(0, now - new Date(raisedAt).getTime());
}

/** "3日4時間", "5時間12分", "8分": an age or a remaining time, for the queue's columns. */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d) return `${d}日${h}時間`;
  if (h) return `${h}時間${m}分`;
  return `${m}分`;
}
