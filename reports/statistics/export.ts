/**
 * XLSX of the statistics reports. Pure renderers from the report data: the
 * callers compute the report within the caller's scope first.
 */
import { formatFiscalYear, formatJst, formatJstDate, formatJstLastDay, t } from "../../lib/i18n";
import { BOLD, COUNT_FORMAT, newWorkbook, solidFill, styleHeader, titleRows, toXlsxBuffer } from "../xlsx";
import { monthLabel, type ProvisionTable } from "../../domain/statistics/provisions";
import { itemsUsedText, type UsageFigures, type UsageReport } from "../../domain/statistics/usage";

/** Header rows of the statistics sheets are shaded blue-grey rather than the default grey. */
const HEADER_FILL = solidFill("FFEEF2F7");
/** Signed changes: a count and a percentage. */
const CHANGE = "+#,##0;-#,##0;0";
const PCT = '+0.0"%";-0.0"%";0.0"%"';

const periodText = (from: Date, to: Date) => `${formatJstDate(from)}〜${formatJstLastDay(to)}`;

// ---------------------------------------------------------------------------
// Usage report: sheet 1 the prefecture's table (seed 003 §4(2)), sheet 2 per organisation.

export async function renderUsageXlsx(report: UsageReport): Promise<Buffer> {
  const title = `${t("stats.usage.title")} ${formatFiscalYear(report.fiscalYear)}`;
  const wb = newWorkbook(title);
  const lines = [
    `${t("stats.period")} ${periodText(report.current.from, report.current.to)}（${t("stats.usage.previous")} ${periodText(report.previous.from, report.previous.to)}）`,
    `${t("stats.generatedAt")} ${formatJst(report.generatedAt)}`,
    ...(report.partial ? [t("stats.usage.partial").replace("{date}", formatJstDate(report.current.to))] : []),
    t("stats.usage.note"),
  ];
  const previous = t(report.partial ? "stats.usage.previousPartial" : "stats.usage.previous");
  const usedText = (used: number, searches: number, total: number | null) => (searches > 0 ? itemsUsedText(used, total) : "");
  // Without any record of the previous year, its columns say so instead of showing 0 and a change from nothing.
  const noData = t("stats.noData");
  const prev = <T>(value: T): T | string => (report.previousHasData ? value : noData);

  {
    const ws = wb.addWorksheet(t("stats.usage.sheet"));
    const first = titleRows(ws, title, lines);
    const header = ws.getRow(first);
    header.values = [
      t("stats.usage.schedule"),
      t("stats.usage.searches"),
      t("stats.usage.items"),
      `${previous} ${t("stats.usage.searches")}`,
      `${previous} ${t("stats.usage.items")}`,
      t("stats.usage.change"),
      t("stats.usage.changePct"),
    ];
    styleHeader(header, HEADER_FILL);
    for (const s of report.schedules) {
      ws.addRow([
        s.label,
        s.searches,
        usedText(s.itemsUsed, s.searches, s.itemsTotal),
        prev(s.previousSearches),
        prev(usedText(s.previousItemsUsed, s.previousSearches, s.itemsTotal)),
        prev(s.change),
        prev(s.changePct),
      ]);
    }
    const total = ws.addRow([
      t("stats.usage.total"),
      report.total.searches,
      "",
      prev(report.total.previousSearches),
      "",
      prev(report.total.change),
      prev(report.total.changePct),
    ]);
    total.font = BOLD;
    ws.columns = [{ width: 34 }, { width: 12 }, { width: 30 }, { width: 16 }, { width: 30 }, { width: 12 }, { width: 10 }];
    for (const c of [2, 4]) ws.getColumn(c).numFmt = COUNT_FORMAT;
    ws.getColumn(6).numFmt = CHANGE;
    ws.getColumn(7).numFmt = PCT;
    ws.views = [{ state: "frozen", ySplit: first }];
  }

  {
    // Two header rows: the schedule over its four columns, then what each column is.
    const ws = wb.addWorksheet(t("stats.usage.byOrganization"));
    const first = titleRows(ws, `${title} — ${t("stats.usage.byOrganization")}`, lines);
    const groups: [string, string | null][] = [...report.schedules.map((s): [string, string] => [s.label, s.schedule]), [t("stats.usage.total"), null]];
    const sub = [t("stats.usage.searches"), previous, t("stats.usage.change"), t("stats.usage.items")];
    const top = ws.getRow(first);
    const second = ws.getRow(first + 1);
    top.getCell(1).value = t("stats.organizationCode");
    top.getCell(2).value = t("stats.organization");
    ws.mergeCells(first, 1, first + 1, 1);
    ws.mergeCells(first, 2, first + 1, 2);
    groups.forEach(([label], g) => {
      const col = 3 + g * sub.length;
      top.getCell(col).value = label;
      ws.mergeCells(first, col, first, col + sub.length - 1);
      sub.forEach((s, i) => (second.getCell(col + i).value = s));
    });
    styleHeader(top, HEADER_FILL);
    styleHeader(second, HEADER_FILL);
    const cells = (f: UsageFigures) => [f.searches, prev(f.previousSearches), prev(f.change), f.itemsUsed];
    for (const o of report.organizations) {
      ws.addRow([o.organizationId, o.name, ...report.schedules.flatMap((s) => cells(o.bySchedule[s.schedule])), ...cells(o.total)]);
    }
    ws.getColumn(1).width = 10;
    ws.getColumn(2).width = 16;
    groups.forEach((_, g) => {
      const col = 3 + g * sub.length;
      [COUNT_FORMAT, COUNT_FORMAT, CHANGE, "0"].forEach((fmt, i) => {
        ws.getColumn(col + i).numFmt = fmt;
        ws.getColumn(col + i).width = 11;
      });
    });
    ws.views = [{ state: "frozen", ySplit: first + 1, xSplit: 2 }];
  }
  return toXlsxBuffer(wb);
}

// ---------------------------------------------------------------------------
// Provision table in seed 001's layout.

export async function renderProvisionsXlsx(table: ProvisionTable): Promise<Buffer> {
  const title = t("stats.provisions.title");
  const wb = newWorkbook(title);
  const ws = wb.addWorksheet(t("stats.provisions.sheet"));
  const first = titleRows(ws, title, [
    `${t("stats.period")} ${monthLabel(table.from)}〜${monthLabel(table.to)}`,
    `${t("stats.generatedAt")} ${formatJst(table.generatedAt)}`,
    t("stats.provisions.note"),
  ]);
  const header = ws.getRow(first);
  header.values = [
    t("stats.provisions.recipient"),
    t("stats.provisions.item"),
    t("stats.provisions.channel"),
    ...table.months.map(monthLabel),
    t("stats.provisions.channelTotal"),
    t("stats.provisions.itemTotal"),
  ];
  styleHeader(header, HEADER_FILL);
  const last = 3 + table.months.length + 2;
  for (const g of table.groups) {
    const top = ws.rowCount + 1;
    g.rows.forEach((r, i) =>
      ws.addRow([i === 0 ? g.recipient.name : null, i === 0 ? g.purpose : null, r.label, ...r.months, r.total, i === 0 ? g.total : null]),
    );
    if (g.rows.length > 1) for (const col of [1, 2, last]) ws.mergeCells(top, col, top + g.rows.length - 1, col);
  }
  // 月別計: one row per channel and the total, under one merged label.
  const footer = ws.rowCount + 1;
  for (const r of table.channels) ws.addRow([t("stats.provisions.monthTotal"), null, r.label, ...r.months, r.total]).font = BOLD;
  ws.addRow([t("stats.provisions.monthTotal"), null, t("stats.usage.total"), ...table.monthTotals, table.total]).font = BOLD;
  ws.mergeCells(footer, 1, ws.rowCount, 2);
  ws.columns = [{ width: 24 }, { width: 48 }, { width: 12 }, ...table.months.map(() => ({ width: 12 })), { width: 14 }, { width: 14 }];
  for (let c = 4; c <= last; c++) ws.getColumn(c).numFmt = COUNT_FORMAT;
  for (const col of [1, 2, last]) ws.getColumn(col).alignment = { vertical: "top", wrapText: true };
  ws.views = [{ state: "frozen", ySplit: first, xSplit: 3 }];
  return toXlsxBuffer(wb);
}
