/**
 * Alerts in Elasticsearch (`<prefix>-alerts`): written by the detectors with
 * deterministic ids, read by the API and the console. Every read goes through
 * a scope filter built from the caller's organisations.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { config } from "../../lib/config";
import { es } from "../../lib/es/client";
import { scopedSearch, totalHits } from "../../lib/es/scoped";

export type AlertStatus = "open" | "acknowledged" | "closed";

export interface AlertDocument {
  id: string;
  "@timestamp": string;
  rule: { id: string; name: string; name_en: string };
  severity: string;
  risk_score: number;
  window: { start: string; end: string };
  entity: { type: string; id: string };
  organization: { id: string };
  summary: string;
  status: AlertStatus;
  evidence: Record<string, unknown>;
  detection: { first_seen: string; last_seen: string };
}

export function alertsIndex(): string {
  return `${config().ES_INDEX_PREFIX}-alerts`;
}

const keyword = { type: "keyword" } as const;

/** Creates the alerts index on first use; checked once per process, not on every request. */
let alertsIndexReady: Promise<void> | undefined;
export function ensureAlertsIndex(): Promise<void> {
  alertsIndexReady ??= createAlertsIndex().catch((e) => {
    alertsIndexReady = undefined;
    throw e;
  });
  return alertsIndexReady;
}

async function createAlertsIndex(): Promise<void> {
  const index = `${alertsIndex()}-v1`;
  if (await es().indices.exists({ index })) return;
  await es()
    .indices.create({
      index,
      aliases: { [alertsIndex()]: { is_write_index: true } },
      settings: { number_of_shards: 1, number_of_replicas: config().ES_REPLICAS },
      mappings: {
        dynamic: "strict",
        properties: {
          id: keyword,
          "@timestamp": { type: "date" },
          rule: { properties: { id: keyword, name: keyword, name_en: keyword } },
          severity: keyword,
          risk_score: { type: "byte" },
          window: { properties: { start: { type: "date" }, end: { type: "date" } } },
          entity: { properties: { type: keyword, id: keyword } },
          organization: { properties: { id: keyword } },
          summary: { type: "text" },
          status: keyword,
          assignee: keyword,
          disposition: keyword,
          // Stored for the analyst, not indexed: its shape varies by rule.
          evidence: { type: "object", enabled: false },
          detection: { properties: { first_seen: { type: "date" }, last_seen: { type: "date" } } },
          history: { type: "object", enabled: false },
        },
      },
    })
    .catch((e) => {
      if (!String(e).includes("resource_already_exists_exception")) throw e;
    });
}

export interface AlertQuery {
  from?: string;
  to?: string;
  rule?: string;
  organization?: string;
  status?: string;
  severity?: string;
  size?: number;
  sort?: "newest" | "severity";
}

/** The filter clauses of a query (the scope is added by scopedSearch). */
export type AlertFilter = Omit<AlertQuery, "sort" | "size"> & { rules?: string[]; assignee?: string };

export function alertFilter(q: AlertFilter): estypes.QueryDslQueryContainer[] {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (q.from) filter.push({ range: { "window.end": { gt: q.from } } });
  if (q.to) filter.push({ range: { "window.start": { lt: q.to } } });
  if (q.rule) filter.push({ term: { "rule.id": q.rule } });
  if (q.rules) filter.push({ terms: { "rule.id": q.rules } });
  if (q.organization) filter.push({ term: { "organization.id": q.organization } });
  if (q.status) filter.push({ term: { status: q.status } });
  if (q.severity) filter.push({ term: { severity: q.severity } });
  if (q.assignee) filter.push({ term: { assignee: q.assignee } });
  return filter;
}

/**
 * Alerts whose window overlaps [from, to), within the scope (a requested
 * organisation outside it is 403, never an empty list).
 */
export async function searchAlerts(q: AlertQuery, scope: Scope) {
  scope.require(q.organization);
  const filter = alertFilter(q);
  await ensureAlertsIndex();
  const res = await scopedSearch<AlertDocument>(scope, "alerts", {
    size: Math.min(q.size ?? 1000, 10_000),
    track_total_hits: true,
    query: { bool: { filter } },
    sort: q.sort === "severity" ? [{ risk_score: "desc" }, { "window.start": "desc" }, { id: "asc" }] : [{ "window.start": "desc" }, { id: "asc" }],
  });
  const total = totalHits(res);
  return {
    alerts: res.hits.hits.map((h) => {
      const a = h._source as StoredAlert;
      const { id, rule, severity, window, entity, organization, status, summary } = alertSummary(a);
      // The API's shape (INTERFACE.md): field order kept, evidence between summary and triage.
      return {
        id,
        rule,
        severity,
        window,
        entity,
        organization,
        status,
        summary,
        evidence: a.evidence,
        assignee: a.assignee ?? null,
        disposition: a.disposition ?? null,
      };
    }),
    total,
  };
}

/** The fields of an alert a list shows. */
export function alertSummary(a: StoredAlert) {
  return {
    id: a.id,
    rule: { id: a.rule.id, name: a.rule.name },
    severity: a.severity,
    window: a.window,
    entity: a.entity,
    organization: a.organization,
    status: a.status,
    summary: a.summary,
    assignee: a.assignee ?? null,
    disposition: a.disposition ?? null,
  };
}

export interface AlertHistoryEntry {
  at: string;
  by: string;
  /** "note" is a comment: it changes nothing but the history; the incident and investigation entries come from domain/incidents. */
  action: "acknowledge" | "assign" | "close" | "reopen" | "note" | "incident_linked" | "investigation_requested" | "investigation_answered";
  status?: AlertStatus;
  assignee?: string | null;
  disposition?: "true_positive" | "false_positive" | "benign";
  note?: string;
  /** The incident or investigation request an entry refers to (console path). */
  ref?: string;
}

export type StoredAlert = AlertDocument & { assignee?: string | null; disposition?: string | null; history?: AlertHistoryEntry[] };

/** One alert if it is in scope; otherwise undefined (the caller answers 404, so existence is not revealed). */
export async function getAlert(id: string, scope: Scope): Promise<StoredAlert | undefined> {
  await ensureAlertsIndex();
  const res = await scopedSearch<StoredAlert>(scope, "alerts", { size: 1, query: { term: { id } } });
  return res.hits.hits[0]?._source;
}

/**
 * Writes complete alert documents as they are (an export restored, a fixture):
 * the detectors write through their own upsert, which keeps triage state.
 */
export async function indexAlerts(docs: AlertDocument[]): Promise<void> {
  if (!docs.length) return;
  await ensureAlertsIndex();
  const res = await es().bulk({ refresh: "wait_for", operations: docs.flatMap((d) => [{ index: { _index: alertsIndex(), _id: d.id } }, d]) });
  if (res.errors) throw new Error(`indexing alerts: ${JSON.stringify(res.items.find((i) => i.index?.error)?.index?.error)}`);
}
