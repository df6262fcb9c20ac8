/**
 * Daily series per entity: for each (organisation, entity) the value of every JST day with events,
 * over a rule's window and its baseline period — what the rules that judge a day against the
 * entity's own history (baseline.ts) start from. One composite aggregation, paged in Elasticsearch; a series
 * of operators' events by action reads its whole six-hour buckets from the tallies instead (domain/events/tallies.ts),
 * so a scheduler pass does not count 28 days of events again every five minutes.
 */
import type { estypes } from "@elastic/elasticsearch";
import { currentTallies, spansQuery, splitRange, talliesQuery } from "../domain/events/tallies";
import { scopedBuckets, type CompositeBucket } from "../lib/es/scoped";
import { DAY_MS } from "./days";
import { withBaselinePeriod } from "./baseline";
import type { RuleContext } from "./rule";

type Query = estypes.QueryDslQueryContainer;

/** What a series holds per day: the number of events, or the sum of a numeric field over them. */
export type DailyMetric = "events" | { sum: string };

export interface EntitySeries<M extends string> {
  org: string;
  /** The entity's id (the value of the entity field). */
  id: string;
  /** Per metric, JST date key → value; days without events are absent. */
  days: Record<M, Map<string, number>>;
}

/**
 * A series' filter in the tallies' terms, when it is one: events of these actions by an operator (`user.id`
 * present) outside `excludeUsers`. The caller keeps it equal to its event filter (lookups.ts `lookupTallies`).
 */
export interface TallyFilter {
  actions: string[];
  excludeUsers: string[];
}

/**
 * The daily series of every (organisation, entity) with events matching `filter` in the window and the
 * `baselineDays` (default parameters) before it, grouped on `organization.id`, `entityField` and
 * `jukinet.time.date`, in that order.
 */
export async function dailySeries<M extends string>(
  ctx: Pick<RuleContext<{ baselineDays: number }>, "scope" | "window" | "params">,
  entityField: string,
  filter: Query[],
  metrics: Record<M, DailyMetric>,
  tallied?: TallyFilter,
): Promise<EntitySeries<M>[]> {
  const names = Object.keys(metrics) as M[];
  const sums: Record<string, estypes.AggregationsAggregationContainer> = {};
  for (const m of names) {
    const metric = metrics[m];
    if (metric !== "events") sums[m] = { sum: { field: metric.sum } };
  }
  const query: Query = { bool: { filter: [withBaselinePeriod(ctx.window, ctx.params().baselineDays), ...filter] } };
  const sources: Record<string, estypes.AggregationsCompositeAggregationSource>[] = [
    { org: { terms: { field: "organization.id" } } },
    { entity: { terms: { field: entityField } } },
    { day: { terms: { field: "jukinet.time.date" } } },
  ];
  const series = new Map<string, EntitySeries<M>>();
  const add = (b: CompositeBucket, value: (m: M) => number) => {
    const { org, entity, day } = b.key as Record<"org" | "entity" | "day", string>;
    const k = `${org}\u0000${entity}`;
    let s = series.get(k);
    if (!s) series.set(k, (s = { org, id: entity, days: Object.fromEntries(names.map((m) => [m, new Map()])) as EntitySeries<M>["days"] }));
    for (const m of names) s.days[m].set(day, (s.days[m].get(day) ?? 0) + value(m));
  };
  const eventValue = (b: CompositeBucket) => (m: M) => (m in sums ? ((b[m] as estypes.AggregationsSumAggregate).value ?? 0) : b.doc_count);

  const from = ctx.window.from.getTime() - ctx.params().baselineDays * DAY_MS;
  const split = splitRange(from, ctx.window.to.getTime());
  if (tallied && split.interior && entityField === "user.id" && names.every((m) => metrics[m] === "events") && !ctx.scope.periodLimited) {
    const interior = split.interior;
    try {
      const generations = await currentTallies(interior);
      const byTally: Query = {
        bool: {
          filter: [talliesQuery(interior, generations), { terms: { "event.action": tallied.actions } }],
          ...(tallied.excludeUsers.length ? { must_not: [{ terms: { "user.id": tallied.excludeUsers } }] } : {}),
        },
      };
      const days = { date_histogram: { field: "@timestamp", calendar_interval: "1d", time_zone: "Asia/Tokyo", format: "yyyy-MM-dd" } } as const;
      for await (const b of scopedBuckets(ctx.scope, "tallies", byTally, [sources[0], sources[1], { day: days }], { n: { sum: { field: "events" } } }))
        add(b, () => (b.n as estypes.AggregationsSumAggregate).value ?? 0);
      if (split.edges.length)
        for await (const b of scopedBuckets(ctx.scope, "events", { bool: { filter: [spansQuery(split.edges), ...filter] } }, sources, sums))
          add(b, eventValue(b));
      return [...series.values()];
    } catch (e) {
      // The tallies are a shortcut: when they cannot be brought up to date, the events answer.
      console.error(`[tallies] series from the events instead: ${(e as Error).message}`);
      series.clear();
    }
  }
  for await (const b of scopedBuckets(ctx.scope, "events", query, sources, sums)) add(b, eventValue(b));
  return [...series.values()];
}
