/**
 * Provision statistics in the layout of seed 001's table (住基ネットからの本人確認情報の
 * 提供状況): one row per recipient × 事務 × channel (即時提供 / 磁気媒体 / 電気通信回線),
 * one column per JST month, with the channel total (形態別計), the 事務 total
 * (事務別計), the month totals and the grand total.
 *
 * A value is the number of records provided: the sum of `jukinet.record_count`
 * over the provisions. Ingest stores 1 when the sender left the field out
 * (domain/ingest/event.ts), so a single provision counts 1 and a batch its
 * records; the sum's `missing: 1` gives the same for any document stored
 * without the field. A batch sent both as a summary and as per-resident records
 * counts once, by its records (./figures.ts provisionsOnce). Computed with one
 * composite aggregation paged to the end.
 */
import type { estypes } from "@elastic/elasticsearch";
import { z } from "zod";
import type { Scope } from "../../lib/auth/scope";
import { fiscalYear } from "../../lib/calendar";
import { scopedBuckets } from "../../lib/es/scoped";
import { t, type MessageKey } from "../../lib/i18n";
import { findPurposeItem, findSchedule, recipientById } from "../registry/purposes";
import { figureQuery, provisionsOnce } from "./figures";
import { monthKeyOf, monthKeys, monthsPeriod, type Period } from "./period";
import { optional, organizationParam, scheduleOrder, UNSPECIFIED } from "./usage";

/** The event actions that provide identity records to a recipient: the `provisions` figure of ./figures.ts. */
export { PROVISION_ACTIONS } from "./figures";

/** Channels in the order of seed 001's table. */
export const CHANNEL_ORDER = ["immediate", "media", "online_batch"] as const;

const month = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "expected a month YYYY-MM");

/** Query of the provisions page and its XLSX route: `?from=2022-04&to=2023-03&organization=352012` (all optional). */
export const provisionParams = z.object({ from: optional(month), to: optional(month), organization: optional(organizationParam) });

/** The months asked for; by default from April of the current fiscal year to the current month. */
export function requestedMonths(params: z.infer<typeof provisionParams>, now: Date): { from: string; to: string } {
  return { from: params.from ?? `${fiscalYear(now)}-04`, to: params.to ?? monthKeyOf(now) };
}

export function channelLabel(channel: string): string {
  return (CHANNEL_ORDER as readonly string[]).includes(channel)
    ? t(`stats.channel.${channel}` as MessageKey)
    : channel === UNSPECIFIED
      ? t("stats.unspecified")
      : channel;
}

/** Column label of a month: "2021-04" → "2021年4月". */
export function monthLabel(month: string): string {
  return t("stats.month")
    .replace("{y}", month.slice(0, 4))
    .replace("{m}", String(Number(month.slice(5, 7))));
}

/** "別表第1 国民年金の被保険者に係る届出、…" from purposes.json, the ids where it has no entry. */
export function purposeLabel(schedule: string, item: string): string {
  const s = schedule === UNSPECIFIED ? t("stats.unspecified") : (findSchedule(schedule)?.name ?? schedule);
  return `${s} ${findPurposeItem(schedule, item)?.name ?? item}`.trim();
}

/** The recipient's name in purposes.json, else the name the event carried, else its id. */
export function recipientName(id: string, sent?: string): string {
  return recipientById(id)?.name ?? sent ?? id;
}

/** Records provided to one recipient for one 事務 by one channel in one JST month. */
export interface ProvisionCell {
  recipientId: string;
  /** `jukinet.recipient.name` as sent, for recipients unknown to purposes.json. */
  recipientName?: string;
  schedule: string;
  item: string;
  channel: string;
  /** "YYYY-MM" (JST) */
  month: string;
  records: number;
}

export interface ProvisionRow {
  channel: string;
  label: string;
  /** Per month of `ProvisionTable.months`. */
  months: number[];
  /** 形態別計 */
  total: number;
}

export interface ProvisionGroup {
  recipient: { id: string; name: string };
  schedule: string;
  item: string;
  purpose: string;
  rows: ProvisionRow[];
  /** 事務別計 */
  total: number;
}

export interface ProvisionTable {
  from: string;
  to: string;
  months: string[];
  groups: ProvisionGroup[];
  /** Per channel and month, over all groups (the chart). */
  channels: ProvisionRow[];
  /** 月別計 */
  monthTotals: number[];
  total: number;
  generatedAt: Date;
}

const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
const channelOrder = (c: string) => {
  const i = (CHANNEL_ORDER as readonly string[]).indexOf(c);
  return i < 0 ? CHANNEL_ORDER.length : i;
};
const itemOrder = (schedule: string, item: string) => {
  const i = findSchedule(schedule)?.items.findIndex((x) => x.id === item) ?? -1;
  return i < 0 ? Number.MAX_SAFE_INTEGER : i;
};
const natural = (a: string, b: string) => a.localeCompare(b, "en", { numeric: true });

/**
 * The table from its cells: groups in the order of purposes.json (schedule,
 * then 事務, then recipient), channels in seed 001's order, every month of
 * `months` (0 when nothing was provided), with all totals.
 */
export function buildProvisionTable(
  months: string[],
  cells: ProvisionCell[],
): Pick<ProvisionTable, "months" | "groups" | "channels" | "monthTotals" | "total"> {
  const column = new Map(months.map((m, i) => [m, i] as const));
  const groups = new Map<string, { recipientId: string; sentName?: string; schedule: string; item: string; rows: Map<string, number[]> }>();
  const channels = new Map<string, number[]>();
  for (const c of cells) {
    const i = column.get(c.month);
    if (i === undefined) throw new RangeError(`provisions of ${c.month} fall outside the months of the table`);
    const key = JSON.stringify([c.recipientId, c.schedule, c.item]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { recipientId: c.recipientId, schedule: c.schedule, item: c.item, rows: new Map() }));
    g.sentName ??= c.recipientName;
    const row =
      g.rows.get(c.channel) ??
      g.rows
        .set(
          c.channel,
          months.map(() => 0),
        )
        .get(c.channel)!;
    row[i] += c.records;
    const all =
      channels.get(c.channel) ??
      channels
        .set(
          c.channel,
          months.map(() => 0),
        )
        .get(c.channel)!;
    all[i] += c.records;
  }
  const toRows = (m: Map<string, number[]>): ProvisionRow[] =>
    [...m]
      .sort(([a], [b]) => channelOrder(a) - channelOrder(b) || a.localeCompare(b))
      .map(([channel, values]) => ({ channel, label: channelLabel(channel), months: values, total: sum(values) }));
  const list: ProvisionGroup[] = [...groups.values()]
    .sort(
      (a, b) =>
        scheduleOrder(a.schedule) - scheduleOrder(b.schedule) ||
        natural(a.schedule, b.schedule) ||
        itemOrder(a.schedule, a.item) - itemOrder(b.schedule, b.item) ||
        natural(a.item, b.item) ||
        a.recipientId.localeCompare(b.recipientId),
    )
    .map((g) => {
      const rows = toRows(g.rows);
      return {
        recipient: { id: g.recipientId, name: recipientName(g.recipientId, g.sentName) },
        schedule: g.schedule,
        item: g.item,
        purpose: purposeLabel(g.schedule, g.item),
        rows,
        total: sum(rows.map((r) => r.total)),
      };
    });
  const channelRows = toRows(channels);
  const monthTotals = months.map((_, i) => sum(channelRows.map((r) => r.months[i])));
  return { months, groups: list, channels: channelRows, monthTotals, total: sum(monthTotals) };
}

/** The filter of the provisions in a period (and `also`, when given); the scope's filter is added by lib/es/scoped. */
export function provisionQuery(period: Period, also: estypes.QueryDslQueryContainer[] = []): estypes.QueryDslQueryContainer {
  return { bool: { filter: [...also, figureQuery("provisions", period)] } };
}

/** Records provided per recipient, 事務, channel and JST month, every group paged through. */
async function provisionCells(scope: Scope, period: Period): Promise<ProvisionCell[]> {
  const out: ProvisionCell[] = [];
  const groups = scopedBuckets(
    scope,
    "events",
    await provisionsOnce(scope, period),
    [
      { recipient: { terms: { field: "jukinet.recipient.id", missing_bucket: true } } },
      { schedule: { terms: { field: "jukinet.purpose.schedule", missing_bucket: true } } },
      { item: { terms: { field: "jukinet.purpose.item", missing_bucket: true } } },
      { channel: { terms: { field: "jukinet.channel", missing_bucket: true } } },
      { month: { date_histogram: { field: "@timestamp", calendar_interval: "month", time_zone: "Asia/Tokyo" } } },
    ],
    {
      records: { sum: { field: "jukinet.record_count", missing: 1 } },
      name: { terms: { field: "jukinet.recipient.name", size: 1 } },
    },
  );
  const key = (v: unknown) => (v === null || v === undefined ? UNSPECIFIED : String(v));
  for await (const b of groups) {
    out.push({
      recipientId: key(b.key.recipient),
      recipientName: b.name.buckets[0]?.key,
      schedule: key(b.key.schedule),
      item: key(b.key.item),
      channel: key(b.key.channel),
      month: monthKeyOf(Number(b.key.month)),
      records: b.records.value,
    });
  }
  return out;
}

/**
 * The provision table of the JST months `from` … `to` ("YYYY-MM", inclusive,
 * at most 36) within the scope (narrow it for one organisation).
 * Throws a RangeError for a malformed or too long period.
 */
export async function provisionTable(scope: Scope, opts: { from: string; to: string; now?: Date }): Promise<ProvisionTable> {
  const months = monthKeys(opts.from, opts.to);
  const cells = await provisionCells(scope, monthsPeriod(opts.from, opts.to));
  return { from: opts.from, to: opts.to, ...buildProvisionTable(months, cells), generatedAt: opts.now ?? new Date() };
}
