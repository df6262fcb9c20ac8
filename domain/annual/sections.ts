/**
 * Pure pieces of the annual operation-status report (運用状況報告, seed 003):
 * the order of its sections, which of them the console holds data for, the
 * year-on-year figure with △ for a decrease, the unauthorised-access sentence
 * and the parsing of the narrative parts. No database, no Elasticsearch.
 */
import { t, type MessageKey } from "../../lib/i18n";
import type { IncidentKind } from "../incidents/incidents";

/** Seed 003's sections in its order; `parent` nests a sub-section under its numbered section. */
export const SECTIONS = [
  { id: "history", heading: "annual.h.history" },
  { id: "operation", heading: "annual.h.operation" },
  { id: "failures", heading: "annual.h.failures", parent: "operation" },
  { id: "unauthorised", heading: "annual.h.unauthorised", parent: "operation" },
  { id: "renewal", heading: "annual.h.renewal" },
  { id: "renewalNeed", heading: "annual.h.renewalNeed", parent: "renewal" },
  { id: "renewalCycle", heading: "annual.h.renewalCycle", parent: "renewal" },
  { id: "usage", heading: "annual.h.usage" },
  { id: "usageNational", heading: "annual.h.usageNational", parent: "usage" },
  { id: "usagePrefecture", heading: "annual.h.usagePrefecture", parent: "usage" },
  { id: "ordinances", heading: "annual.h.ordinances", parent: "usage" },
  { id: "security", heading: "annual.h.security" },
  { id: "rules", heading: "annual.h.rules", parent: "security" },
  { id: "selfInspection", heading: "annual.h.selfInspection", parent: "security" },
  { id: "audits", heading: "annual.h.audits", parent: "security" },
  { id: "training", heading: "annual.h.training", parent: "security" },
  { id: "drills", heading: "annual.h.drills", parent: "security" },
  { id: "cards", heading: "annual.h.cards" },
] as const satisfies readonly { id: string; heading: MessageKey; parent?: string }[];

export type SectionId = (typeof SECTIONS)[number]["id"];

/** Every heading of seed 003 as printed (the e2e test reads them back from the PDF). */
export const SECTION_HEADINGS: string[] = SECTIONS.map((s) => t(s.heading));

/**
 * For each section: its heading, its level (1 numbered section, 2 sub-section)
 * and whether the console holds its data. A section whose data is `null` is
 * printed with the catalogue's 「本コンソールでは当該データを保持していません」,
 * never with zeros.
 */
export function sectionPlan(data: Partial<Record<SectionId, unknown>>): { id: SectionId; heading: string; level: 1 | 2; held: boolean }[] {
  return SECTIONS.map((s) => ({ id: s.id, heading: t(s.heading), level: "parent" in s ? 2 : 1, held: data[s.id] !== null }));
}

const num = (n: number) => Math.abs(n).toLocaleString("ja-JP");

/** A count as printed: 133,394件. */
export const formatCount = (n: number): string => t("annual.usage.count").replace("{n}", n.toLocaleString("ja-JP"));

/** Year-on-year change as in seed 003: △9,500件 for a decrease, 1,234件 for an increase, 0件 when unchanged. */
export function formatChange(change: number): string {
  return change < 0 ? `△${num(change)}件` : `${num(change)}件`;
}

/** Misconduct incidents of the year: the kinds that make access "unauthorised" (drills never count). */
export const MISCONDUCT_KINDS = ["misconduct", "leak_suspected"] as const satisfies readonly IncidentKind[];

/**
 * Seed 003 §2(2): 「…不正なアクセスは確認されていない。」 only when no misconduct
 * incident was confirmed in the year; otherwise the count and the kinds.
 */
export function unauthorisedAccessSentence(byKind: Partial<Record<(typeof MISCONDUCT_KINDS)[number], number>>): string {
  const parts = MISCONDUCT_KINDS.filter((k) => (byKind[k] ?? 0) > 0);
  const n = parts.reduce((s, k) => s + (byKind[k] ?? 0), 0);
  if (n === 0) return t("annual.unauthorised.none");
  const kinds = parts
    .map((k) =>
      t("annual.unauthorised.kind")
        .replace("{kind}", t(`incident.kind.${k}` as MessageKey))
        .replace("{n}", String(byKind[k])),
    )
    .join("、");
  return t("annual.unauthorised.some").replace("{n}", String(n)).replace("{kinds}", kinds);
}

/** The history narrative as table rows: a line "H14<TAB>text" (or two or more spaces) is a row, any other line continues the previous row. */
export function historyRows(text: string): [year: string, event: string][] {
  const rows: [string, string][] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(\S{1,8})(?:\t+| {2,}|　)(.+)$/.exec(line);
    if (m) rows.push([m[1], m[2].trim()]);
    else if (rows.length) rows[rows.length - 1][1] += ` ${line}`;
    else rows.push(["", line]);
  }
  return rows;
}

/** A narrative as bullet lines (one per non-empty line). */
export const bulletLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim().replace(/^[-・•]\s*/, ""))
    .filter(Boolean);

/** Longest narrative accepted. */
export const MAX_NARRATIVE = 8000;
