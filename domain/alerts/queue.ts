/**
 * The alert queue: server-side paging and sorting over any number of alerts
 * (from/size inside Elasticsearch's result window, search_after beyond it),
 * every alert matching a filter (select-all), the rules present in scope.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { scopedSearch, totalHits } from "../../lib/es/scoped";
import { alertFilter, alertSummary, ensureAlertsIndex, type AlertQuery, type StoredAlert } from "./store";

export const SORT_KEYS = ["time", "severity", "rule", "organization", "status", "age"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDir = "asc" | "desc";
export const PAGE_SIZES = [50, 100, 200] as const;

export interface QueueQuery extends Omit<AlertQuery, "sort" | "size"> {
  rules?: string[];
  assignee?: string;
  sort?: SortKey;
  dir?: SortDir;
  /** 1-based */
  page?: number;
  size?: number;
}

/** Elasticsearch's default index.max_result_window: from + size must stay inside it. */
const WINDOW = 10_000;

/**
 * Keywords whose alphabetical order means nothing are sorted as ordered
 * blocks (no scripts: the node runs without Painless): every critical alert,
 * then every high one…, each block by time.
 */
const RANKED: Partial<Record<SortKey, { field: string; values: string[] }>> = {
  severity: { field: "severity", values: ["critical", "high", "medium", "low"] },
  status: { field: "status", values: ["open", "acknowledged", "closed"] },
};

const TIEBREAK: estypes.SortCombinations[] = [{ "window.start": "desc" }, { id: "asc" }];

/** The sort of a key and direction (ranked keys: the sort inside a block); ties broken by time and id so that paging is stable. "age" descending: the oldest first. */
export function queueSort(key: SortKey = "time", dir: SortDir = "desc"): estypes.SortCombinations[] {
  if (key in RANKED) return TIEBREAK;
  const field = { time: "window.start", rule: "rule.name", organization: "organization.id", age: "detection.first_seen" }[key as "time"];
  const order = key === "age" ? (dir === "desc" ? "asc" : "desc") : dir;
  const primary = { [field]: { order } } as estypes.SortCombinations;
  return key === "time" ? [primary, { id: "asc" }] : [primary, ...TIEBREAK];
}

export type QueueAlert = ReturnType<typeof alertSummary> & { raisedAt: string };

const toQueueAlert = (a: StoredAlert): QueueAlert => ({ ...alertSummary(a), raisedAt: a.detection?.first_seen ?? a["@timestamp"] });

/** One page of the queue and the total matching. A page past the last one is empty (total tells the caller). */
export async function queueAlerts(q: QueueQuery, scope: Scope): Promise<{ alerts: QueueAlert[]; total: number; page: number; size: number }> {
  scope.require(q.organization);
  await ensureAlertsIndex();
  const size = Math.min(Math.max(q.size ?? 50, 1), 500);
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const offset = (page - 1) * size;
  const filter = alertFilter(q);
  const sort = queueSort(q.sort, q.dir);
  const ranked = q.sort ? RANKED[q.sort] : undefined;
  if (!ranked) {
    const { hits, total } = await slice(scope, filter, sort, offset, size);
    return { alerts: hits.map(toQueueAlert), total, page, size };
  }
  // Ranked keys: count each block, then read the blocks the page spans.
  type Counts = { buckets: { key: string; doc_count: number }[] };
  const res = await scopedSearch(scope, "alerts", {
    size: 0,
    track_total_hits: true,
    query: { bool: { filter } },
    aggs: { blocks: { terms: { field: ranked.field, size: 20 } } },
  });
  const counts = new Map(((res.aggregations?.blocks as Counts | undefined)?.buckets ?? []).map((b) => [b.key, b.doc_count]));
  const values = q.dir === "asc" ? [...ranked.values].reverse() : ranked.values;
  const alerts: QueueAlert[] = [];
  let skip = offset;
  for (const v of values) {
    const count = counts.get(v) ?? 0;
    if (skip >= count) {
      skip -= count;
      continue;
    }
    const take = Math.min(size - alerts.length, count - skip);
    const block = await slice(scope, [...filter, { term: { [ranked.field]: v } }], sort, skip, take);
    alerts.push(...block.hits.map(toQueueAlert));
    skip = 0;
    if (alerts.length >= size) break;
  }
  return { alerts, total: totalHits(res), page, size };
}

/** `size` hits from `offset` in a sort: from/size inside the result window, search_after steps beyond it. */
async function slice(scope: Scope, filter: estypes.QueryDslQueryContainer[], sort: estypes.SortCombinations[], offset: number, size: number) {
  const base = { query: { bool: { filter } }, sort };
  if (offset + size <= WINDOW) {
    const res = await scopedSearch<StoredAlert>(scope, "alerts", { ...base, from: offset, size, track_total_hits: true });
    return { hits: res.hits.hits.map((h) => h._source!), total: totalHits(res) };
  }
  let after: estypes.SortResults | undefined;
  let total = 0;
  for (let skipped = 0; skipped < offset;) {
    const step = Math.min(WINDOW, offset - skipped);
    const res = await scopedSearch(scope, "alerts", {
      ...base,
      size: step,
      _source: false,
      track_total_hits: !after,
      ...(after ? { search_after: after } : {}),
    });
    if (!after) total = totalHits(res);
    const hits = res.hits.hits;
    if (hits.length < step) return { hits: [], total };
    after = hits[hits.length - 1].sort;
    skipped += step;
  }
  const res = await scopedSearch<StoredAlert>(scope, "alerts", { ...base, size, search_after: after });
  return { hits: res.hits.hits.map((h) => h._source!), total };
}

/** Every alert id matching a filter (select-all across pages), at most `limit`; `more` when there were others. */
export async function matchingAlertIds(q: QueueQuery, scope: Scope, limit = 5000): Promise<{ ids: string[]; more: boolean }> {
  scope.require(q.organization);
  await ensureAlertsIndex();
  const ids: string[] = [];
  let after: estypes.SortResults | undefined;
  for (;;) {
    const res = await scopedSearch<{ id: string }>(scope, "alerts", {
      query: { bool: { filter: alertFilter(q) } },
      sort: [{ id: "asc" }],
      size: Math.min(1000, limit + 1 - ids.length),
      _source: ["id"],
      ...(after ? { search_after: after } : {}),
    });
    const hits = res.hits.hits;
    for (const h of hits) ids.push(h._source!.id);
    if (ids.length > limit) return { ids: ids.slice(0, limit), more: true };
    if (!hits.length || hits.length < 1000) return { ids, more: false };
    after = hits[hits.length - 1].sort;
  }
}

export interface RuleOption {
  id: string;
  name: string;
  nameEn: string;
}

/** The rules of the alerts in scope, with their Japanese names (for the rule filter). */
export async function ruleOptions(scope: Scope): Promise<RuleOption[]> {
  await ensureAlertsIndex();
  type Bucket = { key: string; name: { buckets: { key: string }[] }; en: { buckets: { key: string }[] } };
  const res = await scopedSearch(scope, "alerts", {
    size: 0,
    aggs: {
      rules: {
        terms: { field: "rule.id", size: 200 },
        aggs: { name: { terms: { field: "rule.name", size: 1 } }, en: { terms: { field: "rule.name_en", size: 1 } } },
      },
    },
  });
  const buckets = (res.aggregations?.rules as { buckets: Bucket[] } | undefined)?.buckets ?? [];
  return buckets
    .map((b) => ({ id: b.key, name: b.name.buckets[0]?.key ?? b.key, nameEn: b.en.buckets[0]?.key ?? "" }))
    .sort((a, b) => a.name.localeCompare(b.name, "ja"));
}

/** The rule ids a typed rule filter means: an exact id, or every rule whose Japanese or English name or id contains the text. */
export function resolveRules(text: string, options: RuleOption[]): string[] {
  const needle = text.trim().normalize("NFKC").toLowerCase();
  if (!needle) return [];
  if (options.some((o) => o.id === needle)) return [needle];
  // A list of rule ids ("weak-operator-auth,concurrent-session"), as the checklist's log-check figures link to.
  if (needle.includes(",")) return [...new Set(needle.split(",").flatMap((part) => resolveRules(part, options)))];
  return options.filter((o) => [o.id, o.name, o.nameEn].some((s) => s.normalize("NFKC").toLowerCase().includes(needle))).map((o) => o.id);
}
