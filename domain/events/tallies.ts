/**
 * Six-hour tallies of access events — (JST six-hour bucket, organisation, action, operator) → events — kept in
 * `<prefix>-tallies`, so that the dashboard aggregates thousands of tallies instead of millions of events
 * (issue 16: the dashboard at 10 M events).
 *
 * Tallies are derived data, brought up to date when read and trusted no further than they can prove:
 * - events are only ever added to a monthly index (`create` with deterministic ids) or dropped with the whole
 *   index, so within one index (one uuid) a bucket's events only grow: when the counts the buckets of a span
 *   were tallied at add up to the span's events now, the span is current (one count per month to know it);
 * - otherwise the span's six-hour counts are compared with the recorded ones and only the buckets whose count
 *   changed are tallied again (a range ending now leaves the bucket being written to the events: an edge);
 * - a tally is written with its bucket's event count as an external version, so a rebuild that read an older
 *   state never overwrites a newer one (several console instances may rebuild at once);
 * - tallies carry their monthly index's uuid (`generation`) and are read for the current uuids only, so a month
 *   deleted and written again (archive and restore, retention, a test) never mixes with its earlier tallies,
 *   which are pruned when the new generation is first tallied.
 * Every read goes through the one scope mechanism (stream "tallies"; a period grant admits whole buckets only).
 */
import { createHash } from "node:crypto";
import { errors, type estypes } from "@elastic/elasticsearch";
import { systemScope, TALLY_BUCKET_MS } from "../../lib/auth/scope";
import { JST_OFFSET_MS } from "../../lib/calendar";
import { config } from "../../lib/config";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { scopedCount, scopedSearch, streamIndex, totalHits } from "../../lib/es/scoped";
import { indexSuffix, monthRange, monthsBetween } from "../archive/streams";

/** The tally bucket (TALLY_BUCKET_MS, six hours) starts at JST 00:00, 06:00, 12:00 and 18:00. */
export { TALLY_BUCKET_MS };
/** Composite page size when tallying a bucket (within Elasticsearch's default search.max_buckets). */
const PAGE = 10_000;

/** Start of the six-hour JST bucket holding an instant. */
export function tallyBucketStart(t: number): number {
  return Math.floor((t + JST_OFFSET_MS) / TALLY_BUCKET_MS) * TALLY_BUCKET_MS - JST_OFFSET_MS;
}

export interface Span {
  from: number;
  to: number;
}

/**
 * A range split into whole tally buckets (`interior`, absent when the range holds none) and the partial
 * buckets at its ends (`edges`, read from the events themselves).
 */
export function splitRange(from: number, to: number): { interior?: Span; edges: Span[] } {
  const first = tallyBucketStart(from) === from ? from : tallyBucketStart(from) + TALLY_BUCKET_MS;
  const last = tallyBucketStart(to);
  if (first >= last) return { edges: from < to ? [{ from, to }] : [] };
  return {
    interior: { from: first, to: last },
    edges: [...(from < first ? [{ from, to: first }] : []), ...(last < to ? [{ from: last, to }] : [])],
  };
}

/** The JST months a span touches ("YYYY.MM", as the monthly indices name them), with their bounds. */
export function monthsOf(span: Span): { key: string; start: number; end: number }[] {
  return monthsBetween(new Date(span.from), new Date(span.to)).map((month) => {
    const { from, to } = monthRange(month);
    return { key: indexSuffix(month), start: from.getTime(), end: to.getTime() };
  });
}

/** Events in any of the spans (a range for one). */
export function spansQuery(spans: Span[]): estypes.QueryDslQueryContainer {
  const one = (s: Span): estypes.QueryDslQueryContainer => ({
    range: { "@timestamp": { gte: new Date(s.from).toISOString(), lt: new Date(s.to).toISOString() } },
  });
  return spans.length === 1 ? one(spans[0]) : { bool: { should: spans.map(one), minimum_should_match: 1 } };
}

/** The filter of the current tallies (of these generations) of whole buckets in a span. */
export function talliesQuery(span: Span, generations: string[]): estypes.QueryDslQueryContainer {
  return { bool: { filter: [{ term: { kind: "tally" } }, { terms: { generation: generations } }, spansQuery([span])] } };
}

export function talliesIndex(): string {
  return streamIndex("tallies");
}

const keyword = { type: "keyword" } as const;

let indexReady: Promise<void> | undefined;
function ensureTalliesIndex(): Promise<void> {
  indexReady ??= (async () => {
    const index = talliesIndex();
    if (await es().indices.exists({ index })) return;
    await es()
      .indices.create({
        index,
        settings: { number_of_shards: 1, number_of_replicas: config().ES_REPLICAS },
        mappings: {
          dynamic: "strict",
          properties: {
            kind: keyword,
            "@timestamp": { type: "date" },
            generation: keyword,
            month: keyword,
            organization: { properties: { id: keyword } },
            user: { properties: { id: keyword } },
            event: { properties: { action: keyword } },
            events: { type: "long" },
            // A month document's state: the event count and the count each bucket was tallied at.
            state: { type: "object", enabled: false },
          },
        },
      })
      .catch((e) => {
        if (!(e instanceof errors.ResponseError && e.body?.error?.type === "resource_already_exists_exception")) throw e;
      });
  })().catch((e) => {
    indexReady = undefined;
    throw e;
  });
  return indexReady;
}

/** A month's state in one generation: the event count each bucket (its start, epoch ms) was tallied at. */
interface MonthState {
  buckets: Record<string, number>;
}

const SYSTEM = systemScope("tallies");
const iso = (t: number) => new Date(t).toISOString();
const timeRange = (s: Span): estypes.QueryDslQueryContainer => ({ range: { "@timestamp": { gte: iso(s.from), lt: iso(s.to) } } });

/** Refreshes of one month, generation and span in flight in this process, shared by concurrent readers. */
const inflight = new Map<string, Promise<boolean>>();

/**
 * Brings the tallies of a span of whole buckets up to date and returns the generations (monthly index uuids)
 * to read them with. Cheap when nothing changed: one settings call, and one count and one get per month.
 */
export async function currentTallies(span: Span): Promise<string[]> {
  await ensureTalliesIndex();
  const months = monthsOf(span);
  const names = months.map((m) => `${aliasName("events")}-${m.key}`);
  const settings = (await es().indices.getSettings({ index: names.join(","), ignore_unavailable: true, allow_no_indices: true })) as Record<
    string,
    { settings?: { index?: { uuid?: string } } }
  >;
  const uuids = names.map((n) => settings[n]?.settings?.index?.uuid);
  const changed = await Promise.all(
    months.map((m, i) => {
      const part = { from: Math.max(span.from, m.start), to: Math.min(span.to, m.end) };
      const key = `${m.key}:${uuids[i] ?? "-"}:${part.from}:${part.to}`;
      let p = inflight.get(key);
      if (!p) {
        p = refreshMonth(m.key, uuids[i], part).finally(() => inflight.delete(key));
        inflight.set(key, p);
      }
      return p;
    }),
  );
  if (changed.some(Boolean)) await es().indices.refresh({ index: talliesIndex() });
  return uuids.filter((u): u is string => !!u);
}

/**
 * One month's part of the span. A bucket's events only grow within a generation and each bucket's recorded
 * count is one it was tallied at, so when the recorded counts of the part add up to its events now, every
 * bucket in it is current; otherwise the part's buckets are counted and those whose count changed are tallied
 * again. True when it wrote.
 */
async function refreshMonth(month: string, uuid: string | undefined, part: Span): Promise<boolean> {
  if (!uuid) return (await prune(month)) > 0;
  const count = await scopedCount(SYSTEM, "events", timeRange(part));
  const stateId = `month:${month}:${uuid}`;
  const state = await readState(stateId);
  const recorded = Object.entries(state?.buckets ?? {}).reduce((sum, [start, n]) => (Number(start) >= part.from && Number(start) < part.to ? sum + n : sum), 0);
  if (recorded === count && (state || count === 0)) return false;
  if (!state) await prune(month, uuid);
  const res = await scopedSearch(SYSTEM, "events", {
    size: 0,
    query: timeRange(part),
    aggs: { b: { date_histogram: { field: "@timestamp", fixed_interval: "6h", time_zone: "Asia/Tokyo", min_doc_count: 1 } } },
  });
  const buckets: Record<string, number> = { ...state?.buckets };
  for (const b of (res.aggregations?.b as estypes.AggregationsDateHistogramAggregate).buckets as estypes.AggregationsDateHistogramBucket[]) {
    const start = Number(b.key);
    if (buckets[start] === b.doc_count) continue;
    buckets[start] = await tallyBucket(start, month, uuid);
  }
  const document: Record<string, unknown> = { kind: "month", month, generation: uuid, state: { buckets } };
  await es().index({ index: talliesIndex(), id: stateId, document });
  return true;
}

async function readState(id: string): Promise<MonthState | undefined> {
  try {
    const doc = await es().get<{ state: MonthState }>({ index: talliesIndex(), id });
    return doc._source?.state;
  } catch (e) {
    if (e instanceof errors.ResponseError && e.statusCode === 404) return undefined;
    throw e;
  }
}

/**
 * Tallies one bucket, page by page; returns the smallest event count of the bucket the pages saw (a later
 * page may see more events; recording the smallest makes the next read tally the bucket again).
 */
async function tallyBucket(start: number, month: string, generation: string): Promise<number> {
  let after: Record<string, estypes.FieldValue> | undefined;
  let seen = Infinity;
  for (;;) {
    const res = await scopedSearch(SYSTEM, "events", {
      size: 0,
      track_total_hits: true,
      query: timeRange({ from: start, to: start + TALLY_BUCKET_MS }),
      aggs: {
        k: {
          composite: {
            size: PAGE,
            sources: [
              { o: { terms: { field: "organization.id" } } },
              { a: { terms: { field: "event.action" } } },
              { u: { terms: { field: "user.id", missing_bucket: true } } },
            ],
            ...(after ? { after } : {}),
          },
        },
      },
    });
    const total = totalHits(res);
    seen = Math.min(seen, total);
    const agg = res.aggregations?.k as estypes.AggregationsCompositeAggregate;
    const buckets = agg.buckets as estypes.AggregationsCompositeBucket[];
    if (buckets.length) {
      const operations = buckets.flatMap((b) => {
        const { o, a, u } = b.key as { o: string; a: string; u: string | null };
        const id = createHash("sha256")
          .update(`${generation}\n${start}\n${o}\n${a}\n${u ?? ""}`)
          .digest("base64url")
          .slice(0, 27);
        return [
          { index: { _index: talliesIndex(), _id: id, version: total, version_type: "external_gte" as const } },
          {
            kind: "tally",
            "@timestamp": iso(start),
            generation,
            month,
            organization: { id: o },
            ...(u === null ? {} : { user: { id: u } }),
            event: { action: a },
            events: b.doc_count,
          },
        ];
      });
      const bulk = await es().bulk({ operations });
      // 409: a newer tally of the bucket is already there (another instance read a later state).
      const failed = bulk.items.find((i) => i.index?.error && i.index.status !== 409);
      if (failed) throw new Error(`tallies: ${failed.index?.error?.type}: ${failed.index?.error?.reason}`);
    }
    if (!agg.after_key || buckets.length < PAGE) return seen;
    after = agg.after_key as Record<string, estypes.FieldValue>;
  }
}

/** Deletes a month's tallies and states of every generation but `keep`; returns how many. */
async function prune(month: string, keep?: string): Promise<number> {
  let removed = 0;
  for (;;) {
    const res = await scopedSearch(SYSTEM, "tallies", {
      size: 5000,
      _source: false,
      query: { bool: { filter: [{ term: { month } }], ...(keep ? { must_not: [{ term: { generation: keep } }] } : {}) } },
    });
    if (!res.hits.hits.length) return removed;
    await es().bulk({ operations: res.hits.hits.map((h) => ({ delete: { _index: h._index, _id: h._id! } })) });
    await es().indices.refresh({ index: talliesIndex() });
    removed += res.hits.hits.length;
  }
}
