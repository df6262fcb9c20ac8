/**
 * Typed views of the aggregation results rules read. The client types a response's aggregations as a
 * union of every kind; a rule knows what it asked for and names it with these (e.g.
 * `Terms<{ records: Metric }>` for a terms aggregation with a sum under each bucket).
 */
import type { estypes } from "@elastic/elasticsearch";

/** A single-value metric (sum, min, max, cardinality); min/max of a date also give the date as text. */
export interface Metric {
  value: number | null;
  value_as_string?: string;
}

/** A cardinality (distinct count): never null. */
export interface Cardinality {
  value: number;
}

/** A bucket aggregation (terms, histogram, date_histogram), each bucket with the sub-aggregations `B`. */
export interface Terms<B = unknown, K extends string | number = string> {
  buckets: ({ key: K; doc_count: number } & B)[];
}

/** A date or fixed-interval histogram: keys are epoch milliseconds. */
export type Histogram<B = unknown> = Terms<B, number>;

/** A single-bucket aggregation (filter). */
export interface Count {
  doc_count: number;
}

/** The `top_hits` result of `sampleHits`. */
export type SampleHits = estypes.AggregationsTopHitsAggregate;

/** The aggregations of a response, read as `A` (what the request asked for). */
export const aggsOf = <A>(res: { aggregations?: unknown }): A => (res.aggregations ?? {}) as A;
