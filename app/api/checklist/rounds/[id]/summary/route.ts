import { principalOf, withScope } from "@/lib/auth/route";
import { recordAudit } from "@/lib/audit/trail";
import { roundSummary } from "@/domain/checklist/documents";
import { renderSummaryXlsx } from "@/reports/checklist/export";

export const runtime = "nodejs";

/** GET — the round's summary workbook over the municipalities in the caller's scope. */
export const GET = withScope<{ params: Promise<{ id: string }> }>(async (_req, scope, { params }) => {
  const { id } = await params;
  const actor = principalOf(scope);
  const summary = await roundSummary(actor, id);
  const body = await renderSummaryXlsx(summary);
  await recordAudit({ actorId: actor.id, actorLogin: actor.login, action: "checklist_summary_export", target: id });
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="jikotenken-summary-${summary.fiscalYear}.xlsx"`,
      "cache-control": "no-store",
    },
  });
});
