/** The operation-status report (運用状況報告) as a PDF in seed 003's structure: the shared A4 document, tables and 和暦 dates. */
import type { AnnualReportData } from "../../domain/annual";
import { formatJst, t } from "../../lib/i18n";
import { createDocument, heading, paragraph, toBuffer } from "../pdf/document";
import { table } from "../pdf/table";
import { reportBlocks } from "./content";

export async function renderAnnualPdf(d: AnnualReportData): Promise<Buffer> {
  const pdf = createDocument({
    title: t("annual.title"),
    author: d.prefecture.name,
    subject: t("annual.pageTitle"),
    footer: { text: `${t("annual.generatedAt")}: ${formatJst(d.generatedAt)}` },
    fontSize: 9.5,
  });
  for (const b of reportBlocks(d)) {
    if (b.kind === "title") heading(pdf, b.text, 1);
    else if (b.kind === "heading") heading(pdf, b.text, b.level === 1 ? 2 : 3);
    else if (b.kind === "para") paragraph(pdf, b.text, { align: b.align });
    else table(pdf, { columns: b.columns, rows: b.rows, totalRow: b.totalRow });
  }
  return toBuffer(pdf);
}
