/**
 * Pieces shared by the audit documents (plan, notice, report PDF, report
 * annex XLSX): labels and number/date text, the report's cover fields and
 * figures, and an audit PDF with its title, footer and page label.
 */
import { eventActionLabel, formatFiscalYear, formatOfficialDate, labelOr, t, type MessageKey } from "../../../lib/i18n";
import { createDocument, type PdfDoc } from "../../pdf/document";
import type { AuditReportDocument, AuditStatistics, EngagementFacts, FindingRow } from "../../../domain/audits/documents";
import { figureCounts, figureLabel, type FigureId } from "../../../domain/statistics/figures";
import { fiscalYearPeriod } from "../../../domain/statistics/period";
import type { AuditReviewSection } from "../../../domain/reviews/summary";

export const DASH = "—";
export const GRADES = ["major", "minor", "observation"] as const satisfies readonly FindingRow["grade"][];
export const STATUSES = ["open", "responded", "remediating", "closed"] as const satisfies readonly FindingRow["status"][];
/** Alert dispositions in column order; open alerts are counted as "untriaged". */
export const DISPOSITIONS = ["true_positive", "false_positive", "benign"] as const;
export const ANSWER_KEYS = ["implemented", "partial", "not_implemented", "not_applicable", "unanswered"] as const;

// ---------------------------------------------------------------------------
// Text helpers shared by the PDFs and the XLSX

/** Replaces {name} placeholders of a catalogue message. */
export const fill = (text: string, vars: Record<string, string>): string => text.replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);

export { labelOr };
export const actionLabel = eventActionLabel;
export const sourceLabel = (source: string): string => labelOr(`audit.source.${source}`, source);
export const checklistStatusLabel = (status: string): string => labelOr(`checklist.status.${status}`, status);
export const gradeLabel = (g: FindingRow["grade"]): string => t(`audit.grade.${g}`);
export const findingStatusLabel = (s: FindingRow["status"]): string => t(`audit.findingStatus.${s}`);
export const conclusionLabel = (c: AuditReportDocument["conclusion"]): string => (c ? t(`audit.conclusion.${c}`) : DASH);

export const num = (n: number): string => n.toLocaleString("ja-JP");
export const pct = (part: number, whole: number): string => (whole > 0 ? `${((100 * part) / whole).toFixed(1)}%` : DASH);
export const scoreText = (s: number | null): string => (s === null ? DASH : `${s.toFixed(1)}%`);
/** Dates on the audit documents (official letters): 令和8年12月1日（2026年12月1日）. */
export const dateOrDash = (d: Date | null): string => (d ? formatOfficialDate(d) : DASH);

/** A period whose end is exclusive, shown with its last day: 令和8年4月1日（2026年4月1日） 〜 令和8年9月30日（2026年9月30日）. */
export const periodText = (from: Date, to: Date): string =>
  fill(t("audit.doc.range"), { from: formatOfficialDate(from), to: formatOfficialDate(new Date(to.getTime() - 1)) });

export const auditorsText = (auditors: string[]): string => (auditors.length ? auditors.join("、") : DASH);
export const fieldworkText = (d: Date | null): string => (d ? formatOfficialDate(d) : t("audit.doc.undecided"));
export const disposition = (a: AuditStatistics["alerts"][number], key: string): number => a.byDisposition[key] ?? 0;

/** Evidence references of a finding, one line per kind. */
export function evidenceLines(f: FindingRow): string[] {
  const lines: [MessageKey, string[]][] = [
    ["audit.doc.finding.evidenceAlerts", f.evidence.alerts],
    ["audit.doc.finding.evidenceSearches", f.evidence.searches],
    ["audit.doc.finding.evidenceFiles", f.evidence.files],
  ];
  return lines.filter(([, v]) => v.length).map(([k, v]) => `${t(k)}: ${v.join(", ")}`);
}

/** Findings counted by grade (rows) and status (columns). */
export function findingMatrix(findings: FindingRow[]): Record<FindingRow["grade"], Record<FindingRow["status"], number>> {
  const zero = () => Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<FindingRow["status"], number>;
  const m = { major: zero(), minor: zero(), observation: zero() };
  for (const f of findings) m[f.grade][f.status]++;
  return m;
}

export const sum = (xs: number[]): number => xs.reduce((a, b) => a + b, 0);

export const section = (n: number, key: MessageKey): string => `${n}. ${t(key)}`;
const pageLabel = (n: number, total: number): string => `${n} / ${total} ${t("audit.doc.page")}`;
const footerText = (doc: EngagementFacts, title: string): string => `${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)} ${title}`;

/** An audit PDF titled "<title> <organisation> <fiscal year>[ suffix]", with the same line in its footer and "n / N 頁". */
export function auditPdf(doc: EngagementFacts, o: { title: string; subject: string; author: string; suffix?: string; fontSize?: number }): PdfDoc {
  const suffix = o.suffix ? ` ${o.suffix}` : "";
  return createDocument({
    title: `${o.title} ${doc.organization.name} ${formatFiscalYear(doc.fiscalYear)}${suffix}`,
    author: o.author,
    subject: o.subject,
    footer: { text: `${footerText(doc, o.title)}${suffix}`, pageLabel },
    fontSize: o.fontSize,
  });
}

// ---------------------------------------------------------------------------
// The report's cover fields and figures, shared by the PDF and the XLSX annex

/** Cover fields of the report, shared by the PDF and the XLSX overview. */
export function reportFacts(doc: AuditReportDocument): [string, string][] {
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

/** The report's key figures, each one of domain/statistics/figures.ts (its name and what it counts come from there). */
export const KEY_FIGURES: [FigureId, (s: AuditStatistics) => number][] = [
  ["allRecords", (s) => s.totalEvents],
  ["operatorActions", (s) => s.operatorActions],
  ["afterHours", (s) => s.afterHours],
  ["authFailures", (s) => s.authFailures],
  ["cardLocks", (s) => s.cardLocks],
  ["provisions", (s) => s.provisions],
];

/** "名前: 数えるもの" for every key figure: printed under the figures so that none is read as another. */
export const keyFigureDefinitions = (): string[] => KEY_FIGURES.map(([id]) => `${figureLabel(id)}: ${figureCounts(id)}`);

/**
 * What the 別表・事務別 table counts and how its total relates to the usage report of the same
 * municipality: the same figure, so the same total when the audit period is the fiscal year;
 * otherwise the reason they differ.
 */
export function usageNotes(doc: AuditReportDocument): string[] {
  const fy = fiscalYearPeriod(doc.fiscalYear);
  const same = doc.auditFrom.getTime() === fy.from.getTime() && doc.auditTo.getTime() === fy.to.getTime();
  return [
    `${figureLabel("uses")}: ${figureCounts("uses")}`,
    same
      ? fill(t("stats.figure.reconcileSame"), { fy: formatFiscalYear(doc.fiscalYear), org: doc.organization.name })
      : fill(t("stats.figure.reconcileDiffers"), { period: periodText(doc.auditFrom, doc.auditTo), fyPeriod: periodText(fy.from, fy.to) }),
  ];
}

export const alertHeaders = (): string[] => [
  t("audit.doc.report.rule"),
  t("audit.doc.count"),
  ...DISPOSITIONS.map((d) => t(`disposition.${d}`)),
  t("audit.doc.report.untriaged"),
];
export const alertCounts = (a: AuditStatistics["alerts"][number]): number[] => [
  a.total,
  ...DISPOSITIONS.map((d) => disposition(a, d)),
  disposition(a, "untriaged"),
];

/** The log reviews' summary line (periods, done, signed off, findings needing action), as the PDF and the annex print it. */
export const logReviewsSummary = (r: AuditReviewSection): string =>
  fill(t("audit.doc.report.logReviewsSummary"), {
    of: String(r.rows.length),
    done: String(r.done),
    signed: String(r.signedOff),
    findings: String(r.actionRequired),
  });
export const logReviewStateLabel = (status: string): string => labelOr(`audit.doc.report.logReviewState.${status}`, status);
export const logReviewOutcomeLabel = (outcome: string | null): string => (outcome ? labelOr(`audit.doc.report.logReviewOutcome.${outcome}`, outcome) : DASH);
