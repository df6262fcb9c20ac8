import { IncidentError, incidentReportData } from "@/domain/incidents";
import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { renderIncidentReport } from "@/reports/incidents/report";

export const runtime = "nodejs";

/** GET — the incident report (事案報告書) as a PDF, for anyone who sees the incident (404 otherwise). */
export const GET = withScope<{ params: Promise<{ id: string }> }>(async (_req, scope, { params }) => {
  const { id } = await params;
  const actor = principalOf(scope);
  let data;
  try {
    data = await incidentReportData(actor, Number(id));
  } catch (e) {
    if (e instanceof IncidentError && e.code === "not_found") return Response.json({ error: e.message }, { status: 404 });
    throw e;
  }
  const body = await renderIncidentReport(data);
  await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: "incident_report_export", target: id, organizationId: data.organization.id });
  return new Response(new Uint8Array(body), {
    headers: { "content-type": "application/pdf", "content-disposition": `attachment; filename="jian-hokokusho-${data.id}.pdf"`, "cache-control": "no-store" },
  });
});
