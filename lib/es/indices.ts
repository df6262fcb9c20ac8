/**
 * Index design (see README "Index design"):
 * - events of one JST month go to `<prefix>-events-YYYY.MM`, IDS alerts to
 *   `<prefix>-ids-YYYY.MM`; the aliases `<prefix>-events` and `<prefix>-ids`
 *   cover every month and are what queries read;
 * - composable index templates fix every field's type and set
 *   `dynamic: strict`, so a document with an unknown field or a wrong type
 *   is refused instead of changing the mapping (no mapping conflicts);
 * - retention drops whole monthly indices (no ILM or data streams needed).
 */
import type { estypes } from "@elastic/elasticsearch";
import { jstMonthKey, parseHhMm, type BusinessHours } from "../calendar";
import { config } from "../config";
import { es } from "./client";

export type Stream = "events" | "ids";

export function aliasName(stream: Stream): string {
  return `${config().ES_INDEX_PREFIX}-${stream}`;
}

/** Monthly index of an instant (month in JST, like every report). */
export function monthlyIndex(stream: Stream, instantMs: number): string {
  return `${aliasName(stream)}-${jstMonthKey(instantMs)}`;
}

const keyword = { type: "keyword" } as const;
const ignoredKeyword = { type: "keyword", index: false, doc_values: false } as const;
const obj = (properties: Record<string, estypes.MappingProperty>) => ({ properties });

/** Stored fields of an access event (the contract's fields, pseudonymised, plus derived ones). */
export const eventMappings: estypes.MappingTypeMapping = {
  dynamic: "strict",
  properties: {
    "@timestamp": { type: "date" },
    event: obj({
      id: keyword,
      action: keyword,
      outcome: keyword,
      dataset: keyword,
      ingested: { type: "date" },
    }),
    observer: obj({ id: keyword, type: keyword }),
    organization: obj({ id: keyword }),
    user: obj({ id: keyword }),
    host: obj({ id: keyword }),
    source: obj({ ip: { type: "ip" } }),
    jukinet: obj({
      auth: obj({ method: keyword, card_id: keyword }),
      query: obj({ kind: keyword, wildcard: { type: "boolean" }, result_count: { type: "integer" } }),
      // HMAC pseudonyms; the clear codes are never stored.
      // previous_ref: the old code of a code_change, keyed like ref.
      subject: obj({ ref: keyword, block_ref: keyword, number_ref: keyword, previous_ref: keyword }),
      purpose: obj({ schedule: keyword, item: keyword }),
      recipient: obj({ id: keyword, name: keyword }),
      channel: keyword,
      record_count: { type: "integer" },
      batch: obj({ id: keyword }),
      change: obj({ reason: keyword, source_system: keyword }),
      // Derived at ingest in JST, because the local server has no scripting
      // and time-of-day rules must filter on them.
      time: obj({
        date: keyword,
        hour: { type: "byte" },
        minute_of_day: { type: "short" },
        weekday: { type: "byte" },
        business_day: { type: "boolean" },
      }),
    }),
  },
};

/**
 * Events outside the given business hours (JST, from the derived time
 * fields): on a non-business day, before the start or from the end on.
 */
export function outsideBusinessHours(hours: BusinessHours): estypes.QueryDslQueryContainer {
  return {
    bool: {
      should: [
        { term: { "jukinet.time.business_day": false } },
        { range: { "jukinet.time.minute_of_day": { lt: parseHhMm(hours.start) } } },
        { range: { "jukinet.time.minute_of_day": { gte: parseHhMm(hours.end) } } },
      ],
      minimum_should_match: 1,
    },
  };
}

/** Stored fields of a Suricata EVE alert. */
export const idsMappings: estypes.MappingTypeMapping = {
  dynamic: "strict",
  properties: {
    "@timestamp": { type: "date" },
    event: obj({ id: keyword, kind: keyword, dataset: keyword, ingested: { type: "date" }, original: ignoredKeyword }),
    observer: obj({ id: keyword, type: keyword }),
    organization: obj({ id: keyword }),
    source: obj({ ip: { type: "ip" }, port: { type: "integer" } }),
    destination: obj({ ip: { type: "ip" }, port: { type: "integer" } }),
    network: obj({ transport: keyword, protocol: keyword }),
    rule: obj({ id: keyword, name: keyword, category: keyword }),
    suricata: obj({
      eve: obj({
        flow_id: keyword,
        in_iface: keyword,
        alert: obj({ severity: { type: "byte" }, action: keyword, gid: { type: "integer" }, rev: { type: "integer" } }),
      }),
    }),
  },
};

function templateBody(stream: Stream, mappings: estypes.MappingTypeMapping): estypes.IndicesPutIndexTemplateRequest {
  const c = config();
  return {
    name: `${aliasName(stream)}-template`,
    index_patterns: [`${aliasName(stream)}-*`],
    priority: 200,
    template: {
      settings: {
        number_of_shards: c.ES_SHARDS,
        number_of_replicas: c.ES_REPLICAS,
        refresh_interval: "5s",
        "index.mapping.total_fields.limit": 200,
        codec: "best_compression",
      },
      mappings,
      aliases: { [aliasName(stream)]: {} },
    },
    _meta: { owner: "jukinet-watch", description: `${stream} by JST month` },
  };
}

/**
 * Installs or updates the index templates, and brings the mappings of the
 * monthly indices that already exist up to date; idempotent. Templates apply
 * only when an index is created, and mappings are strict, so a field added
 * to the contract (e.g. `jukinet.subject.previous_ref`) must also be put on
 * the existing months, or a late event for such a month would be refused.
 * Adding a field to a mapping is allowed; changing an existing one is not
 * (and is not done: the properties are the same for existing fields).
 */
export async function ensureIndexTemplates(): Promise<void> {
  const streams: [Stream, estypes.MappingTypeMapping][] = [
    ["events", eventMappings],
    ["ids", idsMappings],
  ];
  for (const [stream, mappings] of streams) {
    await es().indices.putIndexTemplate(templateBody(stream, mappings));
    await es().indices.putMapping({
      index: `${aliasName(stream)}-*`,
      allow_no_indices: true,
      ignore_unavailable: true,
      dynamic: mappings.dynamic,
      properties: mappings.properties,
    });
  }
}

/**
 * Makes everything written so far to these indices searchable. The ingest
 * pipeline calls it before it answers, so a search or a detection run started
 * after an import sees its data (INTERFACE.md §3).
 *
 * Concurrent callers share refreshes (group commit): while one refresh runs,
 * later callers — whose writes may have finished after it started — join a
 * single next refresh of all their indices. Many nodes sending at once thus
 * cost about two refreshes, not one per request (each refresh makes a segment).
 */
export function refreshIndices(indices: Iterable<string>): Promise<void> {
  const list = new Set(indices);
  if (!list.size) return Promise.resolve();
  if (!refreshing) return startRefresh(list);
  if (!nextRefresh) {
    let resolve!: () => void, reject!: (e: unknown) => void;
    const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
    nextRefresh = { indices: new Set(), promise, resolve, reject };
  }
  for (const index of list) nextRefresh.indices.add(index);
  return nextRefresh.promise;
}

let refreshing: Promise<void> | undefined;
let nextRefresh: { indices: Set<string>; promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } | undefined;

function startRefresh(indices: Set<string>): Promise<void> {
  const run = es()
    .indices.refresh({ index: [...indices].join(","), ignore_unavailable: true, allow_no_indices: true })
    .then(() => undefined);
  refreshing = run.finally(() => {
    refreshing = undefined;
    const next = nextRefresh;
    nextRefresh = undefined;
    if (next) startRefresh(next.indices).then(next.resolve, next.reject);
  });
  // Callers see the outcome of their own refresh; the chaining above never rejects.
  refreshing.catch(() => {});
  return run;
}

/** Refreshes the aliases the detectors read (events and IDS alerts), before a detection run. */
export async function refreshStreams(): Promise<void> {
  await refreshIndices([aliasName("events"), aliasName("ids")]);
}

/** Monthly indices of a stream, oldest first. */
export async function listMonthlyIndices(stream: Stream): Promise<string[]> {
  const res = await es().cat.indices({ index: `${aliasName(stream)}-*`, format: "json", h: "index" });
  return res
    .map((r) => r.index!)
    .filter((name) => /-\d{4}\.\d{2}$/.test(name))
    .sort();
}

/** Drops monthly indices older than `keepMonths` months before the month of `now`. Returns what was dropped. */
export async function applyRetention(stream: Stream, keepMonths: number, now = Date.now()): Promise<string[]> {
  const [y, m] = jstMonthKey(now).split(".").map(Number);
  const cutoffIndex = y * 12 + (m - 1) - (keepMonths - 1);
  const cutoff = `${aliasName(stream)}-${Math.floor(cutoffIndex / 12)}.${String((cutoffIndex % 12) + 1).padStart(2, "0")}`;
  const drop = (await listMonthlyIndices(stream)).filter((name) => name < cutoff);
  if (drop.length) await es().indices.delete({ index: drop.join(",") });
  return drop;
}
