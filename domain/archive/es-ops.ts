/**
 * The archive job's raw Elasticsearch operations: the snapshot repository,
 * snapshots, and the whole-index counts and id digests its verification
 * compares. These read whole indices under no caller's scope and return only
 * counts and digests, never documents (allowed in lib/es/scoped.test.ts).
 */
import { createHash } from "node:crypto";
import { errors, type estypes } from "@elastic/elasticsearch";
import { config } from "../../lib/config";
import { es } from "../../lib/es/client";

const notFound = (e: unknown) => e instanceof errors.ResponseError && e.statusCode === 404;

/** Registers the fs repository (idempotent: the same settings again change nothing). */
export async function ensureRepository(): Promise<string> {
  const c = config();
  try {
    await es().snapshot.getRepository({ name: c.ARCHIVE_REPOSITORY });
  } catch (e) {
    if (!notFound(e)) throw e;
    await es().snapshot.createRepository({
      name: c.ARCHIVE_REPOSITORY,
      repository: { type: "fs", settings: { location: c.ARCHIVE_REPOSITORY_LOCATION, compress: true } },
    });
  }
  return c.ARCHIVE_REPOSITORY;
}

export interface SnapshotState {
  state: string;
  indices: string[];
  shards: { total: number; failed: number; successful: number };
}

/** The snapshot's state in the repository, or undefined when it is not there. */
export async function snapshotState(repository: string, snapshot: string): Promise<SnapshotState | undefined> {
  try {
    const res = await es().snapshot.get({ repository, snapshot, ignore_unavailable: true });
    const s = res.snapshots?.[0];
    if (!s) return undefined;
    return {
      state: s.state ?? "UNKNOWN",
      indices: s.indices ?? [],
      shards: { total: s.shards?.total ?? 0, failed: s.shards?.failed ?? 0, successful: s.shards?.successful ?? 0 },
    };
  } catch (e) {
    if (notFound(e)) return undefined;
    throw e;
  }
}

export async function createSnapshot(repository: string, snapshot: string, index: string, metadata: Record<string, string>): Promise<void> {
  await es().snapshot.create({
    repository,
    snapshot,
    indices: index,
    include_global_state: false,
    wait_for_completion: true,
    metadata,
  });
}

export async function deleteSnapshot(repository: string, snapshot: string): Promise<void> {
  try {
    await es().snapshot.delete({ repository, snapshot });
  } catch (e) {
    if (!notFound(e)) throw e;
  }
}

/** Restores the snapshot's one index under `as` (no aliases: the caller adds the one it wants). */
export async function restoreAs(repository: string, snapshot: string, index: string, as: string): Promise<void> {
  await es().snapshot.restore({
    repository,
    snapshot,
    wait_for_completion: true,
    indices: index,
    include_aliases: false,
    include_global_state: false,
    rename_pattern: ".+",
    rename_replacement: as,
  });
  await es().indices.refresh({ index: as });
}

export async function indexExists(index: string): Promise<boolean> {
  return (await es().indices.exists({ index })).valueOf();
}

export async function deleteIndex(index: string): Promise<void> {
  try {
    await es().indices.delete({ index });
  } catch (e) {
    if (!notFound(e)) throw e;
  }
}

export async function countDocs(index: string, query?: estypes.QueryDslQueryContainer): Promise<number> {
  await es().indices.refresh({ index, ignore_unavailable: true });
  return (await es().count({ index, query })).count;
}

/**
 * An order-independent digest of the ids of every document (matching
 * `query`) in `index`: their count, and the sum and xor of a 64-bit hash of
 * each id. Two indices with the same digest hold the same ids. Read with a
 * point in time, in `_shard_doc` order (no field data on _id needed).
 */
export async function idDigest(index: string, query: estypes.QueryDslQueryContainer = { match_all: {} }): Promise<{ count: number; sum: string; xor: string }> {
  let sum = 0n;
  let xor = 0n;
  let count = 0;
  const mask = (1n << 64n) - 1n;
  await forEachPage(
    index,
    query,
    false,
    async (hits) => {
      for (const h of hits) {
        const v = createHash("sha256").update(h._id!).digest().readBigUInt64BE(0);
        sum = (sum + v) & mask;
        xor ^= v;
        count++;
      }
    },
    10_000,
  );
  return { count, sum: sum.toString(16), xor: xor.toString(16) };
}

/** Months (JST, "YYYY-MM") with documents in `index` before `before`, from a monthly histogram of `field`. */
export async function monthsWithDocs(index: string, field: string, before: Date): Promise<string[]> {
  if (!(await indexExists(index))) return [];
  const res = await es().search({
    index,
    size: 0,
    query: { range: { [field]: { lt: before.toISOString() } } },
    aggs: { m: { date_histogram: { field, calendar_interval: "month", time_zone: "+09:00", min_doc_count: 1, format: "yyyy-MM" } } },
  });
  const buckets = (res.aggregations?.m as estypes.AggregationsDateHistogramAggregate | undefined)?.buckets;
  return (Array.isArray(buckets) ? buckets : []).map((b) => b.key_as_string!).filter(Boolean);
}

/** Index names matching a pattern (none when nothing matches). */
export async function indicesMatching(pattern: string): Promise<string[]> {
  const res = await es().cat.indices({ index: pattern, format: "json", h: "index", expand_wildcards: "all" });
  return res.map((r) => r.index!).filter(Boolean);
}

/** Stops writes to an index (before its snapshot, so the count verified is the count deleted). */
export async function blockWrites(index: string, blocked: boolean): Promise<void> {
  if (blocked) await es().indices.addBlock({ index, block: "write" });
  else await es().indices.putSettings({ index, settings: { "index.blocks.write": false } });
}

/**
 * Every document of `index` matching `query`, in pages, with a point in time
 * (the local node has no reindex module, so no _reindex / _delete_by_query).
 */
async function forEachPage(
  index: string,
  query: estypes.QueryDslQueryContainer,
  withSource: boolean,
  each: (hits: estypes.SearchHit[]) => Promise<void>,
  pageSize = 2000,
): Promise<void> {
  const pit = await es().openPointInTime({ index, keep_alive: "2m" });
  let after: estypes.SortResults | undefined;
  try {
    for (;;) {
      const res = await es().search({
        size: pageSize,
        _source: withSource,
        query,
        pit: { id: pit.id, keep_alive: "2m" },
        sort: [{ _shard_doc: "asc" }],
        track_total_hits: false,
        ...(after ? { search_after: after } : {}),
      });
      const hits = res.hits.hits;
      if (hits.length) await each(hits);
      if (hits.length < pageSize) return;
      after = hits[hits.length - 1].sort;
    }
  } finally {
    await es()
      .closePointInTime({ id: pit.id })
      .catch(() => {});
  }
}

async function bulk(operations: estypes.BulkRequest["operations"]): Promise<void> {
  const res = await es().bulk({ operations });
  if (res.errors) {
    const bad = res.items.map((i) => Object.values(i)[0]).find((r) => r?.error && r.status !== 404);
    if (bad) throw new Error(`bulk: ${JSON.stringify(bad.error)}`);
  }
}

/** A copy of one month of a single index into its own index (same mappings, same ids), for its snapshot. Idempotent. */
export async function extractMonth(source: string, target: string, query: estypes.QueryDslQueryContainer): Promise<void> {
  if (!(await indexExists(target))) {
    const mapping = await es().indices.getMapping({ index: source });
    const mappings = Object.values(mapping)[0]?.mappings;
    await es().indices.create({ index: target, settings: { number_of_shards: 1, number_of_replicas: config().ES_REPLICAS }, mappings });
  } else await blockWrites(target, false);
  await forEachPage(source, query, true, (hits) => bulk(hits.flatMap((h) => [{ index: { _index: target, _id: h._id } }, h._source as object])));
  await es().indices.refresh({ index: target });
}

/** Deletes one month's documents from a single index (by id, page by page). Returns how many. */
export async function deleteMonthFrom(index: string, query: estypes.QueryDslQueryContainer): Promise<number> {
  if (!(await indexExists(index))) return 0;
  let n = 0;
  await forEachPage(index, query, false, async (hits) => {
    n += hits.length;
    await bulk(hits.map((h) => ({ delete: { _index: index, _id: h._id! } })));
  });
  await es().indices.refresh({ index });
  return n;
}

/** Makes `index` part of the read alias (a restored month searched like the hot ones). */
export async function addAlias(index: string, alias: string): Promise<void> {
  await es().indices.updateAliases({ actions: [{ add: { index, alias, is_write_index: false } }] });
}
