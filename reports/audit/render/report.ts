/** The external-audit report (外部運用監査報告書) of one municipality as a PDF. */
import { formatFiscalYear, labelOr, t } from "../../../lib/i18n";
import type { RegisterTable } from "../../../domain/registers/sources";
import { FONT, heading, paragraph, toBuffer, type PdfDoc } from "../../pdf/document";
import { keyValueTable, table } from "../../pdf/table";
import type { AuditReportDocument, ChecklistResult, FindingRow, IncidentYear } from "../../../domain/audits/documents";
import {
  actionLabel,
  alertCounts,
  alertHeaders,
  auditPdf,
  ANSWER_KEYS,
  checklistStatusLabel,
  conclusionLabel,
  DASH,
  dateOrDash,
  evidenceLines,
  findingMatrix,
  findingStatusLabel,
  gradeLabel,
  GRADES,
  KEY_FIGURES,
  keyFigureDefinitions,
  logReviewOutcomeLabel,
  logReviewsSummary,
  logReviewStateLabel,
  num,
  pct,
  periodText,
  reportFacts,
  scoreText,
  section,
  STATUSES,
  sum,
  usageNotes,
} from "./common";
import { figureLabel } from "../../../domain/statistics/figures";
import { KINDS } from "../../../domain/incidents/incidents";
import type { AuditReviewSection } from "../../../domain/reviews/summary";

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

function statisticsSection(pdf: PdfDoc, n: number, doc: AuditReportDocument): void {
  const s = doc.statistics;
  heading(pdf, section(n, "audit.doc.report.statistics"), 2);
  keyValueTable(pdf, [[t("audit.doc.report.statsPeriod"), periodText(s.from, s.to)]], { labelWidth: 90, gap: 8 });

  heading(pdf, t("audit.doc.report.keyFigures"), 3);
  table(pdf, {
    columns: KEY_FIGURES.map(([id]) => ({ header: figureLabel(id), width: 1, align: "right" as const })),
    rows: [KEY_FIGURES.map(([, f]) => num(f(s)))],
  });
  paragraph(pdf, keyFigureDefinitions().join("\n"), { gap: 10 });

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
  paragraph(pdf, usageNotes(doc).join("\n"), { gap: 6 });
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
    columns: [
      ...ANSWER_KEYS.map((k) => ({ header: t(`checklist.answer.${k}`), width: 1, align: "right" as const })),
      { header: t("checklist.doc.score"), width: 1, align: "right" },
    ],
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

/** The year's incidents by kind (drills apart), the emergency drills and the network disconnections decided. */
function incidentsTable(pdf: PdfDoc, y: IncidentYear): void {
  heading(pdf, `${t("audit.doc.report.incidents")}（${formatFiscalYear(y.fiscalYear)}）`, 3);
  table(pdf, {
    columns: [
      { header: t("audit.doc.report.incidentsReal"), width: 1, align: "right" },
      ...KINDS.map((k) => ({ header: t(`incident.kind.${k}`), width: 1, align: "right" as const })),
      { header: t("audit.doc.report.incidentsDisconnected"), width: 1, align: "right" },
      { header: t("audit.doc.report.exercises"), width: 1, align: "right" },
    ],
    rows: [[num(y.incidents), ...KINDS.map((k) => num(y.byKind[k] ?? 0)), num(y.disconnections), num(y.exercises)]],
  });
}

/** The periodic log reviews (操作履歴の点検) of the audit period: per period its state, reviewer, sign-off and outcome. */
function logReviewsTable(pdf: PdfDoc, r: AuditReviewSection): void {
  heading(pdf, t("audit.doc.report.logReviews"), 3);
  paragraph(pdf, logReviewsSummary(r), { gap: 6 });
  if (!r.rows.length) return;
  table(pdf, {
    columns: [
      { header: t("audit.doc.report.logReviewPeriod"), width: 95 },
      { header: t("audit.doc.report.logReviewStatus"), width: 75, align: "center" },
      { header: t("audit.doc.report.logReviewReviewer"), width: 75 },
      { header: t("audit.doc.report.logReviewSigner"), width: 75 },
      { header: t("audit.doc.report.logReviewOutcome"), width: 55, align: "center" },
      { header: t("audit.doc.report.logReviewFindings"), width: 140 },
    ],
    rows: r.rows.map((x) => [
      x.period,
      logReviewStateLabel(x.status),
      x.reviewer ?? DASH,
      x.signedOffBy ?? DASH,
      logReviewOutcomeLabel(x.outcome),
      x.findings ? (x.findings.length > 60 ? `${x.findings.slice(0, 60)}…` : x.findings) : DASH,
    ]),
  });
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
      ...GRADES.map((g) =>
        row(
          gradeLabel(g),
          STATUSES.map((s) => m[g][s]),
        ),
      ),
      row(
        t("audit.doc.total"),
        STATUSES.map((s) => sum(GRADES.map((g) => m[g][s]))),
      ),
    ],
    totalRow: true,
  });
}

/** 台帳（機器・ICカード・研修・訓練）: every register table of the audit period (issue 17); an empty one prints the "none" line. */
function registersSection(pdf: PdfDoc, n: number, tables: RegisterTable[]): void {
  heading(pdf, section(n, "registers.audit.section"), 2);
  if (!tables.length) paragraph(pdf, t("registers.audit.none"), { gap: 10 });
  for (const tb of tables) {
    heading(pdf, labelOr(tb.title, tb.title), 3);
    if (!tb.rows.length) {
      paragraph(pdf, t("registers.audit.none"), { gap: 10 });
      continue;
    }
    table(pdf, { columns: tb.columns.map((c) => ({ header: labelOr(c, c), width: 1 })), rows: tb.rows });
  }
}

export async function renderReportPdf(doc: AuditReportDocument): Promise<Buffer> {
  const pdf = auditPdf(doc, { title: t("audit.doc.report.shortTitle"), author: doc.firm, subject: t("audit.doc.report.title"), suffix: `v${doc.version}` });

  heading(pdf, t("audit.doc.report.title"), 1);
  keyValueTable(pdf, reportFacts(doc), { pairsPerRow: 2, labelWidth: 72, gap: 14 });

  heading(pdf, section(1, "audit.doc.report.scopeAndMethod"), 2);
  paragraph(pdf, doc.scopeAndMethod || DASH, { gap: 10 });

  heading(pdf, section(2, "audit.doc.report.opinion"), 2);
  keyValueTable(pdf, [[t("audit.doc.report.conclusion"), conclusionLabel(doc.conclusion)]], { labelWidth: 72, gap: 6 });
  paragraph(pdf, doc.opinion || DASH, { gap: 10 });

  statisticsSection(pdf, 3, doc);
  checklistSection(pdf, 4, doc.checklist);
  if (doc.incidentYear) incidentsTable(pdf, doc.incidentYear);
  if (doc.logReviews) logReviewsTable(pdf, doc.logReviews);
  findingsSection(pdf, 5, doc.findings);
  remediationSection(pdf, 6, doc.findings);
  if (doc.registers) registersSection(pdf, 7, doc.registers);
  paragraph(pdf, t("audit.doc.closing"), { align: "right" });

  if (doc.status !== "final") stampPages(pdf, t("audit.doc.report.watermark"));
  return toBuffer(pdf);
}
