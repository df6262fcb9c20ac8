/**
 * The report's figures as an XLSX annex: overview, usage, actions, alerts, checklist, log reviews, findings and
 * registers sheets (the log reviews and registers when the report has them, as in the PDF), every text in full.
 */
import type ExcelJS from "exceljs";
import { formatFiscalYear, formatJst, formatJstDate, labelOr, t } from "../../../lib/i18n";
import { COUNT_FORMAT, LANDSCAPE_A4, newWorkbook, PERCENT_FORMAT, SECTION_FONT, stylePair, titleRows, toXlsxBuffer, writeTable, type XCell } from "../../xlsx";
import type { AuditReportDocument } from "../../../domain/audits/documents";
import {
  actionLabel,
  alertCounts,
  alertHeaders,
  ANSWER_KEYS,
  checklistStatusLabel,
  conclusionLabel,
  DASH,
  findingStatusLabel,
  gradeLabel,
  KEY_FIGURES,
  logReviewOutcomeLabel,
  logReviewsSummary,
  logReviewStateLabel,
  periodText,
  reportFacts,
  sum,
  usageNotes,
} from "./common";
import { figureCounts, figureLabel } from "../../../domain/statistics/figures";

/** A sheet with its title rows (title; period, version, status, generated at); returns it and the next free row. */
function annexSheet(wb: ExcelJS.Workbook, doc: AuditReportDocument, name: string, widths: number[]): [ExcelJS.Worksheet, number] {
  const ws = wb.addWorksheet(name, { pageSetup: LANDSCAPE_A4 });
  ws.columns = widths.map((width) => ({ width }));
  const facts = [
    `${t("audit.doc.period")} ${periodText(doc.auditFrom, doc.auditTo)}`,
    `${t("audit.doc.report.version")} v${doc.version}`,
    `${t("audit.doc.report.status")} ${t(`audit.reportStatus.${doc.status}`)}`,
    `${t("audit.doc.generatedAt")} ${formatJst(doc.generatedAt)}`,
  ];
  return [ws, titleRows(ws, `${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)} ${t("audit.doc.report.annexTitle")} — ${name}`, [facts.join(" / ")])];
}

/** Label | value rows (label shaded, like the PDF's header block); returns the next free row. */
function writePairs(ws: ExcelJS.Worksheet, firstRow: number, pairs: [string, XCell][]): number {
  pairs.forEach(([label, value], i) => {
    const r = ws.getRow(firstRow + i);
    const l = r.getCell(1);
    const v = r.getCell(2);
    l.value = label;
    v.value = value;
    stylePair(l, v);
    if (typeof value === "number") v.numFmt = COUNT_FORMAT;
  });
  return firstRow + pairs.length + 1;
}

function sectionTitle(ws: ExcelJS.Worksheet, row: number, text: string): number {
  ws.getCell(`A${row}`).value = text;
  ws.getCell(`A${row}`).font = SECTION_FONT;
  return row + 1;
}

export async function renderReportAnnexXlsx(doc: AuditReportDocument): Promise<Buffer> {
  const s = doc.statistics;
  const wb = newWorkbook(`${t("audit.doc.report.annexTitle")} ${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)} v${doc.version}`);

  // 概要: engagement facts, conclusion and the key figures.
  {
    const [ws, first] = annexSheet(wb, doc, t("audit.doc.sheet.summary"), [26, 60]);
    let row = sectionTitle(ws, first, t("audit.doc.sheet.engagement"));
    row = writePairs(ws, row, [
      ...reportFacts(doc),
      [t("audit.doc.report.conclusion"), conclusionLabel(doc.conclusion)],
      [t("audit.doc.generatedAt"), formatJst(doc.generatedAt)],
    ]);
    row = sectionTitle(ws, row, t("audit.doc.report.keyFigures"));
    row = writePairs(ws, row, [
      [t("audit.doc.report.statsPeriod"), periodText(s.from, s.to)],
      ...KEY_FIGURES.map(([id, f]): [string, number] => [figureLabel(id), f(s)]),
    ]);
    row = sectionTitle(ws, row, t("stats.figure.definition"));
    writePairs(
      ws,
      row,
      KEY_FIGURES.map(([id]): [string, string] => [figureLabel(id), figureCounts(id)]),
    );
    ws.views = [{ state: "frozen", ySplit: 2, xSplit: 0, topLeftCell: "A3" }];
  }

  // 利用状況: 別表・事務別の利用 (order as given), what it counts and how it relates to the usage report.
  {
    const [ws, top] = annexSheet(wb, doc, t("audit.doc.sheet.usage"), [14, 30, 14, 44, 12]);
    const notes = usageNotes(doc);
    notes.forEach((line, i) => (ws.getCell(`A${top + i}`).value = line));
    const first = top + notes.length + 1;
    writeTable(
      ws,
      first,
      [
        `${t("audit.doc.report.schedule")} (ID)`,
        t("audit.doc.report.schedule"),
        `${t("audit.doc.report.usageItem")} (ID)`,
        t("audit.doc.report.usageItem"),
        t("audit.doc.count"),
      ],
      [
        ...s.usage.map((u) => [u.schedule, u.scheduleLabel, u.item, u.itemLabel, u.count]),
        [t("audit.doc.total"), null, null, null, sum(s.usage.map((u) => u.count))],
      ],
      { numFmt: { 5: COUNT_FORMAT }, freeze: true, totalRow: true },
    );
  }

  // 操作種別
  {
    const [ws, first] = annexSheet(wb, doc, t("audit.doc.sheet.actions"), [18, 24, 12, 10]);
    const total = sum(s.byAction.map((a) => a.count));
    const share = (c: number): number | null => (total > 0 ? (100 * c) / total : null);
    writeTable(
      ws,
      first,
      [`${t("audit.doc.report.action")} (ID)`, t("audit.doc.report.action"), t("audit.doc.count"), t("audit.doc.share")],
      [...s.byAction.map((a) => [a.action, actionLabel(a.action), a.count, share(a.count)]), [t("audit.doc.total"), null, total, share(total)]],
      { numFmt: { 3: COUNT_FORMAT, 4: PERCENT_FORMAT }, freeze: true, totalRow: true },
    );
  }

  // アラート: by rule and disposition.
  {
    const [ws, first] = annexSheet(wb, doc, t("audit.doc.sheet.alerts"), [24, 36, 10, 14, 10, 12, 10]);
    const rows: XCell[][] = s.alerts.map((a) => [a.rule, a.ruleName, ...alertCounts(a)]);
    const totals = s.alerts.length
      ? s.alerts.map(alertCounts).reduce((acc, c) => acc.map((v, i) => v + c[i]))
      : alertCounts({ rule: "", ruleName: "", total: 0, byDisposition: {} });
    writeTable(ws, first, [`${t("audit.doc.report.rule")} (ID)`, ...alertHeaders()], [...rows, [t("audit.doc.total"), null, ...totals]], {
      numFmt: { 3: COUNT_FORMAT, 4: COUNT_FORMAT, 5: COUNT_FORMAT, 6: COUNT_FORMAT, 7: COUNT_FORMAT },
      freeze: true,
      totalRow: true,
    });
  }

  // 自己点検: result of the fiscal year and section scores.
  {
    const [ws, first] = annexSheet(wb, doc, t("audit.doc.sheet.checklist"), [22, 44, 12]);
    const c = doc.checklist;
    if (!c) ws.getCell(`A${first}`).value = t("audit.doc.report.checklistNone");
    else {
      let row = writePairs(ws, first, [
        [t("audit.doc.fiscalYear"), formatFiscalYear(c.fiscalYear)],
        [t("checklist.doc.status"), checklistStatusLabel(c.status)],
        [t("checklist.doc.score"), c.score === null ? DASH : c.score],
        ...ANSWER_KEYS.map((k): [string, number] => [t(`checklist.answer.${k}`), c.counts[k] ?? 0]),
      ]);
      if (c.score !== null) ws.getCell(`B${first + 2}`).numFmt = PERCENT_FORMAT;
      row = sectionTitle(ws, row, t("checklist.doc.score"));
      writeTable(
        ws,
        row,
        [t("audit.doc.no"), t("checklist.doc.section"), t("checklist.doc.score")],
        c.sections.map((x) => [x.id, x.title, x.score]),
        { numFmt: { 3: PERCENT_FORMAT }, freeze: true },
      );
    }
  }

  // 操作履歴の点検: the periodic log reviews of the audit period, with dates and the findings in full.
  if (doc.logReviews) {
    const r = doc.logReviews;
    const [ws, first] = annexSheet(wb, doc, t("audit.doc.sheet.logReviews"), [24, 16, 16, 18, 16, 18, 10, 60]);
    ws.getCell(`A${first}`).value = logReviewsSummary(r);
    writeTable(
      ws,
      first + 2,
      [
        t("audit.doc.report.logReviewPeriod"),
        t("audit.doc.report.logReviewStatus"),
        t("audit.doc.report.logReviewReviewer"),
        t("audit.doc.report.logReviewDoneAt"),
        t("audit.doc.report.logReviewSigner"),
        t("audit.doc.report.logReviewSignedAt"),
        t("audit.doc.report.logReviewOutcome"),
        t("audit.doc.report.logReviewFindings"),
      ],
      r.rows.map((x) => [
        x.period,
        logReviewStateLabel(x.status),
        x.reviewer ?? DASH,
        x.doneAt ? formatJst(x.doneAt) : DASH,
        x.signedOffBy ?? DASH,
        x.signedOffAt ? formatJst(x.signedOffAt) : DASH,
        logReviewOutcomeLabel(x.outcome),
        x.findings || DASH,
      ]),
      { freeze: true },
    );
  }

  // 指摘事項: one row per finding, every field.
  {
    const headers: [string, number][] = [
      [t("audit.doc.no"), 7],
      [t("audit.doc.finding.title"), 30],
      [t("audit.doc.finding.grade"), 12],
      [t("audit.doc.finding.status"), 10],
      [t("audit.doc.finding.criterion"), 36],
      [t("audit.doc.finding.condition"), 36],
      [t("audit.doc.finding.cause"), 30],
      [t("audit.doc.finding.effect"), 30],
      [t("audit.doc.finding.recommendation"), 36],
      [t("audit.doc.finding.evidenceAlerts"), 22],
      [t("audit.doc.finding.evidenceSearches"), 22],
      [t("audit.doc.finding.evidenceFiles"), 22],
      [t("audit.doc.finding.response"), 36],
      [t("audit.doc.finding.plan"), 36],
      [t("audit.doc.finding.due"), 12],
    ];
    const [ws, first] = annexSheet(
      wb,
      doc,
      t("audit.doc.sheet.findings"),
      headers.map(([, w]) => w),
    );
    writeTable(
      ws,
      first,
      headers.map(([h]) => h),
      doc.findings.map((f) => [
        f.number,
        f.title,
        gradeLabel(f.grade),
        findingStatusLabel(f.status),
        f.criterion,
        f.condition,
        f.cause,
        f.effect,
        f.recommendation,
        f.evidence.alerts.join("\n"),
        f.evidence.searches.join("\n"),
        f.evidence.files.join("\n"),
        f.response ?? "",
        f.remediationPlan ?? "",
        f.remediationDue ? formatJstDate(f.remediationDue) : "",
      ]),
      { freeze: true },
    );
    ws.views = [{ state: "frozen", ySplit: first, xSplit: 2, topLeftCell: `C${first + 1}` }];
  }

  // 台帳: every register table of the audit period (equipment, IC cards, training and drills), each under its heading.
  if (doc.registers) {
    const tables = doc.registers;
    const widest = Math.max(1, ...tables.map((tb) => tb.columns.length));
    const [ws, first] = annexSheet(
      wb,
      doc,
      t("audit.doc.sheet.registers"),
      Array.from({ length: widest }, () => 20),
    );
    let row = first;
    if (!tables.length) ws.getCell(`A${row}`).value = t("registers.audit.none");
    for (const tb of tables) {
      row = sectionTitle(ws, row, labelOr(tb.title, tb.title));
      if (!tb.rows.length) {
        ws.getCell(`A${row}`).value = t("registers.audit.none");
        row += 2;
        continue;
      }
      row = writeTable(
        ws,
        row,
        tb.columns.map((c) => labelOr(c, c)),
        tb.rows,
      );
    }
  }

  return toXlsxBuffer(wb);
}
