/**
 * The operation-status report (運用状況報告, seed 003) as a list of blocks —
 * title, headings, paragraphs, tables — shared by the PDF and the DOCX so
 * both say exactly the same. Sections whose data is null print the
 * catalogue's 「本コンソールでは当該データを保持していません」, never zeros.
 */
import {
  bulletLines,
  formatChange,
  formatCount,
  historyRows,
  sectionPlan,
  unauthorisedAccessSentence,
  type AnnualReportData,
  type SectionId,
} from "../../domain/annual";
import { statusName } from "../../domain/incidents/describe";
import { itemsUsedText } from "../../domain/statistics/usage";
import { formatFiscalYear, formatJstDate, formatOfficialDate, t, type MessageKey } from "../../lib/i18n";
import type { Align } from "../pdf/document";

export interface BlockColumn {
  header: string;
  width: number;
  align?: Align;
}

export type Block =
  | { kind: "title"; text: string }
  | { kind: "heading"; level: 1 | 2; text: string; section: SectionId }
  | { kind: "para"; text: string; align?: Align; notHeld?: boolean; narrative?: boolean }
  | { kind: "table"; columns: BlockColumn[]; rows: string[][]; totalRow?: boolean };

const DASH = "—";
const fill = (key: MessageKey, values: Record<string, string | number>) =>
  Object.entries(values).reduce((s, [k, v]) => s.split(`{${k}}`).join(String(v)), t(key));

export function reportBlocks(d: AnnualReportData): Block[] {
  const fy = formatFiscalYear(d.fiscalYear);
  const out: Block[] = [
    { kind: "title", text: t("annual.title") },
    { kind: "para", text: `${d.prefecture.name}　${fy}`, align: "right" },
    { kind: "para", text: formatOfficialDate(d.generatedAt), align: "right" },
  ];
  const para = (text: string, extra: Partial<Extract<Block, { kind: "para" }>> = {}) => out.push({ kind: "para", text, ...extra });
  const notHeld = (key: MessageKey = "annual.notHeld") => para(t(key), { notHeld: true });
  const plan = sectionPlan({
    renewal: d.equipmentRenewal,
    usageNational: d.nationalUsage,
    ordinances: d.ordinances,
    training: d.training,
    cards: d.cards,
  });

  for (const s of plan) {
    const heading = s.id === "usagePrefecture" || s.id === "usageNational" ? `${s.heading}（${fy}）` : s.heading;
    out.push({ kind: "heading", level: s.level, text: heading, section: s.id });
    switch (s.id) {
      case "history": {
        const rows = historyRows(d.narratives.history);
        if (!rows.length) para(t("annual.history.none"), { narrative: true });
        else
          out.push({
            kind: "table",
            columns: [
              { header: t("annual.history.col.year"), width: 1, align: "center" },
              { header: t("annual.history.col.event"), width: 7 },
            ],
            rows,
          });
        break;
      }
      case "failures": {
        const f = d.operation.failures;
        para(fill(f.length ? "annual.failures.some" : "annual.failures.none", { fy, n: f.length }));
        if (f.length)
          out.push({
            kind: "table",
            columns: [
              { header: t("annual.failures.col.opened"), width: 2 },
              { header: t("annual.failures.col.title"), width: 4 },
              { header: t("annual.failures.col.organizations"), width: 2.5 },
              { header: t("annual.failures.col.status"), width: 1.5 },
            ],
            rows: f.map((i) => [formatJstDate(i.openedAt), i.title, i.organizations.join("、"), statusName(i.status)]),
          });
        break;
      }
      case "unauthorised": {
        para(unauthorisedAccessSentence(d.operation.misconduct.byKind));
        const a = d.operation.alerts;
        para(fill("annual.alerts.line", { n: a.total.toLocaleString("ja-JP"), ...a.bySeverity }));
        break;
      }
      case "renewal":
        if (!d.equipmentRenewal) notHeld("annual.notHeldRegister");
        else
          out.push({
            kind: "table",
            columns: [
              { header: t("annual.failures.col.organizations"), width: 2 },
              { header: t("annual.preview.equipment"), width: 3 },
              { header: t("annual.renewal.col.maintenanceEnds"), width: 2 },
              { header: t("annual.renewal.col.plannedRenewal"), width: 2 },
            ],
            rows: d.equipmentRenewal.rows.map((r) => [
              r.organization,
              r.equipment,
              r.maintenanceEnds ? formatJstDate(r.maintenanceEnds) : DASH,
              r.plannedRenewal ? formatJstDate(r.plannedRenewal) : DASH,
            ]),
          });
        break;
      case "renewalNeed":
        para(t("annual.renewal.needHardware"));
        para(t("annual.renewal.needSoftware"));
        para(t("annual.renewal.needRisk"));
        break;
      case "renewalCycle":
        para(t("annual.renewal.cycle"));
        break;
      case "usageNational":
      case "ordinances":
      case "cards":
        notHeld();
        break;
      case "usagePrefecture":
        usageBlocks(d, out, fy);
        break;
      case "rules": {
        const lines = bulletLines(d.narratives.securityRules);
        if (!lines.length) para(t("annual.rules.none"), { narrative: true });
        for (const l of lines) para(`・${l}`, { narrative: true });
        break;
      }
      case "selfInspection": {
        para(t("annual.selfInspection.text"));
        const si = d.selfInspection;
        if (!si) {
          para(fill("annual.selfInspection.none", { fy }));
          break;
        }
        para(fill("annual.selfInspection.summary", { fy, total: si.total, finished: si.finished, accepted: si.accepted }));
        out.push({
          kind: "table",
          columns: [
            { header: t("annual.selfInspection.col.organization"), width: 3 },
            { header: t("annual.selfInspection.col.status"), width: 2 },
            { header: t("annual.selfInspection.col.score"), width: 1.5, align: "right" },
          ],
          rows: si.organizations.map((o) => [o.name, t(`checklist.status.${o.status}` as MessageKey), o.score === null ? DASH : `${o.score.toFixed(1)}%`]),
        });
        break;
      }
      case "audits":
        para(t("annual.audits.text"));
        out.push({
          kind: "table",
          columns: [
            { header: t("annual.audits.col.year"), width: 1.5, align: "center" },
            { header: t("annual.audits.col.municipalities"), width: 5 },
            { header: t("annual.audits.col.firm"), width: 3 },
          ],
          rows: d.audits.years.map((y) =>
            y.engagements.length
              ? [
                  formatFiscalYear(y.fiscalYear),
                  y.engagements.flatMap((e) => e.municipalities).join("、"),
                  [...new Set(y.engagements.map((e) => e.firm))].join("、"),
                ]
              : [
                  formatFiscalYear(y.fiscalYear),
                  y.noAuditReason ? fill("annual.audits.noneReason", { reason: y.noAuditReason }) : t("annual.audits.none"),
                  DASH,
                ],
          ),
        });
        break;
      case "training":
        if (!d.training) notHeld("annual.notHeldRegister");
        else
          out.push({
            kind: "table",
            columns: [
              { header: t("annual.training.col.organizer"), width: 2 },
              { header: t("annual.training.col.audience"), width: 3 },
              { header: t("annual.training.col.content"), width: 4 },
            ],
            rows: d.training.rows.map((r) => [r.organizer, r.audience, r.content]),
          });
        break;
      case "drills":
        para(t("annual.drills.text"));
        if (!d.drills.length) para(fill("annual.drills.none", { fy }));
        for (const r of d.drills)
          out.push({
            kind: "table",
            columns: [
              { header: t("annual.preview.drills"), width: 1.5 },
              { header: r.title, width: 6 },
            ],
            rows: [
              [t("annual.drills.col.when"), formatOfficialDate(r.openedAt)],
              [t("annual.drills.col.target"), r.organizations.join("、")],
              [t("annual.drills.col.purpose"), r.title],
              [t("annual.drills.col.summary"), r.summary || DASH],
            ],
          });
        break;
      default:
      // Numbered sections with sub-sections print nothing of their own.
    }
  }
  return out;
}

/** 4(2): the prefecture's own use, row for row the usage page's table. */
function usageBlocks(d: AnnualReportData, out: Block[], fy: string): void {
  const r = d.usage.report;
  if (!r.hasData) {
    out.push({ kind: "para", text: t("annual.usage.noData").replace("{fy}", fy) });
    return;
  }
  const prev = (n: number, change: number): [string, string] => (r.previousHasData ? [formatCount(n), formatChange(change)] : [DASH, DASH]);
  out.push({
    kind: "table",
    columns: [
      { header: t("annual.usage.col.use"), width: 3.2 },
      { header: t("annual.usage.col.count"), width: 1.6, align: "right" },
      { header: t("annual.usage.col.items"), width: 2.8 },
      { header: t("annual.usage.col.previous"), width: 1.6, align: "right" },
      { header: t("annual.usage.col.change"), width: 1.6, align: "right" },
    ],
    rows: [
      ...r.schedules.map((s) => [
        s.label,
        formatCount(s.searches),
        s.searches > 0 ? itemsUsedText(s.itemsUsed, s.itemsTotal) : "",
        ...prev(s.previousSearches, s.change),
      ]),
      [t("annual.usage.total"), formatCount(r.total.searches), "", ...prev(r.total.previousSearches, r.total.change)],
    ],
    totalRow: true,
  });
  if (r.partial) out.push({ kind: "para", text: t("annual.usage.partial").replace("{date}", formatJstDate(r.current.to)) });
  if (!r.previousHasData) out.push({ kind: "para", text: t("annual.usage.noPrevious") });
  if (d.usage.ordinanceItemsTotal !== null)
    out.push({ kind: "para", text: t("annual.usage.ordinanceItems").replace("{n}", String(d.usage.ordinanceItemsTotal)) });
}
