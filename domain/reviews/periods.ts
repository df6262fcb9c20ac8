/**
 * The periods of a log-review schedule (pure): JST calendar months, or fiscal
 * quarters (April–June, July–September, October–December, January–March).
 * A period's review task exists once the period has ended; it falls due
 * `dueDays` after the end.
 */
import { jstParts } from "../../lib/calendar";

export const FREQUENCIES = ["monthly", "quarterly"] as const;
export type Frequency = (typeof FREQUENCIES)[number];

export const DEFAULT_FREQUENCY: Frequency = "monthly";
export const DEFAULT_DUE_DAYS = 10;
export const MAX_DUE_DAYS = 60;

const DAY_MS = 86_400_000;

export interface ReviewPeriod {
  start: Date;
  end: Date;
  dueAt: Date;
}

/** Midnight JST of the first day of (year, month 1–12; months past 12 roll into the next year). */
export function jstMonthStart(year: number, month: number): Date {
  const y = year + Math.floor((month - 1) / 12);
  const m = ((((month - 1) % 12) + 12) % 12) + 1;
  return new Date(Date.parse(`${y}-${String(m).padStart(2, "0")}-01T00:00:00+09:00`));
}

/** Start of the period of `frequency` containing the instant. */
export function periodStartOf(instant: Date, frequency: Frequency): Date {
  const p = jstParts(instant);
  if (frequency === "monthly") return jstMonthStart(p.year, p.month);
  // Fiscal quarters start in April, July, October and January.
  const firstMonth = p.month - ((p.month - 1) % 3);
  return jstMonthStart(p.year, firstMonth);
}

/** End (exclusive) of the period starting at `start`. */
export function periodEndOf(start: Date, frequency: Frequency): Date {
  const p = jstParts(start);
  return jstMonthStart(p.year, p.month + (frequency === "monthly" ? 1 : 3));
}

export function dueAtOf(end: Date, dueDays: number): Date {
  return new Date(end.getTime() + dueDays * DAY_MS);
}

/**
 * The periods that have ended by `now`, from the period containing `from`
 * (never one starting before it), at most `limit` of the most recent.
 */
export function endedPeriods(from: Date, now: Date, frequency: Frequency, dueDays: number, limit = 36): ReviewPeriod[] {
  const out: ReviewPeriod[] = [];
  let start = periodStartOf(from, frequency);
  if (start.getTime() < from.getTime()) start = periodEndOf(start, frequency);
  for (;;) {
    const end = periodEndOf(start, frequency);
    if (end.getTime() > now.getTime()) break;
    out.push({ start, end, dueAt: dueAtOf(end, dueDays) });
    start = end;
  }
  return out.slice(-limit);
}

/** "2026年10月" or "2026年10月〜12月" (the period's months in JST). */
export function periodLabel(start: Date, end: Date): string {
  const a = jstParts(start);
  const b = jstParts(new Date(end.getTime() - 1));
  if (a.year === b.year && a.month === b.month) return `${a.year}年${a.month}月`;
  return a.year === b.year ? `${a.year}年${a.month}月〜${b.month}月` : `${a.year}年${a.month}月〜${b.year}年${b.month}月`;
}

/** Whether a review is overdue: past its due time and not done (a done or signed-off review never is). */
export function isOverdue(r: { status: string; dueAt: Date }, now: Date): boolean {
  return r.status === "draft" && r.dueAt.getTime() <= now.getTime();
}

/**
 * A deterministic pseudo-random generator (mulberry32) seeded from a string:
 * the review's sample is drawn with the review id as seed, so it is the same
 * every time the page is opened.
 */
export function seededRandom(seed: string): () => number {
  let h = 1779033703 ^ seed.length;
  for (let i = 0; i < seed.length; i++) {
    h = Math.imul(h ^ seed.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `k` distinct offsets in [0, total), sorted, drawn with `random` (all of them when total ≤ k). */
export function sampleOffsets(total: number, k: number, random: () => number): number[] {
  if (total <= k) return Array.from({ length: total }, (_, i) => i);
  const picked = new Set<number>();
  while (picked.size < k) picked.add(Math.floor(random() * total));
  return [...picked].sort((a, b) => a - b);
}
