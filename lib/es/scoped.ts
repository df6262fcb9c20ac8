/**
 * The one way to read organisation-owned documents (access events, IDS
 * alerts, detector alerts) from Elasticsearch: every search, count and
 * composite aggregation here takes a Scope and adds its filter itself, so a
 * query cannot be written without it.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope, ScopedStream } from "../auth/scope";
import { config } from "../config";
import { es } from "./client";

type Query = estypes.QueryDslQueryContainer;

/** The read alias of a stream. */
export function streamIndex(stream: ScopedStream): string {
  return `${config().ES_INDEX_PREFIX}-${stream}`;
}

/** The caller's query with the scope's filter added (a query inside `filter`: no scoring, as every reader sorts by fields). */
export function scopedQuery(scope: Scope, stream: ScopedStream, query?: Query): Query {
  const filter = [...scope.esFilter(stream), ...(query ? [query] : [])];
  return filter.length ? { bool: { filter } } : { match_all: {} };
}

export type ScopedSearchRequest = Omit<estypes.SearchRequest, "index" | "query"> & { query?: Query };

/** The total hit count of a search response, whichever form Elasticsearch reported it in. */
export function totalHits(res: Pick<estypes.SearchResponse, "hits">): number {
  const total = res.hits.total;
  return typeof total === "number" ? total : (total?.value ?? 0);
}

/** A stream nothing was ever written to (no IDS sensor yet, a fresh install) reads as empty, not as an error. */
const MISSING_IS_EMPTY = { ignore_unavailable: true, allow_no_indices: true } as const;

export async function scopedSearch<T = unknown>(scope: Scope, stream: ScopedStream, req: ScopedSearchRequest = {}): Promise<estypes.SearchResponse<T>> {
  return es().search<T>({ ...req, ...MISSING_IS_EMPTY, index: streamIndex(stream), query: scopedQuery(scope, stream, req.query) });
}

export async function scopedCount(scope: Scope, stream: ScopedStream, query?: Query): Promise<number> {
  return (await es().count({ ...MISSING_IS_EMPTY, index: streamIndex(stream), query: scopedQuery(scope, stream, query) })).count;
}

export type CompositeBucket = estypes.AggregationsCompositeBucket & Record<string, any>;

/** Pages through a composite aggregation within the scope; cost grows with groups, not documents. */
export async function* scopedBuckets(
  scope: Scope,
  stream: ScopedStream,
  query: Query,
  sources: Record<string, estypes.AggregationsCompositeAggregationSource>[],
  subAggs: Record<string, estypes.AggregationsAggregationContainer> = {},
  size = 1000,
): AsyncGenerator<CompositeBucket> {
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const res = await scopedSearch(scope, stream, {
      size: 0,
      query,
      aggs: { groups: { composite: { size, sources, ...(after ? { after: after as Record<string, estypes.FieldValue> } : {}) }, aggs: subAggs } },
    });
    const agg = res.aggregations?.groups as estypes.AggregationsCompositeAggregate | undefined;
    const buckets = (agg?.buckets ?? []) as CompositeBucket[];
    for (const b of buckets) yield b;
    if (!agg?.after_key || buckets.length < size) return;
    after = agg.after_key;
  }
}
