import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { renderPlanPdf } from "@/reports/audit/render/plan";
import { renderNoticePdf } from "@/reports/audit/render/notice";
import { renderReportPdf } from "@/reports/audit/render/report";
import { renderReportAnnexXlsx } from "@/reports/audit/render/annex";
import { noticeDocument, planDocument, reportDocument } from "@/domain/audits/report";
import { AuditError, currentReport, finalReportPdf } from "@/domain/audits/workflow";

export const runtime = "nodejs";

const PDF = "application/pdf";
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * GET the documents of one audited municipality: plan (実施計画書), notice
 * (実施通知書), report (the stored final PDF; auditors get a live preview of
 * a draft) and annex (XLSX of the final report's figures).
 *
 * A GET never changes data. The notice is issued by an explicit POST (the
 * server action `issueNoticeAction`, domain/audits/workflow.ts issueNotice);
 * until then `notice` answers 409, afterwards it renders the notice dated the
 * day it was issued. `annex` answers 409 until a final report exists, for
 * everyone (auditors included), and then shows the latest final version.
 */
export const GET = withScope<{ params: Promise<{ id: string; org: string; doc: string }> }>(async (_req, scope, { params }) => {
  const { id, org, doc } = await params;
  if (!/^\d{6}$/.test(org)) return Response.json({ error: "organisation must be a 6-digit code" }, { status: 400 });
  scope.require(org);
  const actor = principalOf(scope);
  let body: Buffer;
  let type = PDF;
  let details: Record<string, unknown> = {};
  switch (doc) {
    case "plan":
      body = await renderPlanPdf(await planDocument(actor, id, org));
      break;
    case "notice": {
      try {
        body = await renderNoticePdf(await noticeDocument(actor, id, org));
      } catch (e) {
        if (e instanceof AuditError && e.code === "bad_status")
          return Response.json({ error: "the notice has not been issued yet; issue it first (POST)" }, { status: 409 });
        throw e;
      }
      break;
    }
    case "report": {
      const report = await currentReport(actor, id, org);
      if (report?.status === "final") {
        const stored = await finalReportPdf(actor, report.id);
        body = stored.bytes;
        details = { version: report.version, sha256: report.pdfSha256 };
      } else {
        // Auditors (any version) and the prefecture (a version in review) get a live preview; the municipality sees finals only.
        if (!report) return Response.json({ error: "no report yet" }, { status: 404 });
        body = await renderReportPdf(await reportDocument(actor, id, org));
        details = { version: report.version, preview: true };
      }
      break;
    }
    case "annex": {
      const final = await currentReport(actor, id, org, { finalOnly: true });
      if (!final) return Response.json({ error: "the annex exists only with a final report" }, { status: 409 });
      body = await renderReportAnnexXlsx(await reportDocument(actor, id, org, new Date(), { finalOnly: true }));
      type = XLSX;
      details = { version: final.version };
      break;
    }
    default:
      return Response.json({ error: "document must be plan, notice, report or annex" }, { status: 404 });
  }
  await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: `audit_${doc}_download`, target: `${id}/${org}`, organizationId: org, details });
  const name = `gaibu-kansa-${doc}-${org}.${type === PDF ? "pdf" : "xlsx"}`;
  return new Response(new Uint8Array(body), {
    headers: { "content-type": type, "content-disposition": `attachment; filename="${name}"`, "cache-control": "no-store" },
  });
});
