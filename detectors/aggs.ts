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

/** What every aggregation reads as when the search found no index at all: no buckets, no value, no hits. */
const EMPTY = Object.freeze({ buckets: Object.freeze([]), value: null, doc_count: 0, hits: Object.freeze({ hits: Object.freeze([]) }) });
const NO_AGGREGATIONS = new Proxy({}, { get: () => EMPTY });

/**
 * The aggregations of a response, read as `A` (what the request asked for). A search over no index (an empty
 * deployment, a month not yet written: `allow_no_indices`) answers without `aggregations`; each of them then
 * reads as empty instead of failing the rule.
 */
export const aggsOf = <A>(res: { aggregations?: unknown }): A => (res.aggregations ?? NO_AGGREGATIONS) as A;
