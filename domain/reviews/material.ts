/**
 * What a reviewer looks at for one period of one organisation, all read from
 * Elasticsearch through the scope (lib/es/scoped.ts): the alerts of the period
 * and their state, work outside business hours, the most active operators and
 * terminals, a random sample of operator events to check against the paper
 * requests (deterministic per review: seeded by its id, so it is the same each
 * time the page is opened), and system activity (events without an operator).
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { outsideBusinessHours } from "../../lib/es/indices";
import { scopedSearch, totalHits } from "../../lib/es/scoped";
import { businessHoursOf } from "../checklist/suggestions";
import { sampleOffsets, seededRandom } from "./periods";

export const SAMPLE_SIZE = 10;
const TOP = 10;
const HOUR_MS = 3_600_000;
/** Elasticsearch's default index.max_result_window: `from` beyond it is refused. */
const MAX_FROM = 9_999;

export interface Counted {
  key: string;
  count: number;
}

export interface SampleEvent {
  id: string;
  timestamp: string;
  action: string;
  outcome: string;
  operator?: string;
  terminal?: string;
  schedule?: string;
  item?: string;
  /** The log explorer on this event (its organisation, operator and second). */
  href: string;
}

export interface ReviewAlert {
  id: string;
  rule: string;
  ruleName: string;
  severity: string;
  status: string;
  start: string;
  summary: string;
}

export interface ReviewMaterial {
  from: string;
  to: string;
  events: number;
  operatorEvents: number;
  alerts: { total: number; byStatus: Counted[]; rows: ReviewAlert[] };
  afterHours: { events: number; operators: Counted[]; href: string };
  topOperators: Counted[];
  topTerminals: Counted[];
  sample: SampleEvent[];
  system: { events: number; byAction: Counted[]; byNode: Counted[] };
  /** Explorer and alert-queue links of the period. */
  links: { events: string; alerts: string; afterHoursAlerts: string };
}

const buckets = (agg: unknown): Counted[] =>
  ((agg as { buckets?: { key: string; doc_count: number }[] } | undefined)?.buckets ?? []).map((b) => ({ key: String(b.key), count: b.doc_count }));

/** The fields of an access event the sample shows. */
interface SampledSource {
  "@timestamp": string;
  event: { id: string; action: string; outcome: string };
  user?: { id?: string };
  host?: { id?: string };
  jukinet?: { purpose?: { schedule?: string; item?: string } };
}

const hasOperator: estypes.QueryDslQueryContainer = { exists: { field: "user.id" } };

export async function reviewMaterial(
  callerScope: Scope,
  review: { id: string; organizationId: string; periodStart: Date; periodEnd: Date },
): Promise<ReviewMaterial> {
  const org = review.organizationId;
  const scope = callerScope.narrow(org);
  const from = review.periodStart.toISOString();
  const to = review.periodEnd.toISOString();
  const period = `from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`;
  const inPeriod: estypes.QueryDslQueryContainer = { range: { "@timestamp": { gte: from, lt: to } } };
  const hours = await businessHoursOf(org);
  const [ev, al] = await Promise.all([
    scopedSearch(scope, "events", {
      size: 0,
      track_total_hits: true,
      query: inPeriod,
      aggs: {
        operator: {
          filter: hasOperator,
          aggs: {
            operators: { terms: { field: "user.id", size: TOP } },
            terminals: { terms: { field: "host.id", size: TOP } },
            afterHours: { filter: outsideBusinessHours(hours), aggs: { operators: { terms: { field: "user.id", size: TOP } } } },
            perHour: { date_histogram: { field: "@timestamp", fixed_interval: "1h", min_doc_count: 1 } },
          },
        },
        system: {
          filter: { bool: { must_not: [hasOperator] } },
          aggs: { actions: { terms: { field: "event.action", size: 20 } }, nodes: { terms: { field: "observer.id", size: TOP } } },
        },
      },
    }),
    scopedSearch<{ id: string; rule: { id: string; name: string }; severity: string; status: string; window: { start: string }; summary: string }>(
      scope,
      "alerts",
      {
        size: 100,
        track_total_hits: true,
        query: { bool: { filter: [{ range: { "window.end": { gt: from } } }, { range: { "window.start": { lt: to } } }] } },
        sort: [{ "window.start": "asc" }, { id: "asc" }],
        aggs: { byStatus: { terms: { field: "status", size: 10 } } },
      },
    ),
  ]);
  const a = ev.aggregations ?? {};
  const op = a.operator as Record<string, unknown> & { doc_count: number };
  const sys = a.system as Record<string, unknown> & { doc_count: number };
  const afterHours = op.afterHours as { doc_count: number; operators: unknown };
  const perHour = ((op.perHour as { buckets: { key: number; doc_count: number }[] }).buckets ?? []).map((b) => ({ start: b.key, count: b.doc_count }));
  return {
    from,
    to,
    events: totalHits(ev),
    operatorEvents: op.doc_count,
    alerts: {
      total: totalHits(al),
      byStatus: buckets(al.aggregations?.byStatus),
      rows: al.hits.hits.map((h) => {
        const s = h._source!;
        return { id: s.id, rule: s.rule.id, ruleName: s.rule.name, severity: s.severity, status: s.status, start: s.window.start, summary: s.summary };
      }),
    },
    afterHours: {
      events: afterHours.doc_count,
      operators: buckets(afterHours.operators),
      href: `/alerts?organization=${org}&rule=after-hours-access&${period}`,
    },
    topOperators: buckets(op.operators),
    topTerminals: buckets(op.terminals),
    sample: await drawSample(scope, review.id, org, perHour, op.doc_count),
    system: { events: sys.doc_count, byAction: buckets(sys.actions), byNode: buckets(sys.nodes) },
    links: {
      events: `/events?organization=${org}&${period}`,
      alerts: `/alerts?organization=${org}&status=all&${period}`,
      afterHoursAlerts: `/alerts?organization=${org}&rule=after-hours-access&${period}`,
    },
  };
}

/**
 * SAMPLE_SIZE operator events drawn uniformly from the period: offsets in
 * [0, total) from the review's seeded generator, each located in its hour by
 * the hourly counts and read there in a fixed order (time, event id, node).
 */
async function drawSample(scope: Scope, seed: string, org: string, perHour: { start: number; count: number }[], total: number): Promise<SampleEvent[]> {
  const offsets = sampleOffsets(total, SAMPLE_SIZE, seededRandom(seed));
  const out: SampleEvent[] = [];
  let hour = 0;
  let before = 0;
  for (const offset of offsets) {
    while (hour < perHour.length && before + perHour[hour].count <= offset) before += perHour[hour++].count;
    if (hour >= perHour.length) break;
    const start = perHour[hour].start;
    const res = await scopedSearch<SampledSource>(scope, "events", {
      size: 1,
      from: Math.min(offset - before, MAX_FROM),
      query: {
        bool: { filter: [hasOperator, { range: { "@timestamp": { gte: new Date(start).toISOString(), lt: new Date(start + HOUR_MS).toISOString() } } }] },
      },
      sort: [{ "@timestamp": "asc" }, { "event.id": "asc" }, { "observer.id": "asc" }],
    });
    const s = res.hits.hits[0]?._source;
    if (!s) continue;
    const at = Date.parse(s["@timestamp"]);
    const second = Math.floor(at / 1000) * 1000;
    out.push({
      id: s.event.id,
      timestamp: s["@timestamp"],
      action: s.event.action,
      outcome: s.event.outcome,
      operator: s.user?.id,
      terminal: s.host?.id,
      schedule: s.jukinet?.purpose?.schedule,
      item: s.jukinet?.purpose?.item,
      href: `/events?organization=${org}${s.user?.id ? `&operator=${encodeURIComponent(s.user.id)}` : ""}&from=${encodeURIComponent(new Date(second).toISOString())}&to=${encodeURIComponent(new Date(second + 1000).toISOString())}`,
    });
  }
  return out;
}
