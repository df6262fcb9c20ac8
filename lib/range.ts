/** The time range shared by every console page, carried in the URL (?range=7d or ?from=&to=). */
export const RANGES = { "1d": 1, "7d": 7, "30d": 30, "90d": 90 } as const;
export type RangeKey = keyof typeof RANGES;

export interface TimeRange {
  from: string;
  to: string;
  key: RangeKey | "custom";
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A bound of the range: a date alone is a JST calendar day (from its start; `to` through its end), never UTC midnight. */
function bound(value: string | undefined, end: boolean): string | undefined {
  if (!value || !DATE_ONLY.test(value)) return value;
  const start = Date.parse(`${value}T00:00:00+09:00`);
  return Number.isNaN(start) ? value : new Date(start + (end ? 86_400_000 : 0)).toISOString();
}

export function parseRange(params: Record<string, string | string[] | undefined>, now = Date.now()): TimeRange {
  const one = (k: string) => (Array.isArray(params[k]) ? params[k]![0] : (params[k] as string | undefined));
  const from = bound(one("from"), false);
  const to = bound(one("to"), true);
  if (from && to && !Number.isNaN(Date.parse(from)) && !Number.isNaN(Date.parse(to)) && Date.parse(from) < Date.parse(to)) {
    return { from: new Date(from).toISOString(), to: new Date(to).toISOString(), key: "custom" };
  }
  const key = (one("range") as RangeKey) in RANGES ? (one("range") as RangeKey) : "30d";
  return { from: new Date(now - RANGES[key] * 86_400_000).toISOString(), to: new Date(now).toISOString(), key };
}

/** Query string that keeps the range when moving between pages. */
export function rangeQuery(r: TimeRange): string {
  return r.key === "custom" ? `from=${encodeURIComponent(r.from)}&to=${encodeURIComponent(r.to)}` : `range=${r.key}`;
}
