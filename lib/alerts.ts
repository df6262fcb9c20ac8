/**
 * Alerts in Elasticsearch (`<prefix>-alerts`): written by the detectors with
 * deterministic ids, read by the API and the console. Every read goes through
 * a scope filter built from the caller's organisations.
 */
import type { estypes } from "@elastic/elasticsearch";
import { config } from "./config";
import { es } from "./es/client";

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
  detection: { first_seen: string; last_seen: string; runs: number };
}

export function alertsIndex(): string {
  return `${config().ES_INDEX_PREFIX}-alerts`;
}

const keyword = { type: "keyword" } as const;

export async function ensureAlertsIndex(): Promise<void> {
  const index = `${alertsIndex()}-v1`;
  if (await es().indices.exists({ index })) return;
  await es().indices.create({
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
        detection: { properties: { first_seen: { type: "date" }, last_seen: { type: "date" }, runs: { type: "integer" } } },
        history: { type: "object", enabled: false },
      },
    },
  }).catch((e) => {
    if (!String(e).includes("resource_already_exists_exception")) throw e;
  });
}

export interface AlertQuery {
  from?: string;
  to?: string;
  rule?: string;
  organization?: string;
  status?: string;
  size?: number;
}

/**
 * Alerts whose window overlaps [from, to), limited to `organizations`
 * (undefined = full scope, only for the server's own CLI).
 */
export async function searchAlerts(q: AlertQuery, organizations: string[] | undefined) {
  const filter: estypes.QueryDslQueryContainer[] = [];
  if (organizations) filter.push({ terms: { "organization.id": organizations } });
  if (q.from) filter.push({ range: { "window.end": { gt: q.from } } });
  if (q.to) filter.push({ range: { "window.start": { lt: q.to } } });
  if (q.rule) filter.push({ term: { "rule.id": q.rule } });
  if (q.organization) filter.push({ term: { "organization.id": q.organization } });
  if (q.status) filter.push({ term: { status: q.status } });
  await ensureAlertsIndex();
  const res = await es().search<AlertDocument>({
    index: alertsIndex(),
    size: Math.min(q.size ?? 1000, 10_000),
    track_total_hits: true,
    query: { bool: { filter } },
    sort: [{ "window.start": "desc" }, { id: "asc" }],
  });
  const total = typeof res.hits.total === "number" ? res.hits.total : (res.hits.total?.value ?? 0);
  return {
    alerts: res.hits.hits.map((h) => {
      const a = h._source!;
      return {
        id: a.id,
        rule: { id: a.rule.id, name: a.rule.name },
        severity: a.severity,
        window: a.window,
        entity: a.entity,
        organization: a.organization,
        status: a.status,
        summary: a.summary,
        evidence: a.evidence,
      };
    }),
    total,
  };
}
