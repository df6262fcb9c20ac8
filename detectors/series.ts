/**
 * Daily series per entity: for each (organisation, entity) the value of every JST day with events,
 * over a rule's window and its baseline period — what the rules that judge a day against the
 * entity's own history (baseline.ts) start from. One composite aggregation, paged in Elasticsearch.
 */
import type { estypes } from "@elastic/elasticsearch";
import { scopedBuckets } from "../lib/es/scoped";
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
 * The daily series of every (organisation, entity) with events matching `filter` in the window and the
 * `baselineDays` (default parameters) before it, grouped on `organization.id`, `entityField` and
 * `jukinet.time.date`, in that order.
 */
export async function dailySeries<M extends string>(
  ctx: Pick<RuleContext<{ baselineDays: number }>, "scope" | "window" | "params">,
  entityField: string,
  filter: Query[],
  metrics: Record<M, DailyMetric>,
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
  for await (const b of scopedBuckets(ctx.scope, "events", query, sources, sums)) {
    const { org, entity, day } = b.key as Record<"org" | "entity" | "day", string>;
    const k = `${org}\u0000${entity}`;
    let s = series.get(k);
    if (!s) series.set(k, (s = { org, id: entity, days: Object.fromEntries(names.map((m) => [m, new Map()])) as EntitySeries<M>["days"] }));
    for (const m of names) s.days[m].set(day, m in sums ? ((b[m] as estypes.AggregationsSumAggregate).value ?? 0) : b.doc_count);
  }
  return [...series.values()];
}
