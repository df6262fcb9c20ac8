/**
 * The dashboard's figures of access events in a range — events over time by action, events per organisation,
 * the top operators — within the caller's scope. Whole six-hour buckets are read from the tallies
 * (domain/events/tallies.ts) and the partial buckets at the range's ends from the events, and the two are
 * merged exactly; short ranges (hourly bars), a scope limited to periods (auditors) and edges too varied to
 * merge exactly are read from the events alone. Both ways give the same figures (tests/integration/tallies.test.ts).
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { scopedSearch } from "../../lib/es/scoped";
import { currentTallies, spansQuery, splitRange, talliesQuery, type Span } from "./tallies";

export type Interval = "1d" | "6h" | "1h";

export interface EventFigures {
  /** One row per histogram bucket: its JST label and the events of every action seen in the range (0 when none). */
  overTime: Record<string, string | number>[];
  /** Events per organisation, most first (ties by id), at most ORGANIZATIONS. */
  byOrganization: { organization: string; events: number }[];
  /** The OPERATORS operators with most events (ties by id), with the organisation most of their events came from. */
  topOperators: { operator: string; organization: string | undefined; events: number }[];
  /** Where the figures came from: the tallies with the edges' events, or the events alone. */
  source: "tallies" | "events";
}

export const ORGANIZATIONS = 100;
export const OPERATORS = 10;
/** Terms sizes when the edges are read to be merged: larger than any prefecture's or the nation's organisations. */
const ALL = 10_000;

/** Counts of one source (tallies or events) before merging. */
export interface Partial {
  /** Histogram key (epoch ms) → label and events per action. */
  overTime: Map<number, { t: string; actions: Map<string, number> }>;
  organizations: Map<string, number>;
  operators: Map<string, { events: number; organizations: Map<string, number> }>;
  /** True when a terms aggregation left buckets out (the partial cannot be merged exactly). */
  truncated: boolean;
}

export async function eventFigures(
  scope: Scope,
  range: { from: string; to: string },
  interval: Interval,
  options: { tallies?: boolean } = {},
): Promise<EventFigures> {
  const from = Date.parse(range.from);
  const to = Date.parse(range.to);
  const split = splitRange(from, to);
  if (options.tallies !== false && interval !== "1h" && split.interior && !scope.periodLimited) {
    const interior = split.interior;
    // The tallies are a shortcut: when they cannot be brought up to date (a node of the cluster lost at that
    // moment, a key without write access to them) the events answer, as they would without tallies.
    const merged = await (async () => {
      const generations = await currentTallies(interior);
      const [tallied, edges] = await Promise.all([
        readTallies(scope, range, interval, interior, generations),
        split.edges.length ? readEvents(scope, range, interval, split.edges, ALL, ALL) : undefined,
      ]);
      if (tallied.truncated || edges?.truncated) return undefined;
      // Operators seen at the edges may rise into the top list: their exact tallied events.
      const edgeOperators = edges ? [...edges.operators.keys()] : [];
      const lifted = edgeOperators.length ? await readTalliedOperators(scope, interior, generations, edgeOperators) : undefined;
      return merge(tallied, lifted, edges);
    })().catch((e: Error) => {
      console.error(`[tallies] read from the events instead: ${e.message}`);
      return undefined;
    });
    if (merged) return finish(merged, "tallies");
  }
  return finish(await readEvents(scope, range, interval, [{ from, to }], ORGANIZATIONS, OPERATORS), "events");
}

function histogram(range: { from: string; to: string }, interval: Interval): estypes.AggregationsDateHistogramAggregation {
  return {
    field: "@timestamp",
    fixed_interval: interval,
    time_zone: "Asia/Tokyo",
    min_doc_count: 0,
    extended_bounds: { min: range.from, max: range.to },
  };
}

async function readEvents(
  scope: Scope,
  range: { from: string; to: string },
  interval: Interval,
  spans: Span[],
  orgs: number,
  operators: number,
): Promise<Partial> {
  const res = await scopedSearch(scope, "events", {
    size: 0,
    query: spansQuery(spans),
    aggs: {
      overTime: { date_histogram: histogram(range, interval), aggs: { actions: { terms: { field: "event.action", size: 20 } } } },
      byOrg: { terms: { field: "organization.id", size: orgs } },
      topOperators: { terms: { field: "user.id", size: operators }, aggs: { org: { terms: { field: "organization.id", size: 5 } } } },
    },
  });
  const a = res.aggregations as unknown as Aggs;
  return {
    overTime: overTimeOf(a.overTime.buckets, docCount),
    organizations: new Map(a.byOrg.buckets.map((b) => [String(b.key), docCount(b)])),
    operators: operatorsOf(a.topOperators.buckets, docCount),
    truncated: orgs === ALL && ((a.byOrg.sum_other_doc_count ?? 0) > 0 || (a.topOperators.sum_other_doc_count ?? 0) > 0),
  };
}

/** The parts of Elasticsearch's aggregation answers read here. */
interface Bucket {
  key: string | number;
  key_as_string?: string;
  doc_count: number;
  n?: { value: number | null };
  actions?: { buckets: Bucket[] };
  org?: { buckets: Bucket[] };
}
type Aggs = Record<string, { buckets: Bucket[]; sum_other_doc_count?: number }>;
function docCount(b: Bucket): number {
  return b.doc_count;
}
function summed(b: Bucket): number {
  return b.n?.value ?? 0;
}

const SUM = { n: { sum: { field: "events" } } };
const BY_SUM = [{ n: "desc" as const }, { _key: "asc" as const }];

async function readTallies(scope: Scope, range: { from: string; to: string }, interval: Interval, interior: Span, generations: string[]): Promise<Partial> {
  const res = await scopedSearch(scope, "tallies", {
    size: 0,
    query: talliesQuery(interior, generations),
    aggs: {
      overTime: { date_histogram: histogram(range, interval), aggs: { actions: { terms: { field: "event.action", size: 20, order: BY_SUM }, aggs: SUM } } },
      byOrg: { terms: { field: "organization.id", size: ALL, order: BY_SUM }, aggs: SUM },
      topOperators: {
        terms: { field: "user.id", size: OPERATORS, order: BY_SUM },
        aggs: { ...SUM, org: { terms: { field: "organization.id", size: 5, order: BY_SUM }, aggs: SUM } },
      },
    },
  });
  const a = res.aggregations as unknown as Aggs;
  return {
    overTime: overTimeOf(a.overTime.buckets, summed),
    organizations: new Map(a.byOrg.buckets.map((b) => [String(b.key), summed(b)])),
    operators: operatorsOf(a.topOperators.buckets, summed),
    truncated: (a.byOrg.sum_other_doc_count ?? 0) > 0,
  };
}

/** The tallied events of the named operators (those seen at the edges), so that merging them is exact. */
async function readTalliedOperators(scope: Scope, interior: Span, generations: string[], operators: string[]): Promise<Partial> {
  const res = await scopedSearch(scope, "tallies", {
    size: 0,
    query: { bool: { filter: [talliesQuery(interior, generations), { terms: { "user.id": operators } }] } },
    aggs: {
      topOperators: {
        terms: { field: "user.id", size: operators.length },
        aggs: { ...SUM, org: { terms: { field: "organization.id", size: 5, order: BY_SUM }, aggs: SUM } },
      },
    },
  });
  const a = res.aggregations as unknown as Aggs;
  return { overTime: new Map(), organizations: new Map(), operators: operatorsOf(a.topOperators.buckets, summed), truncated: false };
}

function overTimeOf(buckets: Bucket[], sum: (b: Bucket) => number): Partial["overTime"] {
  return new Map(
    buckets.map((b) => [
      Number(b.key),
      { t: b.key_as_string ?? String(b.key), actions: new Map((b.actions?.buckets ?? []).map((x) => [String(x.key), sum(x)])) },
    ]),
  );
}

function operatorsOf(buckets: Bucket[], sum: (b: Bucket) => number): Partial["operators"] {
  return new Map(buckets.map((b) => [String(b.key), { events: sum(b), organizations: new Map((b.org?.buckets ?? []).map((o) => [String(o.key), sum(o)])) }]));
}

/**
 * Merges the tallies with the edges' events (pure; exported for its unit test). An operator's tallied events
 * come from `talliedOperators` (the lookup of the operators seen at the edges) when there, else from the
 * tallies' top list — the same events, never added twice — and the edges' events are added to them.
 */
export function merge(tallies: Partial, talliedOperators: Partial | undefined, edges: Partial | undefined): Partial {
  const out: Partial = { overTime: new Map(), organizations: new Map(), operators: new Map(), truncated: false };
  for (const p of [tallies, ...(edges ? [edges] : [])]) {
    for (const [key, b] of p.overTime) {
      const row = out.overTime.get(key) ?? out.overTime.set(key, { t: b.t, actions: new Map() }).get(key)!;
      for (const [action, n] of b.actions) row.actions.set(action, (row.actions.get(action) ?? 0) + n);
    }
    for (const [org, n] of p.organizations) out.organizations.set(org, (out.organizations.get(org) ?? 0) + n);
  }
  const copy = (o: { events: number; organizations: Map<string, number> }) => ({ events: o.events, organizations: new Map(o.organizations) });
  for (const [op, o] of tallies.operators) out.operators.set(op, copy(o));
  for (const [op, o] of talliedOperators?.operators ?? []) out.operators.set(op, copy(o));
  for (const [op, o] of edges?.operators ?? []) {
    const cur = out.operators.get(op);
    if (!cur) out.operators.set(op, copy(o));
    else {
      cur.events += o.events;
      for (const [org, n] of o.organizations) cur.organizations.set(org, (cur.organizations.get(org) ?? 0) + n);
    }
  }
  return out;
}

const byCountThenKey = <T extends { n: number; key: string }>(a: T, b: T) => b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** The merged counts as the dashboard shows them (pure). */
export function finish(p: Partial, source: EventFigures["source"]): EventFigures {
  const keys = [...p.overTime.keys()].sort((a, b) => a - b);
  const actions = [...new Set(keys.flatMap((k) => [...p.overTime.get(k)!.actions].filter(([, n]) => n > 0).map(([a]) => a)))].sort();
  const overTime = keys.map((k) => {
    const b = p.overTime.get(k)!;
    const row: Record<string, string | number> = { t: b.t };
    for (const a of actions) row[a] = b.actions.get(a) ?? 0;
    return row;
  });
  const byOrganization = [...p.organizations]
    .map(([key, n]) => ({ key, n }))
    .sort(byCountThenKey)
    .slice(0, ORGANIZATIONS)
    .map(({ key, n }) => ({ organization: key, events: n }));
  const topOperators = [...p.operators]
    .map(([key, o]) => ({ key, n: o.events, o }))
    .sort(byCountThenKey)
    .slice(0, OPERATORS)
    .map(({ key, n, o }) => ({
      operator: key,
      organization: [...o.organizations].map(([k, c]) => ({ key: k, n: c })).sort(byCountThenKey)[0]?.key,
      events: n,
    }));
  return { overTime, byOrganization, topOperators, source };
}
