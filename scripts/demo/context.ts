/**
 * Shared state of one generation run: the world (registry, residents, options),
 * the calendar facts of each generated day, and the per-node event buffers of
 * the day being generated.
 */
import { isBusinessDay, jstMidnight, jstDateKeys, parseHhMm, type BusinessHours } from "../../lib/calendar";
import type { AccessEvent } from "./events";
import type { DemoWorldRegistry } from "./registry";
import type { ResidentPools } from "./residents";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export interface DemoWorld {
  seed: number;
  scale: number;
  registry: DemoWorldRegistry;
  residents: ResidentPools;
  days: DayInfo[];
  /** First instant (JST midnight of the first day) and last millisecond of the period. */
  from: number;
  to: number;
}

export interface DayInfo {
  /** Position in the period, 0-based. */
  index: number;
  key: string;
  midnight: number;
  weekday: number;
  business: boolean;
  /** The previous calendar day was a business day (night batches run after business days). */
  previousBusiness: boolean;
  previousWeekday: number;
  /** First business day after a weekend, holiday or closure (Monday peak). */
  afterClosure: boolean;
  /** One of the last three business days of the month. */
  monthEnd: boolean;
  /** March–April, when moves (and updates, move-in notices) roughly double. */
  movingSeason: boolean;
}

function shiftKey(key: string, days: number): string {
  return new Date(Date.parse(`${key}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

function lastBusinessDaysOfMonth(key: string): boolean {
  const month = key.slice(0, 7);
  let later = 0;
  for (let k = shiftKey(key, 1); k.slice(0, 7) === month; k = shiftKey(k, 1)) if (isBusinessDay(k)) later++;
  return later < 3;
}

/** The JST calendar days of the period ending on `endKey` (inclusive). */
export function periodDays(endKey: string, count: number): DayInfo[] {
  const keys = jstDateKeys(shiftKey(endKey, -(count - 1)), endKey);
  return keys.map((key, index) => {
    const previous = shiftKey(key, -1);
    const business = isBusinessDay(key);
    const previousBusiness = isBusinessDay(previous);
    const weekday = new Date(Date.parse(`${key}T00:00:00Z`)).getUTCDay();
    const month = Number(key.slice(5, 7));
    return {
      index,
      key,
      midnight: jstMidnight(key).getTime(),
      weekday,
      business,
      previousBusiness,
      previousWeekday: (weekday + 6) % 7,
      afterClosure: business && !previousBusiness,
      monthEnd: business && lastBusinessDaysOfMonth(key),
      movingSeason: month === 3 || month === 4,
    };
  });
}

/** Instant of a JST time of day ("HH:MM" or minutes) on a day. */
export function at(day: DayInfo, time: string | number, seconds = 0): number {
  const minutes = typeof time === "string" ? parseHhMm(time) : time;
  return Math.round(day.midnight + minutes * MINUTE_MS + seconds * 1000);
}

export function hoursOf(hours: BusinessHours): { start: number; end: number } {
  return { start: parseHhMm(hours.start), end: parseHhMm(hours.end) };
}

/** Events of one day, per sending node. */
export class DayBuffers {
  readonly byNode = new Map<string, AccessEvent[]>();

  push(nodeId: string, event: AccessEvent): void {
    let list = this.byNode.get(nodeId);
    if (!list) this.byNode.set(nodeId, (list = []));
    list.push(event);
  }

  pushAll(nodeId: string, events: AccessEvent[]): void {
    for (const e of events) this.push(nodeId, e);
  }

  get(nodeId: string): AccessEvent[] {
    return this.byNode.get(nodeId) ?? [];
  }
}
