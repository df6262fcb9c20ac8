/**
 * The streams the archive tier keeps (README "Retention and archive"), their
 * retention in JST months (lib/config.ts), and the month arithmetic of the job.
 *
 * Two kinds of stream:
 * - `monthly`: one index per JST month (`<prefix>-events-YYYY.MM`,
 *   `<prefix>-ids-YYYY.MM`, lib/es/indices.ts); a month is archived as its index.
 * - `extract`: one index for every month (the alerts, the audit trail's
 *   checkpoints); a month is first copied into its own index
 *   (`<base>-YYYY.MM`), which is what the snapshot holds, and then deleted
 *   from the single index by a query on the stream's date field.
 *
 * The console's audit trail itself (the MAC chain) lives in the database and
 * is never deleted by this job: a chain can only be verified from its first
 * record. What the archive tier handles for the trail is its checkpoints in
 * Elasticsearch; an archived month of checkpoints just leaves fewer anchors
 * to compare with, and a restored month is compared again (lib/audit/checkpoints.ts).
 *
 * Disclosure records are the provision events the disclosure page reads, and
 * live inside the access events: their total period is a floor on the access
 * events' total period (the events' snapshots are kept until both ended).
 */
import { config } from "../../lib/config";
import { aliasName } from "../../lib/es/indices";
import { alertsIndex } from "../alerts/store";
import { checkpointIndex } from "../../lib/audit/checkpoints";

export const ARCHIVE_STREAMS = ["events", "ids", "alerts", "trail"] as const;
export type ArchiveStream = (typeof ARCHIVE_STREAMS)[number];

export interface StreamDef {
  stream: ArchiveStream;
  kind: "monthly" | "extract";
  /** Months searchable in the cluster, the current one counted. */
  hotMonths: number;
  /** Months kept at all (hot + archived); after them the snapshot is deleted. */
  totalMonths: number;
  /** The alias a restored month joins (searched through the normal scopes); none for the trail's checkpoints. */
  readAlias?: string;
  /** monthly: prefix of the monthly indices. extract: the single index (concrete, never the alias) and its date field. */
  base: string;
  dateField: string;
}

export function streamDefs(): StreamDef[] {
  const c = config();
  return [
    {
      stream: "events",
      kind: "monthly",
      hotMonths: c.RETENTION_EVENTS_HOT_MONTHS,
      totalMonths: Math.max(c.RETENTION_EVENTS_TOTAL_MONTHS, c.RETENTION_DISCLOSURE_TOTAL_MONTHS, c.RETENTION_EVENTS_HOT_MONTHS),
      readAlias: aliasName("events"),
      base: aliasName("events"),
      dateField: "@timestamp",
    },
    {
      stream: "ids",
      kind: "monthly",
      hotMonths: c.RETENTION_IDS_HOT_MONTHS,
      totalMonths: Math.max(c.RETENTION_IDS_TOTAL_MONTHS, c.RETENTION_IDS_HOT_MONTHS),
      readAlias: aliasName("ids"),
      base: aliasName("ids"),
      dateField: "@timestamp",
    },
    {
      stream: "alerts",
      kind: "extract",
      hotMonths: c.RETENTION_ALERTS_HOT_MONTHS,
      totalMonths: Math.max(c.RETENTION_ALERTS_TOTAL_MONTHS, c.RETENTION_ALERTS_HOT_MONTHS),
      readAlias: alertsIndex(),
      base: `${alertsIndex()}-v1`,
      dateField: "@timestamp",
    },
    {
      stream: "trail",
      kind: "extract",
      hotMonths: c.RETENTION_TRAIL_HOT_MONTHS,
      totalMonths: Math.max(c.RETENTION_TRAIL_TOTAL_MONTHS, c.RETENTION_TRAIL_HOT_MONTHS),
      base: checkpointIndex(),
      dateField: "at",
    },
  ];
}

export function streamDef(stream: string): StreamDef {
  const d = streamDefs().find((s) => s.stream === stream);
  if (!d) throw new ArchiveError("unknown_stream", `unknown stream "${stream}" (one of ${ARCHIVE_STREAMS.join(", ")})`);
  return d;
}

export class ArchiveError extends Error {
  constructor(
    readonly code: "unknown_stream" | "invalid_month" | "not_found" | "not_archived" | "not_restored" | "reason_required" | "snapshot_missing",
    message: string,
  ) {
    super(message);
  }
}

/** "YYYY-MM" of a JST month ("YYYY.MM" index suffixes are accepted too). */
export function parseMonth(text: string): string {
  const m = /^(\d{4})[-.](\d{2})$/.exec(text.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw new ArchiveError("invalid_month", `"${text}" is not a month (YYYY-MM)`);
  return `${m[1]}-${m[2]}`;
}

/** Months since year 0 (for comparisons and arithmetic). */
export const monthOrdinal = (month: string): number => {
  const [y, m] = parseMonth(month).split("-").map(Number);
  return y * 12 + m - 1;
};
export const monthOfOrdinal = (n: number): string => `${Math.floor(n / 12)}-${String((n % 12) + 1).padStart(2, "0")}`;

/** The JST month of an instant, "YYYY-MM". */
export function jstMonth(instant: Date | number): string {
  const t = new Date(instant).getTime() + 9 * 3_600_000;
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** [start, end) of a JST month as instants. */
export function monthRange(month: string): { from: Date; to: Date } {
  const n = monthOrdinal(month);
  const start = (k: number) => new Date(Date.UTC(Math.floor(k / 12), k % 12, 1) - 9 * 3_600_000);
  return { from: start(n), to: start(n + 1) };
}

/** The first month still hot, and the first month still kept at all, at `now`. */
export function cutoffs(def: Pick<StreamDef, "hotMonths" | "totalMonths">, now: Date): { hotFrom: string; keptFrom: string } {
  const current = monthOrdinal(jstMonth(now));
  return { hotFrom: monthOfOrdinal(current - (def.hotMonths - 1)), keptFrom: monthOfOrdinal(current - (def.totalMonths - 1)) };
}

/** Every JST month touched by [from, to). */
export function monthsBetween(from: Date, to: Date): string[] {
  if (!(to > from)) return [];
  const out: string[] = [];
  const last = monthOrdinal(jstMonth(new Date(to.getTime() - 1)));
  for (let n = monthOrdinal(jstMonth(from)); n <= last && out.length < 1200; n++) out.push(monthOfOrdinal(n));
  return out;
}

/** Index suffix "YYYY.MM" of a month. */
export const indexSuffix = (month: string) => parseMonth(month).replace("-", ".");

/** The index a month's snapshot holds (the monthly index, or the month extracted from the single index). */
export function sourceIndexOf(def: StreamDef, month: string): string {
  return def.kind === "monthly" ? `${def.base}-${indexSuffix(month)}` : `${def.base.replace(/-v1$/, "")}-${indexSuffix(month)}`;
}

/** The name a restored month takes in the cluster (never the live name, so a late event cannot mix into it). */
export const restoredIndexOf = (def: StreamDef, month: string) => `${sourceIndexOf(def, month)}-restored`;

export function snapshotNameOf(def: StreamDef, month: string): string {
  return `${config().ES_INDEX_PREFIX}-${def.stream}-${indexSuffix(month)}`;
}
