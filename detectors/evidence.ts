/**
 * The part of an alert's evidence every rule gives the same way: a few sample
 * events to start from, and the Elasticsearch query that reproduces the events
 * behind the alert (on the read alias of the stream, as a reader would run it).
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope, ScopedStream } from "../lib/auth/scope";
import { scopedSearch, streamIndex, type CompositeBucket } from "../lib/es/scoped";
import { aggsOf, type Metric, type SampleHits } from "./aggs";
import type { AlertCandidate } from "./rule";

type Query = estypes.QueryDslQueryContainer;
type Evidence = AlertCandidate["evidence"];

/** A `top_hits` sub-aggregation that returns sample event references. */
export const sampleHits = (size = 5): estypes.AggregationsAggregationContainer => ({
  top_hits: { size, sort: [{ "@timestamp": "asc" }], _source: ["event.id", "observer.id", "@timestamp"] },
});

/** The sample event references of a `sampleHits` result. */
export function samplesOf(topHits: { hits?: { hits?: estypes.SearchHit<unknown>[] } } | undefined): Evidence["sample_events"] {
  return (topHits?.hits?.hits ?? []).map((h) => {
    const source = h._source as { observer?: { id: string }; event?: { id: string }; "@timestamp"?: string } | undefined;
    return { observer: source?.observer?.id as string, id: source?.event?.id as string, timestamp: source?.["@timestamp"] as string };
  });
}

/** Sub-aggregations for the first and last event and the samples (read back with `spanOf` and `reproduce`). */
export const SPAN_AND_SAMPLES: Record<string, estypes.AggregationsAggregationContainer> = {
  first: { min: { field: "@timestamp" } },
  last: { max: { field: "@timestamp" } },
  samples: sampleHits(),
};

/** The first and last event of a bucket with SPAN_AND_SAMPLES. */
export const spanOf = (b: Pick<SpanAndSamples, "first" | "last"> | CompositeBucket): { first: string; last: string } => ({
  first: (b.first as Metric).value_as_string as string,
  last: (b.last as Metric).value_as_string as string,
});

/** What SPAN_AND_SAMPLES gives back. */
export interface SpanAndSamples {
  first: Metric;
  last: Metric;
  samples: SampleHits;
}

/**
 * `sample_events` and `query` of an alert: the samples of a `sampleHits` result and the reproducing
 * query on `stream`'s read alias; a list of filters stands for `{ bool: { filter } }`.
 */
export function reproduce(samples: SampleHits | undefined, query: Query | Query[], stream: ScopedStream = "events"): Pick<Evidence, "sample_events" | "query"> {
  return { sample_events: samplesOf(samples), query: { index: streamIndex(stream), query: Array.isArray(query) ? { bool: { filter: query } } : query } };
}

/**
 * The details of the events matching `filter` (one alert's events): the rule's own aggregations `aggs`,
 * and the evidence tail `{ first, last, sample_events, query }`. `samples` replaces the default sampling.
 */
export async function detailOf<A = Record<string, unknown>>(
  scope: Scope,
  filter: Query[],
  aggs: Record<string, estypes.AggregationsAggregationContainer>,
  samples: estypes.AggregationsAggregationContainer = sampleHits(),
): Promise<{ a: A; tail: { first: string; last: string } & Pick<Evidence, "sample_events" | "query"> }> {
  const res = await scopedSearch(scope, "events", { size: 0, query: { bool: { filter } }, aggs: { ...aggs, ...SPAN_AND_SAMPLES, samples } });
  const a = aggsOf<A & SpanAndSamples>(res);
  return { a, tail: { ...spanOf(a), ...reproduce(a.samples, filter) } };
}
