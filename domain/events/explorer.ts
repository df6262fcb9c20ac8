/**
 * The log explorer's queries: filters by time, organisation, operator,
 * terminal, action, purpose, recipient and subject reference, always within
 * the caller's organisations; paging with search_after; CSV export.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { scopedSearch, totalHits } from "../../lib/es/scoped";
import { residentRefs } from "../ingest/pseudonym";

export interface EventFilter {
  from: string;
  to: string;
  organization?: string;
  operator?: string;
  terminal?: string;
  action?: string;
  schedule?: string;
  item?: string;
  recipient?: string;
  /** A subject reference, or an 11-digit 住民票コード turned into its reference here (never stored). */
  subject?: string;
}

export interface EventRow {
  id: string;
  timestamp: string;
  action: string;
  outcome: string;
  organization: string;
  node: string;
  operator?: string;
  terminal?: string;
  ip?: string;
  schedule?: string;
  item?: string;
  recipient?: string;
  channel?: string;
  records?: number;
  subject?: string;
  queryKind?: string;
  resultCount?: number;
}

/**
 * A subject filter as references: an 11-digit 住民票コード is turned into its
 * keyed references here (the current key's and, after a key rotation, the
 * previous keys'; never stored); references are kept comma-separated.
 */
export function subjectReferences(subject: string): string[] {
  if (RESIDENT_CODE.test(subject)) return residentRefs(subject);
  return subject
    .split(",")
    .map((s) => s.trim())
    .filter((s) => /^[0-9a-f]{32}$/.test(s));
}

const RESIDENT_CODE = /^\d{11}$/;

/** True when URL parameters carry a clear 住民票コード (the explorer refuses it there: it belongs in a POST). */
export function hasClearSubject(params: Record<string, string | undefined>): boolean {
  return RESIDENT_CODE.test(params.subject?.trim() ?? "");
}

/** The filter's clauses (the scope's own filter is added by the scoped search). */
export function eventQuery(f: EventFilter): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = [{ range: { "@timestamp": { gte: f.from, lt: f.to } } }];
  const term = (field: string, value?: string) => value && filter.push({ term: { [field]: value } });
  term("organization.id", f.organization);
  term("user.id", f.operator);
  term("host.id", f.terminal);
  term("event.action", f.action);
  term("jukinet.purpose.schedule", f.schedule);
  term("jukinet.purpose.item", f.item);
  term("jukinet.recipient.id", f.recipient);
  if (f.subject) filter.push({ terms: { "jukinet.subject.ref": subjectReferences(f.subject) } });
  return { bool: { filter } };
}

function toRow(h: estypes.SearchHit<any>): EventRow {
  const s = h._source;
  return {
    id: s.event.id,
    timestamp: s["@timestamp"],
    action: s.event.action,
    outcome: s.event.outcome,
    organization: s.organization.id,
    node: s.observer.id,
    operator: s.user?.id,
    terminal: s.host?.id,
    ip: s.source?.ip,
    schedule: s.jukinet?.purpose?.schedule,
    item: s.jukinet?.purpose?.item,
    recipient: s.jukinet?.recipient?.id,
    channel: s.jukinet?.channel,
    records: s.jukinet?.record_count,
    subject: s.jukinet?.subject?.ref,
    queryKind: s.jukinet?.query?.kind,
    resultCount: s.jukinet?.query?.result_count,
  };
}

const SORT: estypes.Sort = [{ "@timestamp": "desc" }, { "event.id": "asc" }, { "observer.id": "asc" }];

/** One page; `after` is the opaque cursor of the previous page. */
export async function searchEvents(f: EventFilter, scope: Scope, size = 50, after?: string) {
  scope.require(f.organization);
  const res = await scopedSearch(scope, "events", {
    size,
    track_total_hits: true,
    query: eventQuery(f),
    sort: SORT,
    ...(after ? { search_after: JSON.parse(Buffer.from(after, "base64url").toString()) } : {}),
  });
  const hits = res.hits.hits;
  const last = hits[hits.length - 1];
  const total = totalHits(res);
  return {
    events: hits.map(toRow),
    total,
    next: hits.length === size && last?.sort ? Buffer.from(JSON.stringify(last.sort)).toString("base64url") : undefined,
  };
}

export const CSV_COLUMNS: (keyof EventRow)[] = [
  "timestamp",
  "action",
  "outcome",
  "organization",
  "node",
  "operator",
  "terminal",
  "ip",
  "schedule",
  "item",
  "recipient",
  "channel",
  "records",
  "subject",
  "queryKind",
  "resultCount",
  "id",
];

/**
 * One CSV cell. A cell a spreadsheet would read as a formula (starting with
 * = + - @, a tab or a carriage return) is neutralised with a leading
 * apostrophe (OWASP's CSV-injection advice), then quoted when needed.
 */
export function csvCell(v: unknown): string {
  let s = v === undefined || v === null ? "" : String(v);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** CSV lines (header first), paging with search_after; at most `limit` rows. */
export async function* exportEventsCsv(f: EventFilter, scope: Scope, limit = 100_000): AsyncGenerator<string> {
  yield CSV_COLUMNS.join(",") + "\n";
  let after: string | undefined;
  let rows = 0;
  do {
    const page = await searchEvents(f, scope, 5000, after);
    for (const e of page.events) {
      if (rows++ >= limit) return;
      yield CSV_COLUMNS.map((c) => csvCell(e[c])).join(",") + "\n";
    }
    after = page.next;
  } while (after);
}

const FILTER_FIELDS = ["organization", "operator", "terminal", "action", "schedule", "item", "recipient", "subject"] as const;

/** The explorer's filter fields from URL parameters (time range handled separately). */
export function filterFromParams(params: Record<string, string | undefined>): Omit<EventFilter, "from" | "to"> {
  const f: Record<string, string> = {};
  for (const k of FILTER_FIELDS) {
    const v = params[k]?.trim();
    if (v && v.length <= 128) f[k] = v;
  }
  return f;
}
