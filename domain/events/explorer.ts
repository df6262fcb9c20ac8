/**
 * The log explorer's queries: filters by time, organisation, operator,
 * terminal, action, purpose, recipient and subject reference, always within
 * the caller's organisations; paging with search_after; CSV export.
 */
import type { estypes } from "@elastic/elasticsearch";
import type { Scope } from "../../lib/auth/scope";
import { scopedSearch, totalHits } from "../../lib/es/scoped";
import { residentRefs } from "../ingest/pseudonym";
import { organizationNames, resolveOrganization } from "../registry/organizations";
import { channelLabel, eventActionLabel, formatJst, outcomeLabel, queryKindLabel, scheduleLabel, t, type MessageKey } from "../../lib/i18n";

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
  recipientName?: string;
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
    recipientName: s.jukinet?.recipient?.name,
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

/** A CSV column: its header key in the catalogue and the cell of a row (codes as labels, times in JST). */
type CsvColumn = [key: string, cell: (e: EventRow, names: Map<string, string>) => unknown];

const code =
  (k: keyof EventRow, label?: (v: string) => string) =>
  (e: EventRow): unknown =>
    e[k] === undefined || !label ? e[k] : label(String(e[k]));

export const CSV_COLUMNS: CsvColumn[] = [
  ["timestamp", (e) => formatJst(e.timestamp)],
  ["action", code("action", eventActionLabel)],
  ["outcome", code("outcome", outcomeLabel)],
  ["organization", code("organization")],
  ["organizationName", (e, names) => names.get(e.organization)],
  ["node", code("node")],
  ["operator", code("operator")],
  ["terminal", code("terminal")],
  ["ip", code("ip")],
  ["schedule", code("schedule", scheduleLabel)],
  ["item", code("item")],
  ["recipient", code("recipient")],
  ["recipientName", code("recipientName")],
  ["channel", code("channel", channelLabel)],
  ["records", code("records")],
  ["subject", code("subject")],
  ["queryKind", code("queryKind", queryKindLabel)],
  ["resultCount", code("resultCount")],
  ["id", code("id")],
];

/** The byte order mark that makes spreadsheets (Excel) read the CSV as UTF-8. */
export const UTF8_BOM = "\uFEFF";

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

/**
 * CSV lines for spreadsheets: a UTF-8 BOM and the Japanese header first, times in JST, actions,
 * outcomes, schedules, channels and query kinds as labels, the organisation's name beside its code;
 * paging with search_after; at most `limit` rows.
 */
export async function* exportEventsCsv(f: EventFilter, scope: Scope, limit = 100_000): AsyncGenerator<string> {
  const names = await organizationNames();
  yield UTF8_BOM + CSV_COLUMNS.map(([k]) => csvCell(t(`eventCsv.${k}` as MessageKey))).join(",") + "\n";
  let after: string | undefined;
  let rows = 0;
  do {
    const page = await searchEvents(f, scope, 5000, after);
    for (const e of page.events) {
      if (rows++ >= limit) return;
      yield CSV_COLUMNS.map(([, cell]) => csvCell(cell(e, names))).join(",") + "\n";
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

/**
 * The filter with its organisation as a code: a typed name (下関市) becomes its code; a name that
 * matches no organisation (or several) is returned as `unknownOrganization` and left out of the filter,
 * for the caller to say so rather than search without it.
 */
export async function resolveFilterOrganization<F extends { organization?: string }>(f: F): Promise<{ filter: F; unknownOrganization?: string }> {
  if (!f.organization) return { filter: f };
  const organization = await resolveOrganization(f.organization);
  if (organization) return { filter: { ...f, organization } };
  const rest = { ...f };
  delete rest.organization;
  return { filter: rest, unknownOrganization: f.organization };
}
