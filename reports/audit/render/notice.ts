/** The audit notice (実施通知書) to one municipality: a one-page letter as a PDF. */
import { formatOfficialDate, t } from "../../../lib/i18n";
import { contentWidth, FONT, toBuffer, type PdfDoc } from "../../pdf/document";
import { keyValueTable } from "../../pdf/table";
import type { NoticeDocument } from "../../../domain/audits/documents";
import { auditorsText, auditPdf, DASH, fieldworkText, fill, periodText, sourceLabel } from "./common";

/** Body font size of the notice (a letter). */
const LETTER_SIZE = 10.5;

/** A paragraph of letter text, optionally with a first-line indent of one character. */
function letterText(
  pdf: PdfDoc,
  text: string,
  opts: { indent?: boolean; gap?: number; align?: "left" | "center" | "right"; bold?: boolean; size?: number } = {},
): void {
  const x = pdf.page.margins.left;
  const size = opts.size ?? LETTER_SIZE;
  pdf.font(opts.bold ? FONT.bold : FONT.regular).fontSize(size);
  pdf.text(text, x, pdf.y, { width: contentWidth(pdf), align: opts.align ?? "left", indent: opts.indent ? size : 0 });
  pdf.font(FONT.regular).fontSize(LETTER_SIZE);
  pdf.x = x;
  pdf.y += opts.gap ?? 6;
}

export async function renderNoticePdf(doc: NoticeDocument): Promise<Buffer> {
  const pdf = auditPdf(doc, { title: t("audit.doc.notice.title"), author: doc.prefectureName, subject: t("audit.doc.notice.subject"), fontSize: LETTER_SIZE });
  pdf.y += 10;
  letterText(pdf, formatOfficialDate(doc.issuedAt), { align: "right", gap: 18 });
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
