/**
 * Scan detection (enumeration-scan): an entity's ordinary pace of look-ups, and the densest span of
 * one operator's or terminal's look-ups on one day, re-counted exactly, when it is a scan. operator-volume-spike
 * uses it too, to leave a scan's look-ups out of the day it judges.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../lib/auth/scope";
import { scopedSearch, totalHits } from "../lib/es/scoped";
import { medianMad } from "./baseline";
import { aggsOf, type Cardinality, type Count, type Histogram, type Metric, type SampleHits, type Terms } from "./aggs";
import { dayKey, dayWindow, shiftDay } from "./days";
import { densestSpan, lookupQuery } from "./lookups";
import type { RegistrySnapshot } from "./registry";
import { sampleHits } from "./evidence";
import { timeRange } from "./rule";

type Query = estypes.QueryDslQueryContainer;

/** The parameters of scan detection (enumeration-scan's, which operator-volume-spike reuses to set scans aside). */
export interface ScanParams {
  windowMinutes: number;
  minSubjects: number;
  minWalkSubjects: number;
  criticalSubjects: number;
  typicalFactor: number;
  baselineDays: number;
  minHistoryDays: number;
  usualFactor: number;
}

/** The default scan parameters: enumeration-scan's `params`, and what other rules use to find a scan. */
export const SCAN_DEFAULTS: ScanParams = {
  windowMinutes: 30,
  minSubjects: 50,
  minWalkSubjects: 20,
  criticalSubjects: 200,
  typicalFactor: 4,
  baselineDays: 28,
  minHistoryDays: 2,
  usualFactor: 2,
};

/**
 * An entity's typical load on a day: the median look-ups of its window-long bins with any look-up,
 * leaving out its two fullest bins (a scan fills at most two). Zero with fewer than four others:
 * a short day is judged on the floors alone.
 */
export function typicalLoad(binLookups: number[]): number {
  const rest = [...binLookups].sort((a, b) => b - a).slice(2);
  if (rest.length < 4) return 0;
  return medianMad(rest).median;
}

/** The most look-ups in two neighbouring window-long bins (they bound any span of the window's length). */
export const peakPair = (bins: number[]) => bins.reduce((m, v, i) => Math.max(m, v + (bins[i + 1] ?? 0)), 0);

/**
 * Look-ups in one window above the entity's ordinary pace: `typicalFactor` times its typical load that day,
 * `usualFactor` times its usual daily peak (median over the baseline's active days, once it has
 * `minHistoryDays`), and never below the subjects floor.
 */
export const burstThreshold = (p: ScanParams, typical: number, usualPeak = 0) =>
  Math.max(p.minSubjects, Math.ceil(p.typicalFactor * typical), Math.ceil(p.usualFactor * usualPeak));

/**
 * An entity's usual daily peak: per active day of the `baselineDays` before `day`, its most look-ups in two
 * neighbouring window-long bins; the median of those, or 0 with fewer than `minHistoryDays` active days.
 */
export async function usualPeak(
  scope: Scope,
  registry: RegistrySnapshot,
  p: ScanParams,
  group: { field: "user.id" | "host.id"; id: string; org: string; day: string },
): Promise<{ peak: number; days: number }> {
  const res = await scopedSearch(scope, "events", {
    size: 0,
    query: {
      bool: {
        filter: [
          timeRange(dayWindow(shiftDay(group.day, -p.baselineDays)).start, dayWindow(group.day).start),
          lookupQuery(registry, true),
          { term: { [group.field]: group.id } },
          { term: { "organization.id": group.org } },
        ],
      },
    },
    aggs: { bins: { date_histogram: { field: "@timestamp", fixed_interval: `${p.windowMinutes}m`, min_doc_count: 1 } } },
  });
  const byDay = new Map<string, number[]>();
  for (const b of aggsOf<{ bins?: Histogram }>(res).bins?.buckets ?? []) {
    const key = dayKey(Number(b.key));
    (byDay.get(key) ?? byDay.set(key, []).get(key)!).push(b.doc_count);
  }
  const peaks = [...byDay.values()].map(peakPair);
  return { peak: peaks.length >= p.minHistoryDays ? medianMad(peaks).median : 0, days: peaks.length };
}

/** What findScan's exact re-count of a span gives back. */
export interface ScanAggs {
  subjects: Cardinality;
  blocks: Cardinality;
  top_blocks: Terms<{ subjects: Cardinality }>;
  actions: Terms;
  kinds: Terms;
  not_found: Count;
  users: Terms;
  hosts: Terms;
  first: Metric;
  last: Metric;
  samples: SampleHits;
}

export interface Scan {
  start: number;
  end: number;
  subjects: number;
  blocks: number;
  /** Distinct subjects inside the two fullest code blocks (a code walk fills one block). */
  subjectsInTopBlocks: number;
  walk: boolean;
  events: number;
  agg: ScanAggs;
  query: Query;
}

/** Distinct subjects for locating the densest span (cheaper; the decision re-counts exactly). */
export const ROUGH_SUBJECTS: estypes.AggregationsAggregationContainer = {
  cardinality: { field: "jukinet.subject.ref", precision_threshold: 200, execution_hint: "direct" },
};

/**
 * The densest span of `windowMinutes` of one operator's or terminal's look-ups on one day,
 * re-counted exactly; returned when it is a scan (many distinct subjects, or a code walk).
 */
export async function findScan(
  scope: Scope,
  registry: RegistrySnapshot,
  p: ScanParams,
  /** `minEvents`: look-ups the span must hold besides the distinct subjects (burstThreshold; 0: the floors alone). */
  group: { field: "user.id" | "host.id"; id: string; org: string; day: string; minEvents?: number },
): Promise<Scan | undefined> {
  const day = dayWindow(group.day);
  const filters = (from: string | number, to: string | number): Query[] => [
    timeRange(from, to),
    lookupQuery(registry, true),
    { term: { [group.field]: group.id } },
    { term: { "organization.id": group.org } },
  ];
  const hist = await scopedSearch(scope, "events", {
    size: 0,
    query: { bool: { filter: filters(day.start, day.end) } },
    aggs: { bins: { date_histogram: { field: "@timestamp", fixed_interval: "5m", min_doc_count: 1 }, aggs: { subjects: ROUGH_SUBJECTS } } },
  });
  const bins = (aggsOf<{ bins?: Histogram<{ subjects: Cardinality }> }>(hist).bins?.buckets ?? []).map((b) => ({
    start: Number(b.key),
    value: b.subjects.value,
  }));
  const span = densestSpan(bins, p.windowMinutes * 60_000);
  if (!span || span.value < Math.min(p.minSubjects, p.minWalkSubjects)) return undefined;
  const filter = filters(span.start, span.end);
  const res = await scopedSearch(scope, "events", {
    size: 0,
    query: { bool: { filter } },
    aggs: {
      subjects: { cardinality: { field: "jukinet.subject.ref" } },
      blocks: { cardinality: { field: "jukinet.subject.block_ref" } },
      top_blocks: {
        terms: { field: "jukinet.subject.block_ref", size: 2, order: { subjects: "desc" } },
        aggs: { subjects: { cardinality: { field: "jukinet.subject.ref" } } },
      },
      actions: { terms: { field: "event.action", size: 5 } },
      kinds: { terms: { field: "jukinet.query.kind", size: 10 } },
      not_found: { filter: { term: { "jukinet.query.result_count": 0 } } },
      users: { terms: { field: "user.id", size: 5 } },
      hosts: { terms: { field: "host.id", size: 5 } },
      first: { min: { field: "@timestamp" } },
      last: { max: { field: "@timestamp" } },
      samples: sampleHits(),
    },
  });
  const a = aggsOf<ScanAggs>(res);
  const subjects = a.subjects.value;
  const subjectsInTopBlocks = a.top_blocks.buckets.reduce((s, b) => s + b.subjects.value, 0);
  const walk = subjectsInTopBlocks >= p.minWalkSubjects;
  const events = totalHits(res);
  if (!walk && (subjects < p.minSubjects || events < (group.minEvents ?? 0))) return undefined;
  return { start: span.start, end: span.end, subjects, blocks: a.blocks.value, subjectsInTopBlocks, walk, events, agg: a, query: { bool: { filter } } };
}
