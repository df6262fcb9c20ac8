/**
 * Audit documents as files: the audit plan (実施計画書) and notice (実施通知書)
 * of one municipality, its external-audit report (報告書) as a PDF, and the
 * report's figures as an XLSX annex. Pure renderers: callers load the data
 * (documents.ts) and check scope before calling.
 */
import type ExcelJS from "exceljs";
import { formatFiscalYear, formatJst, formatJstDate, formatJstLastDay, messages, t, type MessageKey } from "../../lib/i18n";
import { contentWidth, createDocument, FONT, heading, keyValueTable, paragraph, table, toBuffer, type PdfDoc } from "../pdf";
import { BOLD, COUNT_FORMAT, LABEL_FILL, LANDSCAPE_A4, newWorkbook, PERCENT_FORMAT, SECTION_FONT, styleHeader, stylePair, THIN, titleRows, toXlsxBuffer, WRAP } from "../xlsx";
import type { AuditReportDocument, AuditStatistics, ChecklistResult, EngagementFacts, FindingRow, PlanDocument, NoticeDocument } from "./documents";

const DASH = "—";
const GRADES = ["major", "minor", "observation"] as const satisfies readonly FindingRow["grade"][];
const STATUSES = ["open", "responded", "remediating", "closed"] as const satisfies readonly FindingRow["status"][];
/** Alert dispositions in column order; open alerts are counted as "untriaged". */
const DISPOSITIONS = ["true_positive", "false_positive", "benign"] as const;
const ANSWER_KEYS = ["implemented", "partial", "not_implemented", "not_applicable", "unanswered"] as const;

// ---------------------------------------------------------------------------
// Text helpers shared by the PDFs and the XLSX

/** Replaces {name} placeholders of a catalogue message. */
const fill = (text: string, vars: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

/** A catalogue label when the key exists (e.g. `action.search`), else the raw value. */
const labelOr = (key: string, raw: string): string => (key in messages ? t(key as MessageKey) : raw);

const actionLabel = (action: string): string => labelOr(`action.${action}`, action);
const sourceLabel = (source: string): string => labelOr(`audit.source.${source}`, source);
const checklistStatusLabel = (status: string): string => labelOr(`checklist.status.${status}`, status);
const gradeLabel = (g: FindingRow["grade"]): string => t(`audit.grade.${g}`);
const findingStatusLabel = (s: FindingRow["status"]): string => t(`audit.findingStatus.${s}`);
const conclusionLabel = (c: AuditReportDocument["conclusion"]): string => (c ? t(`audit.conclusion.${c}`) : DASH);

const num = (n: number): string => n.toLocaleString("ja-JP");
const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : DASH);
const scoreText = (s: number | null): string => (s === null ? DASH : `${s.toFixed(1)}%`);
const dateOrDash = (d: Date | null): string => (d ? formatJstDate(d) : DASH);

/** A period whose end is exclusive, shown with its last day: 2026/04/01 〜 2026/09/30. */
const periodText = (from: Date, to: Date): string =>
  fill(t("audit.doc.range"), { from: formatJstDate(from), to: formatJstLastDay(to) });

const auditorsText = (auditors: string[]): string => (auditors.length ? auditors.join("、") : DASH);
const fieldworkText = (d: Date | null): string => (d ? formatJstDate(d) : t("audit.doc.undecided"));
const disposition = (a: AuditStatistics["alerts"][number], key: string): number => a.byDisposition[key] ?? 0;

/** Evidence references of a finding, one line per kind. */
function evidenceLines(f: FindingRow): string[] {
  const lines: [MessageKey, string[]][] = [
    ["audit.doc.finding.evidenceAlerts", f.evidence.alerts],
    ["audit.doc.finding.evidenceSearches", f.evidence.searches],
    ["audit.doc.finding.evidenceFiles", f.evidence.files],
  ];
  return lines.filter(([, v]) => v.length).map(([k, v]) => `${t(k)}: ${v.join(", ")}`);
}

/** Findings counted by grade (rows) and status (columns). */
function findingMatrix(findings: FindingRow[]): Record<FindingRow["grade"], Record<FindingRow["status"], number>> {
  const zero = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<FindingRow["status"], number>;
  const m = { major: zero(), minor: zero(), observation: zero() };
  for (const f of findings) m[f.grade][f.status]++;
  return m;
}

const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

// ---------------------------------------------------------------------------
// PDF helpers

const section = (n: number, key: MessageKey): string => `${n}. ${t(key)}`;
const pageLabel = (n: number, total: number): string => `${n} / ${total} ${t("audit.doc.page")}`;
const footerText = (doc: EngagementFacts, title: string): string => `${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)} ${title}`;

/** Body font size of the notice (a letter). */
const LETTER_SIZE = 10.5;

/** A paragraph of letter text, optionally with a first-line indent of one character. */
function letterText(pdf: PdfDoc, text: string, opts: { indent?: boolean; gap?: number; align?: "left" | "center" | "right"; bold?: boolean; size?: number } = {}): void {
  const x = pdf.page.margins.left;
  const size = opts.size ?? LETTER_SIZE;
  pdf.font(opts.bold ? FONT.bold : FONT.regular).fontSize(size);
  pdf.text(text, x, pdf.y, { width: contentWidth(pdf), align: opts.align ?? "left", indent: opts.indent ? size : 0 });
  pdf.font(FONT.regular).fontSize(LETTER_SIZE);
  pdf.x = x;
  pdf.y += opts.gap ?? 6;
}

/** A line across the top margin of every page (e.g. a draft mark). */
function stampPages(pdf: PdfDoc, text: string): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    pdf.switchToPage(i);
    const m = pdf.page.margins;
    const width = pdf.page.width - m.left - m.right;
    pdf.save();
    pdf.font(FONT.bold).fontSize(9).fillColor("#b00000");
    pdf.text(text, m.left, 16, { width, align: "center", lineBreak: false });
    pdf.restore();
  }
}

// ---------------------------------------------------------------------------
// 実施計画書

export async function renderPlanPdf(doc: PlanDocument): Promise<Buffer> {
  const short = t("audit.doc.plan.shortTitle");
  const pdf = createDocument({
    title: `${short} ${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)}`,
    author: doc.firm,
    subject: t("audit.doc.plan.title"),
    footer: { text: footerText(doc, short), pageLabel },
  });

  heading(pdf, t("audit.doc.plan.title"), 1);
  keyValueTable(
    pdf,
    [
      [t("audit.doc.prefecture"), doc.prefectureName],
      [t("audit.doc.firm"), doc.firm],
      [t("audit.doc.organization"), doc.organization.name],
      [t("audit.doc.fiscalYear"), formatFiscalYear(doc.fiscalYear)],
      [t("audit.doc.period"), periodText(doc.auditFrom, doc.auditTo)],
      [t("audit.doc.fieldworkOn"), fieldworkText(doc.fieldworkOn)],
      [t("audit.doc.auditors"), auditorsText(doc.auditors)],
      [t("audit.doc.issuedAt"), formatJstDate(doc.issuedAt)],
    ],
    { pairsPerRow: 2, labelWidth: 72, gap: 14 },
  );

  heading(pdf, section(1, "audit.doc.plan.purpose"), 2);
  paragraph(pdf, fill(t("audit.doc.plan.purposeText"), { organization: doc.organization.name }), { gap: 10 });

  heading(pdf, section(2, "audit.doc.plan.scope"), 2);
  paragraph(pdf, doc.scope || DASH, { gap: 10 });

  heading(pdf, section(3, "audit.doc.plan.criteria"), 2);
  paragraph(pdf, doc.legalCriteria || DASH, { gap: 8 });
  heading(pdf, t("audit.doc.plan.criteriaItems"), 3);
  if (doc.criteriaItems.length) {
    table(pdf, {
      columns: [
        { header: t("audit.doc.no"), width: 62, align: "center" },
        { header: t("audit.doc.plan.criteriaItem"), width: 453 },
      ],
      rows: doc.criteriaItems.map((c) => [c.id, c.text]),
    });
  } else paragraph(pdf, t("audit.doc.plan.noCriteriaItems"), { gap: 10 });

  heading(pdf, section(4, "audit.doc.plan.procedures"), 2);
  paragraph(pdf, t("audit.doc.plan.proceduresText"), { gap: 6 });
  table(pdf, {
    columns: [
      { header: t("audit.doc.plan.method"), width: 90 },
      { header: t("audit.doc.plan.methodDetail"), width: 425 },
    ],
    rows: doc.evidenceSources.map((s) => [sourceLabel(s), labelOr(`audit.doc.plan.sourceDetail.${s}`, "")]),
  });

  heading(pdf, section(5, "audit.doc.plan.schedule"), 2);
  table(pdf, {
    columns: [
      { header: t("audit.doc.plan.step"), width: 120 },
      { header: t("audit.doc.plan.when"), width: 395 },
    ],
    rows: doc.schedule.map((s) => [t(`audit.step.${s.step}`), s.when]),
  });
  paragraph(pdf, t("audit.doc.closing"), { align: "right" });
  return toBuffer(pdf);
}

// ---------------------------------------------------------------------------
// 実施通知書 (a one-page letter)

export async function renderNoticePdf(doc: NoticeDocument): Promise<Buffer> {
  const title = t("audit.doc.notice.title");
  const pdf = createDocument({
    title: `${title} ${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)}`,
    author: doc.prefectureName,
    subject: t("audit.doc.notice.subject"),
    footer: { text: footerText(doc, title), pageLabel },
    fontSize: LETTER_SIZE,
  });
  pdf.y += 10;
  letterText(pdf, formatJstDate(doc.issuedAt), { align: "right", gap: 18 });
  letterText(pdf, fill(t("audit.doc.notice.addressee"), { organization: doc.organization.name }), { size: 12, gap: 18 });
  letterText(pdf, doc.prefectureName, { align: "right", size: 11.5, gap: 2 });
  letterText(pdf, fill(t("audit.doc.notice.contractor"), { firm: doc.firm }), { align: "right", gap: 32 });
  letterText(pdf, t("audit.doc.notice.subject"), { align: "center", bold: true, size: 12.5, gap: 20 });
  letterText(pdf, t("audit.doc.notice.body"), { indent: true, gap: 18 });
  letterText(pdf, t("audit.doc.notice.ki"), { align: "center", gap: 12 });
  keyValueTable(
    pdf,
    [
      [t("audit.doc.organization"), doc.organization.name],
      [t("audit.doc.period"), periodText(doc.auditFrom, doc.auditTo)],
      [t("audit.doc.fieldworkOn"), fieldworkText(doc.fieldworkOn)],
      [t("audit.doc.auditors"), `${doc.firm}　${auditorsText(doc.auditors)}`],
      [t("audit.doc.notice.method"), doc.evidenceSources.map(sourceLabel).join("、") || DASH],
      [t("audit.doc.notice.materials"), t("audit.doc.notice.materialsText")],
    ],
    { labelWidth: 110, fontSize: 10, gap: 12 },
  );
  letterText(pdf, t("audit.doc.notice.note"), { indent: true, gap: 14 });
  letterText(pdf, t("audit.doc.closing"), { align: "right" });
  return toBuffer(pdf);
}

// ---------------------------------------------------------------------------
// 外部運用監査報告書

/** Cover fields of the report, shared by the PDF and the XLSX overview. */
function reportFacts(doc: AuditReportDocument): [string, string][] {
  return [
    [t("audit.doc.organization"), doc.organization.name],
    [t("audit.doc.fiscalYear"), formatFiscalYear(doc.fiscalYear)],
    [t("audit.doc.prefecture"), doc.prefectureName],
    [t("audit.doc.firm"), doc.firm],
    [t("audit.doc.period"), periodText(doc.auditFrom, doc.auditTo)],
    [t("audit.doc.fieldworkDone"), dateOrDash(doc.fieldworkOn)],
    [t("audit.doc.auditors"), auditorsText(doc.auditors)],
    [t("audit.doc.report.version"), `v${doc.version}`],
    [t("audit.doc.report.status"), t(`audit.reportStatus.${doc.status}`)],
    [t("audit.doc.report.finalizedAt"), dateOrDash(doc.finalizedAt)],
  ];
}

const KEY_FIGURES: [MessageKey, (s: AuditStatistics) => number][] = [
  ["audit.doc.report.totalEvents", (s) => s.totalEvents],
  ["audit.doc.report.operatorActions", (s) => s.operatorActions],
  ["audit.doc.report.afterHours", (s) => s.afterHours],
  ["audit.doc.report.authFailures", (s) => s.authFailures],
  ["audit.doc.report.cardLocks", (s) => s.cardLocks],
];

const alertHeaders = (): string[] => [
  t("audit.doc.report.rule"),
  t("audit.doc.count"),
  ...DISPOSITIONS.map((d) => t(`disposition.${d}`)),
  t("audit.doc.report.untriaged"),
];
const alertCounts = (a: AuditStatistics["alerts"][number]): number[] => [a.total, ...DISPOSITIONS.map((d) => disposition(a, d)), disposition(a, "untriaged")];

function statisticsSection(pdf: PdfDoc, n: number, s: AuditStatistics): void {
  heading(pdf, section(n, "audit.doc.report.statistics"), 2);
  keyValueTable(pdf, [[t("audit.doc.report.statsPeriod"), periodText(s.from, s.to)]], { labelWidth: 90, gap: 8 });

  heading(pdf, t("audit.doc.report.keyFigures"), 3);
  table(pdf, {
    columns: KEY_FIGURES.map(([k]) => ({ header: t(k), width: 1, align: "right" as const })),
    rows: [KEY_FIGURES.map(([, f]) => num(f(s)))],
  });

  heading(pdf, t("audit.doc.report.byAction"), 3);
  if (s.byAction.length) {
    const total = sum(s.byAction.map((a) => a.count));
    table(pdf, {
      columns: [
        { header: t("audit.doc.report.action"), width: 250 },
        { header: t("audit.doc.count"), width: 130, align: "right" },
        { header: t("audit.doc.share"), width: 130, align: "right" },
      ],
      rows: [...s.byAction.map((a) => [actionLabel(a.action), num(a.count), pct(a.count, total)]), [t("audit.doc.total"), num(total), pct(total, total)]],
      totalRow: true,
    });
  } else paragraph(pdf, t("audit.doc.report.noRecords"), { gap: 10 });

  heading(pdf, t("audit.doc.report.usage"), 3);
  if (s.usage.length) {
    table(pdf, {
      columns: [
        { header: t("audit.doc.report.schedule"), width: 170 },
        { header: t("audit.doc.report.usageItem"), width: 250 },
        { header: t("audit.doc.count"), width: 95, align: "right" },
      ],
      rows: [...s.usage.map((u) => [u.scheduleLabel, u.itemLabel, num(u.count)]), [t("audit.doc.total"), "", num(sum(s.usage.map((u) => u.count)))]],
      totalRow: true,
    });
  } else paragraph(pdf, t("audit.doc.report.noRecords"), { gap: 10 });

  heading(pdf, t("audit.doc.report.alerts"), 3);
  if (s.alerts.length) {
    const totals = s.alerts.map(alertCounts).reduce((acc, c) => acc.map((v, i) => v + c[i]));
    table(pdf, {
      columns: alertHeaders().map((header, i) => (i === 0 ? { header, width: 160 } : { header, width: 71, align: "right" as const })),
      rows: [...s.alerts.map((a) => [a.ruleName, ...alertCounts(a).map(num)]), [t("audit.doc.total"), ...totals.map(num)]],
      totalRow: true,
    });
  } else paragraph(pdf, t("audit.doc.report.noRecords"), { gap: 10 });
}

function checklistSection(pdf: PdfDoc, n: number, c: ChecklistResult | null): void {
  heading(pdf, section(n, "audit.doc.report.checklist"), 2);
  if (!c) {
    paragraph(pdf, t("audit.doc.report.checklistNone"), { gap: 10 });
    return;
  }
  keyValueTable(
    pdf,
    [
      [t("audit.doc.fiscalYear"), formatFiscalYear(c.fiscalYear)],
      [t("checklist.doc.status"), checklistStatusLabel(c.status)],
    ],
    { pairsPerRow: 2, labelWidth: 72, gap: 8 },
  );
  table(pdf, {
    columns: [...ANSWER_KEYS.map((k) => ({ header: t(`checklist.answer.${k}`), width: 1, align: "right" as const })), { header: t("checklist.doc.score"), width: 1, align: "right" }],
    rows: [[...ANSWER_KEYS.map((k) => num(c.counts[k] ?? 0)), scoreText(c.score)]],
  });
  if (c.sections.length) {
    table(pdf, {
      columns: [
        { header: t("audit.doc.no"), width: 70, align: "center" },
        { header: t("checklist.doc.section"), width: 345 },
        { header: t("checklist.doc.score"), width: 100, align: "right" },
      ],
      rows: c.sections.map((s) => [s.id, s.title, scoreText(s.score)]),
    });
  }
}

function findingsSection(pdf: PdfDoc, n: number, findings: FindingRow[]): void {
  heading(pdf, section(n, "audit.doc.report.findings"), 2);
  if (!findings.length) {
    paragraph(pdf, t("audit.doc.report.findingsNone"), { gap: 10 });
    return;
  }
  table(pdf, {
    columns: [
      { header: t("audit.doc.no"), width: 40, align: "center" },
      { header: t("audit.doc.finding.title"), width: 245 },
      { header: t("audit.doc.finding.grade"), width: 80, align: "center" },
      { header: t("audit.doc.finding.status"), width: 70, align: "center" },
      { header: t("audit.doc.finding.due"), width: 80, align: "center" },
    ],
    rows: findings.map((f) => [String(f.number), f.title, gradeLabel(f.grade), findingStatusLabel(f.status), dateOrDash(f.remediationDue)]),
  });
  for (const f of findings) {
    heading(pdf, `${t("audit.doc.finding.title")} ${f.number}　${f.title}（${gradeLabel(f.grade)}・${findingStatusLabel(f.status)}）`, 3);
    const evidence = evidenceLines(f);
    keyValueTable(
      pdf,
      [
        [t("audit.doc.finding.criterion"), f.criterion || DASH],
        [t("audit.doc.finding.condition"), f.condition || DASH],
        [t("audit.doc.finding.cause"), f.cause || DASH],
        [t("audit.doc.finding.effect"), f.effect || DASH],
        [t("audit.doc.finding.recommendation"), f.recommendation || DASH],
        [t("audit.doc.finding.evidence"), evidence.length ? evidence.join("\n") : DASH],
        [t("audit.doc.finding.response"), f.response ?? t("audit.doc.finding.noResponse")],
        [t("audit.doc.finding.plan"), f.remediationPlan ?? DASH],
        [t("audit.doc.finding.due"), dateOrDash(f.remediationDue)],
      ],
      { labelWidth: 72, gap: 12 },
    );
  }
}

function remediationSection(pdf: PdfDoc, n: number, findings: FindingRow[]): void {
  heading(pdf, section(n, "audit.doc.report.remediation"), 2);
  paragraph(pdf, t("audit.doc.report.remediationNote"), { gap: 6 });
  const m = findingMatrix(findings);
  const row = (label: string, counts: number[]) => [label, ...counts.map(num), num(sum(counts))];
  table(pdf, {
    columns: [
      { header: t("audit.doc.finding.grade"), width: 115 },
      ...STATUSES.map((s) => ({ header: findingStatusLabel(s), width: 70, align: "right" as const })),
      { header: t("audit.doc.total"), width: 80, align: "right" },
    ],
    rows: [
      ...GRADES.map((g) => row(gradeLabel(g), STATUSES.map((s) => m[g][s]))),
      row(t("audit.doc.total"), STATUSES.map((s) => sum(GRADES.map((g) => m[g][s])))),
    ],
    totalRow: true,
  });
}

export async function renderReportPdf(doc: AuditReportDocument): Promise<Buffer> {
  const short = t("audit.doc.report.shortTitle");
  const pdf = createDocument({
    title: `${short} ${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)} v${doc.version}`,
    author: doc.firm,
    subject: t("audit.doc.report.title"),
    footer: { text: `${footerText(doc, short)} v${doc.version}`, pageLabel },
  });

  heading(pdf, t("audit.doc.report.title"), 1);
  keyValueTable(pdf, reportFacts(doc), { pairsPerRow: 2, labelWidth: 72, gap: 14 });

  heading(pdf, section(1, "audit.doc.report.scopeAndMethod"), 2);
  paragraph(pdf, doc.scopeAndMethod || DASH, { gap: 10 });

  heading(pdf, section(2, "audit.doc.report.opinion"), 2);
  keyValueTable(pdf, [[t("audit.doc.report.conclusion"), conclusionLabel(doc.conclusion)]], { labelWidth: 72, gap: 6 });
  paragraph(pdf, doc.opinion || DASH, { gap: 10 });

  statisticsSection(pdf, 3, doc.statistics);
  checklistSection(pdf, 4, doc.checklist);
  findingsSection(pdf, 5, doc.findings);
  remediationSection(pdf, 6, doc.findings);
  paragraph(pdf, t("audit.doc.closing"), { align: "right" });

  if (doc.status !== "final") stampPages(pdf, t("audit.doc.report.watermark"));
  return toBuffer(pdf);
}

// ---------------------------------------------------------------------------
// XLSX annex

type XCell = string | number | null;

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

/**
 * A bordered table with a styled header row; `numFmt` per column (1-based).
 * The first table of a sheet freezes its header row. Returns the next free row.
 */
function writeTable(ws: ExcelJS.Worksheet, firstRow: number, headers: string[], rows: XCell[][], opts: { numFmt?: Record<number, string>; freeze?: boolean; totalRow?: boolean } = {}): number {
  const header = ws.getRow(firstRow);
  header.values = headers;
  styleHeader(header);
  rows.forEach((values, i) => {
    const r = ws.getRow(firstRow + 1 + i);
    r.values = values;
    const total = opts.totalRow && i === rows.length - 1;
    for (let col = 1; col <= headers.length; col++) {
      const c = r.getCell(col);
      c.border = THIN;
      c.alignment = typeof c.value === "number" ? { vertical: "top" } : WRAP;
      const fmt = opts.numFmt?.[col];
      if (fmt && typeof c.value === "number") c.numFmt = fmt;
      if (total) {
        c.font = BOLD;
        c.fill = LABEL_FILL;
      }
    }
  });
  if (opts.freeze) {
    ws.views = [{ state: "frozen", ySplit: firstRow, xSplit: 0, topLeftCell: `A${firstRow + 1}` }];
    if (!opts.totalRow) ws.autoFilter = { from: { row: firstRow, column: 1 }, to: { row: firstRow + Math.max(rows.length, 1), column: headers.length } };
    ws.pageSetup.printTitlesRow = `${firstRow}:${firstRow}`;
  }
  return firstRow + rows.length + 2;
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
    writePairs(ws, row, [[t("audit.doc.report.statsPeriod"), periodText(s.from, s.to)], ...KEY_FIGURES.map(([k, f]): [string, number] => [t(k), f(s)])]);
    ws.views = [{ state: "frozen", ySplit: 2, xSplit: 0, topLeftCell: "A3" }];
  }

  // 利用状況: 別表・事務別の利用 (order as given).
  {
    const [ws, first] = annexSheet(wb, doc, t("audit.doc.sheet.usage"), [14, 30, 14, 44, 12]);
    writeTable(
      ws,
      first,
      [`${t("audit.doc.report.schedule")} (ID)`, t("audit.doc.report.schedule"), `${t("audit.doc.report.usageItem")} (ID)`, t("audit.doc.report.usageItem"), t("audit.doc.count")],
      [...s.usage.map((u) => [u.schedule, u.scheduleLabel, u.item, u.itemLabel, u.count]), [t("audit.doc.total"), null, null, null, sum(s.usage.map((u) => u.count))]],
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
    const totals = s.alerts.length ? s.alerts.map(alertCounts).reduce((acc, c) => acc.map((v, i) => v + c[i])) : alertCounts({ rule: "", ruleName: "", total: 0, byDisposition: {} });
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
      writeTable(ws, row, [t("audit.doc.no"), t("checklist.doc.section"), t("checklist.doc.score")], c.sections.map((x) => [x.id, x.title, x.score]), { numFmt: { 3: PERCENT_FORMAT }, freeze: true });
    }
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
    const [ws, first] = annexSheet(wb, doc, t("audit.doc.sheet.findings"), headers.map(([, w]) => w));
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

  return toXlsxBuffer(wb);
}
