/** The audit plan (実施計画書) of one municipality as a PDF. */
import { formatFiscalYear, formatOfficialDate, t } from "../../../lib/i18n";
import { heading, paragraph, toBuffer } from "../../pdf/document";
import { keyValueTable, table } from "../../pdf/table";
import type { PlanDocument } from "../../../domain/audits/documents";
import { auditorsText, auditPdf, DASH, fieldworkText, fill, labelOr, periodText, section, sourceLabel } from "./common";

export async function renderPlanPdf(doc: PlanDocument): Promise<Buffer> {
  const pdf = auditPdf(doc, { title: t("audit.doc.plan.shortTitle"), author: doc.firm, subject: t("audit.doc.plan.title") });

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
      [t("audit.doc.issuedAt"), formatOfficialDate(doc.issuedAt)],
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
