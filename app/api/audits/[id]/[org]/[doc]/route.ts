import { actorOf, withPrincipal } from "@/lib/auth/principal";
import { recordAudit } from "@/lib/audit/trail";
import { db } from "@/lib/db";
import { renderNoticePdf, renderPlanPdf, renderReportAnnexXlsx, renderReportPdf } from "@/reports/audit/render";
import { planDocument, reportDocument } from "@/reports/audit/report";
import { currentReport, finalReportPdf } from "@/reports/audit/workflow";

export const runtime = "nodejs";

const PDF = "application/pdf";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * GET the documents of one audited municipality: plan (実施計画書), notice
 * (実施通知書), report (the stored final PDF; auditors get a live preview of
 * a draft) and annex (XLSX of the report's figures).
 */
export const GET = withPrincipal<{ params: Promise<{ id: string; org: string; doc: string }> }>(async (_req, principal, { params }) => {
  const { id, org, doc } = await params;
  if (!/^\d{6}$/.test(org)) return Response.json({ error: "organisation must be a 6-digit code" }, { status: 400 });
  const actor = await actorOf(principal);
  let body: Buffer;
  let type = PDF;
  let details: Record<string, unknown> = {};
  switch (doc) {
    case "plan":
      body = await renderPlanPdf(await planDocument(actor, id, org));
      break;
    case "notice": {
      body = await renderNoticePdf(await planDocument(actor, id, org));
      await db().engagementOrganization.updateMany({ where: { engagementId: id, organizationId: org, noticeIssuedAt: null }, data: { noticeIssuedAt: new Date() } });
      break;
    }
    case "report": {
      const report = await currentReport(actor, id, org);
      if (report?.status === "final") {
        const stored = await finalReportPdf(actor, report.id);
        body = stored.bytes;
        details = { version: report.version, sha256: report.pdfSha256 };
      } else {
        // Only auditors reach a non-final version (currentReport shows others finals only).
        if (!report) return Response.json({ error: "no report yet" }, { status: 404 });
        body = await renderReportPdf(await reportDocument(actor, id, org));
        details = { version: report.version, preview: true };
      }
      break;
    }
    case "annex":
      body = await renderReportAnnexXlsx(await reportDocument(actor, id, org));
      type = XLSX;
      break;
    default:
      return Response.json({ error: "document must be plan, notice, report or annex" }, { status: 404 });
  }
  await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: `audit_${doc}_download`, target: `${id}/${org}`, organizationId: org, details });
  const name = `gaibu-kansa-${doc}-${org}.${type === PDF ? "pdf" : "xlsx"}`;
  return new Response(new Uint8Array(body), { headers: { "content-type": type, "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" } });
});
