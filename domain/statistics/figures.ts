/**
 * One definition per figure, shared by every document that shows it: the
 * external-audit report and its annex, the usage report and the provision
 * table. Each figure is a filter on the access events of a period and a
 * catalogue text that says what it counts; a document shows the text next to
 * the number, so two documents showing the same name show the same count.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import type { BusinessHours } from "../../lib/calendar";
import { outsideBusinessHours } from "../../lib/es/indices";
import { scopedBuckets, scopedSearch } from "../../lib/es/scoped";
import { t, type MessageKey } from "../../lib/i18n";
import type { Period } from "./period";

type Query = estypes.QueryDslQueryContainer;

/**
 * The event actions counted as uses. Seed 003 counts 検索件数 (searches), so
 * only `search`: a `view` shows a record a search has just found, and counting
 * it too would count one use twice. A search is counted whatever its result
 * count; a failed one (`event.outcome: failure`) used nothing and is not.
 */
export const USAGE_ACTIONS = ["search"] as const;

/** The event actions that provide identity records to a recipient (提供). A failed one provided nothing and is not counted. */
export const PROVISION_ACTIONS = ["provide", "batch_provide"] as const;

/** Records of signing in and out and of the IC card: no business done on a resident's record. */
export const SESSION_ACTIONS = ["login", "logout", "auth_failure", "card_locked", "card_unlocked"] as const;

const inPeriod = (period: Period): Query => ({ range: { "@timestamp": { gte: period.from.toISOString(), lt: period.to.toISOString() } } });
const notFailed: Query = { term: { "event.outcome": "failure" } };

/** The figures, each with its filter (beyond the period) and the catalogue texts of its name and of what it counts. */
export const FIGURES = {
  /** 利用件数: successful searches (usage report, the audit report's 別表・事務別). */
  uses: { filter: (): Query => ({ bool: { filter: [{ terms: { "event.action": [...USAGE_ACTIONS] } }], must_not: [notFailed] } }) },
  /** 提供件数: records provided by successful provisions (provision table); a value sums `jukinet.record_count`. */
  provisions: { filter: (): Query => ({ bool: { filter: [{ terms: { "event.action": [...PROVISION_ACTIONS] } }], must_not: [notFailed] } }) },
  /** Every record of the period, sign-ins and card events included. */
  allRecords: { filter: (): Query => ({ match_all: {} }) },
  /** Business done by a person: an operator is named and the action is not a sign-in, sign-out or card event. */
  operatorActions: {
    filter: (): Query => ({ bool: { filter: [{ exists: { field: "user.id" } }], must_not: [{ terms: { "event.action": [...SESSION_ACTIONS] } }] } }),
  },
  /** Of the operator actions, those outside the municipality's business hours. */
  afterHours: {
    filter: (hours: BusinessHours): Query => ({
      bool: {
        filter: [{ exists: { field: "user.id" } }, outsideBusinessHours(hours)],
        must_not: [{ terms: { "event.action": [...SESSION_ACTIONS] } }],
      },
    }),
  },
  authFailures: { filter: (): Query => ({ term: { "event.action": "auth_failure" } }) },
  cardLocks: { filter: (): Query => ({ term: { "event.action": "card_locked" } }) },
} as const;

export type FigureId = keyof typeof FIGURES;

/** The filter of a figure over a period (the scope's filter is added by lib/es/scoped). */
export function figureQuery(id: Exclude<FigureId, "afterHours">, period: Period): Query;
export function figureQuery(id: "afterHours", period: Period, hours: BusinessHours): Query;
export function figureQuery(id: FigureId, period: Period, hours?: BusinessHours): Query {
  const f = id === "afterHours" ? FIGURES.afterHours.filter(hours!) : FIGURES[id].filter();
  return { bool: { filter: [inPeriod(period), f] } };
}

/**
 * A batch is counted once however the node sent it (INTERFACE.md §1 `jukinet.batch.id`): as one `batch_provide`
 * summary with its `record_count`, as one `provide` per resident carrying the batch id, or both. When per-resident
 * records of a batch exist, they are the count and the summary is left out. Records and summary of one batch come
 * from the same node; the records are looked for a day on either side of the period, so a summary near its edge is
 * not counted beside records stamped just across it.
 */
const DAY = 86_400_000;

/** Batch ids with per-resident `provide` records, per sending node, within the scope. */
export async function batchesWithRecords(scope: Scope, period: Period): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const widened = { from: new Date(period.from.getTime() - DAY), to: new Date(period.to.getTime() + DAY) };
  const query: Query = {
    bool: { filter: [inPeriod(widened), { term: { "event.action": "provide" } }, { exists: { field: "jukinet.batch.id" } }], must_not: [notFailed] },
  };
  for await (const b of scopedBuckets(scope, "events", query, [
    { node: { terms: { field: "observer.id" } } },
    { batch: { terms: { field: "jukinet.batch.id" } } },
  ])) {
    const node = String(b.key.node);
    (out.get(node) ?? out.set(node, []).get(node)!).push(String(b.key.batch));
  }
  return out;
}

/** Leaves out the `batch_provide` summaries of the batches in `batches` (their records are counted instead). */
export function withoutSummariesOf(batches: Map<string, string[]>): Query[] {
  if (!batches.size) return [];
  return [
    {
      bool: {
        must_not: [...batches].map(([node, ids]) => ({
          bool: { filter: [{ term: { "event.action": "batch_provide" } }, { term: { "observer.id": node } }, { terms: { "jukinet.batch.id": ids } }] },
        })),
      },
    },
  ];
}

/** The `provisions` figure of a period with every batch counted once (see batchesWithRecords). */
export async function provisionsOnce(scope: Scope, period: Period): Promise<Query> {
  return { bool: { filter: [figureQuery("provisions", period), ...withoutSummariesOf(await batchesWithRecords(scope, period))] } };
}

/** Records provided in a period (提供件数, `record_count` summed, each batch once). */
export async function provisionRecords(scope: Scope, period: Period): Promise<number> {
  const r = await scopedSearch(scope, "events", {
    size: 0,
    query: await provisionsOnce(scope, period),
    aggs: { records: { sum: { field: "jukinet.record_count", missing: 1 } } },
  });
  return Math.round((r.aggregations?.records as { value?: number } | undefined)?.value ?? 0);
}

/** The figure's name (利用件数 …). */
export const figureLabel = (id: FigureId): string => t(`stats.figure.${id}` as MessageKey);
/** What the figure counts (検索（成功）のみ …), shown next to it in every document. */
export const figureCounts = (id: FigureId): string => t(`stats.figure.${id}.counts` as MessageKey);
/** "利用件数（検索（成功）のみ）" */
export const figureTitle = (id: FigureId): string => `${figureLabel(id)}（${figureCounts(id)}）`;
