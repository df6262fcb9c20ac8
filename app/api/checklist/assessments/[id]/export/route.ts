import { principalOf, withScope } from "@/lib/auth/route";
import { recordAudit } from "@/lib/audit/trail";
import { assessmentDocument } from "@/domain/checklist/documents";
import { renderAssessmentPdf, renderAssessmentXlsx } from "@/reports/checklist/export";

export const runtime = "nodejs";

const TYPES = { pdf: "application/pdf", xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" } as const;

/** GET ?format=pdf|xlsx — one municipality's self-inspection as the official form (PDF) or a workbook. */
export const GET = withScope<{ params: Promise<{ id: string }> }>(async (req, scope, { params }) => {
  const { id } = await params;
  const format = new URL(req.url).searchParams.get("format") ?? "pdf";
  if (format !== "pdf" && format !== "xlsx") return Response.json({ error: "format must be pdf or xlsx" }, { status: 400 });
  const actor = principalOf(scope);
  const doc = await assessmentDocument(actor, id);
  const body = format === "pdf" ? await renderAssessmentPdf(doc) : await renderAssessmentXlsx(doc);
  await recordAudit({
    actorId: actor.id,
    actorLogin: actor.login,
    action: "checklist_export",
    target: id,
    organizationId: doc.organization.id,
    details: { format },
  });
  const name = `jikotenken-${doc.fiscalYear}-${doc.organization.id}.${format}`;
  return new Response(new Uint8Array(body), {
    headers: { "content-type": TYPES[format], "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
});
