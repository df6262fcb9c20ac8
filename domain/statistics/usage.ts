/**
 * The prefecture's annual usage report (seed 003 §4(2) 本県利用状況): searches
 * per schedule (別表第3, 第5, 第6, 県条例 and any other schedule present), how
 * many of the schedule's 事務 were used ("N事務のうち、M事務で利用"), the change
 * from the previous fiscal year, and the same per organisation in scope.
 *
 * Computed live in Elasticsearch: one composite aggregation per fiscal year
 * over (organisation, schedule, 事務) pages through every group, so the figures
 * are exact and nothing is truncated; no event document is read.
 */
import { z } from "zod";
import type { Scope } from "../../lib/auth/scope";
import { fiscalYear as fiscalYearOf } from "../../lib/calendar";
import { db } from "../../lib/db";
import { scopedBuckets, scopedCount } from "../../lib/es/scoped";
import { t, type MessageKey } from "../../lib/i18n";
import { ALL_SCHEDULE_IDS, findSchedule } from "../registry/purposes";
import { figureQuery } from "./figures";
import { usagePeriods, type Period } from "./period";

/** The event actions counted as uses: the `uses` figure of ./figures.ts. */
export { USAGE_ACTIONS } from "./figures";

/** Schedules always shown, in the order of seed 003 §4(2); others follow when present. */
export const REPORTED_SCHEDULES = ["3", "5", "6", "ordinance"] as const;

/** Key of a schedule or 事務 missing on an event (the contract requires both; kept visible rather than dropped). */
export const UNSPECIFIED = "";

/** Searches of one organisation for one 事務 of one schedule in one period. */
export interface UsageCount {
  organization: string;
  schedule: string;
  /** UNSPECIFIED when the event had no 事務. */
  item: string;
  searches: number;
}

/** Figures of one fiscal year against the previous one. */
export interface UsageFigures {
  searches: number;
  /** Distinct 事務 used. */
  itemsUsed: number;
  previousSearches: number;
  previousItemsUsed: number;
  /** searches − previousSearches */
  change: number;
  /** change / previousSearches × 100; null when the previous year had none. */
  changePct: number | null;
}

export interface ScheduleUsage extends UsageFigures {
  schedule: string;
  label: string;
  /** 事務 of the schedule in data/purposes.json (its total_items, else its listed items); null for an unknown schedule. */
  itemsTotal: number | null;
}

export interface OrganizationUsage {
  organizationId: string;
  name: string;
  /** Per schedule id of `UsageReport.schedules`. */
  bySchedule: Record<string, UsageFigures>;
  total: UsageFigures;
}

export interface UsageReport {
  fiscalYear: number;
  current: Period;
  previous: Period;
  /** True while the fiscal year is still running: both periods end on the same day (前年度同期). */
  partial: boolean;
  /** Whether anything at all (any event, not only searches) was recorded in scope in each period: without, the figures are "no data", not 0. */
  hasData: boolean;
  previousHasData: boolean;
  schedules: ScheduleUsage[];
  total: UsageFigures;
  organizations: OrganizationUsage[];
  generatedAt: Date;
}

/** A form or query value left empty counts as not given. */
export const optional = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === "" ? undefined : v), schema.optional());
export const organizationParam = z.string().regex(/^\d{6}$/, "expected a 6-digit organisation code");

/** Query of the usage page and its XLSX route: `?fiscalYear=2022&organization=352012` (both optional). */
export const usageParams = z.object({
  fiscalYear: optional(z.coerce.number().int().min(2002, "fiscal years start at 2002").max(9998)),
  organization: optional(organizationParam),
});

/** The fiscal year asked for, else the current one. */
export function requestedFiscalYear(params: z.infer<typeof usageParams>, now: Date): number {
  return params.fiscalYear ?? fiscalYearOf(now);
}

/** Label of a schedule row: seed 003's wording for the four reported schedules, else the name in purposes.json. */
export function scheduleLabel(schedule: string): string {
  if ((REPORTED_SCHEDULES as readonly string[]).includes(schedule)) return t(`stats.schedule.${schedule}` as MessageKey);
  if (schedule === UNSPECIFIED) return t("stats.unspecified");
  return findSchedule(schedule)?.name ?? schedule;
}

/** Number of 事務 a schedule has (its total_items in purposes.json, else the items listed there). */
export function itemsTotalOf(schedule: string): number | null {
  const s = findSchedule(schedule);
  return s ? (s.total_items ?? s.items.length) : null;
}

/** "N事務のうち、M事務で利用" (or "M事務で利用" when N is unknown). */
export function itemsUsedText(used: number, total: number | null): string {
  return total === null
    ? t("stats.usage.itemsUsedNoTotal").replace("{used}", String(used))
    : t("stats.usage.itemsUsed").replace("{total}", String(total)).replace("{used}", String(used));
}

export function yearOverYear(searches: number, previousSearches: number): Pick<UsageFigures, "change" | "changePct"> {
  const change = searches - previousSearches;
  return { change, changePct: previousSearches > 0 ? (change / previousSearches) * 100 : null };
}

function figures(current: UsageCount[], previous: UsageCount[]): UsageFigures {
  const sum = (rows: UsageCount[]) => rows.reduce((s, r) => s + r.searches, 0);
  // A 事務 is its (schedule, item) pair; an event without an item names no 事務.
  const distinct = (rows: UsageCount[]) => new Set(rows.filter((r) => r.item !== UNSPECIFIED).map((r) => `${r.schedule}\u0000${r.item}`)).size;
  const searches = sum(current);
  const previousSearches = sum(previous);
  return { searches, itemsUsed: distinct(current), previousSearches, previousItemsUsed: distinct(previous), ...yearOverYear(searches, previousSearches) };
}

/** Position of a schedule in purposes.json's order (別表第1 … 第6, 条例, 住基法, …); unknown ones last. */
export function scheduleOrder(schedule: string): number {
  const i = (ALL_SCHEDULE_IDS as readonly string[]).indexOf(schedule);
  return i < 0 ? ALL_SCHEDULE_IDS.length : i;
}

/**
 * The report's tables from the counts of the two years: the reported schedules
 * and every other schedule with searches in either year, the total, and one
 * row per organisation (in the given order, including those without searches).
 */
export function summariseUsage(
  current: UsageCount[],
  previous: UsageCount[],
  organizations: { id: string; name: string }[],
): Pick<UsageReport, "schedules" | "total" | "organizations"> {
  // Seed 003's schedules first in its order, then the others present in the order of purposes.json.
  const others = [...new Set([...current, ...previous].map((c) => c.schedule))]
    .filter((s) => !(REPORTED_SCHEDULES as readonly string[]).includes(s))
    .sort((a, b) => scheduleOrder(a) - scheduleOrder(b) || a.localeCompare(b));
  const scheduleIds: string[] = [...REPORTED_SCHEDULES, ...others];

  const index = (rows: UsageCount[], key: (r: UsageCount) => string) => {
    const m = new Map<string, UsageCount[]>();
    for (const r of rows) {
      const k = key(r);
      const list = m.get(k);
      if (list) list.push(r);
      else m.set(k, [r]);
    }
    return (k: string) => m.get(k) ?? [];
  };
  /** Figures of both years for one key of `key`. */
  const split = (key: (r: UsageCount) => string) => {
    const cur = index(current, key);
    const prev = index(previous, key);
    return (k: string) => figures(cur(k), prev(k));
  };
  const perSchedule = split((r) => r.schedule);
  const perOrganization = split((r) => r.organization);
  const perCell = split((r) => `${r.organization}|${r.schedule}`);

  return {
    schedules: scheduleIds.map((schedule) => ({ schedule, label: scheduleLabel(schedule), itemsTotal: itemsTotalOf(schedule), ...perSchedule(schedule) })),
    total: figures(current, previous),
    organizations: organizations.map((o) => ({
      organizationId: o.id,
      name: o.name,
      bySchedule: Object.fromEntries(scheduleIds.map((s) => [s, perCell(`${o.id}|${s}`)])),
      total: perOrganization(o.id),
    })),
  };
}

/** Searches per (organisation, schedule, 事務) in the period, every group paged through (also the audit report's 別表・事務別). */
export async function usageCounts(scope: Scope, period: Period): Promise<UsageCount[]> {
  const out: UsageCount[] = [];
  const groups = scopedBuckets(scope, "events", figureQuery("uses", period), [
    { organization: { terms: { field: "organization.id" } } },
    { schedule: { terms: { field: "jukinet.purpose.schedule", missing_bucket: true } } },
    { item: { terms: { field: "jukinet.purpose.item", missing_bucket: true } } },
  ]);
  for await (const b of groups) {
    out.push({
      organization: String(b.key.organization),
      schedule: (b.key.schedule as string | null) ?? UNSPECIFIED,
      item: (b.key.item as string | null) ?? UNSPECIFIED,
      searches: b.doc_count,
    });
  }
  return out;
}

/** Organisations of the scope with their names: the prefecture(s) first, then by code. */
async function organizationRows(scope: Scope): Promise<{ id: string; name: string }[]> {
  const rows = await db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true, kind: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  const ids = scope.organizations ?? rows.map((r) => r.id);
  const rank = (id: string) => (byId.get(id)?.kind === "municipality" ? 1 : 0);
  return [...new Set(ids)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).map((id) => ({ id, name: byId.get(id)?.name ?? id }));
}

/**
 * The usage report of `fiscalYear` within the scope (narrow it for one
 * organisation). Throws a RangeError for a fiscal year not started at `now`.
 */
export async function usageReport(scope: Scope, opts: { fiscalYear: number; now?: Date }): Promise<UsageReport> {
  const now = opts.now ?? new Date();
  const { current, previous, partial } = usagePeriods(opts.fiscalYear, now);
  const [cur, prev, orgs, hasData, previousHasData] = await Promise.all([
    usageCounts(scope, current),
    usageCounts(scope, previous),
    organizationRows(scope),
    hasRecords(scope, current),
    hasRecords(scope, previous),
  ]);
  return { fiscalYear: opts.fiscalYear, current, previous, partial, hasData, previousHasData, ...summariseUsage(cur, prev, orgs), generatedAt: now };
}

/** Whether any event at all was recorded in scope in the period (the console may not have run then, or the data was not imported). */
export async function hasRecords(scope: Scope, period: Period): Promise<boolean> {
  return (await scopedCount(scope, "events", figureQuery("allRecords", period))) > 0;
}
