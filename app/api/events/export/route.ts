import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { exportEventsCsv, filterFromParams, hasClearSubject, resolveFilterOrganization } from "@/domain/events/explorer";
import { parseRange } from "@/lib/range";
import { jstParts } from "@/lib/calendar";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * CSV export of the log explorer's filter (up to 100,000 rows) for spreadsheets: UTF-8 with a BOM,
 * Japanese headers, times in JST. An organisation may be given by name (下関市). Recorded in the audit trail.
 */
export const GET = withScope(async (req, scope) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const range = parseRange(params);
  if (hasClearSubject(params))
    return Response.json({ error: "subject: a 住民票コード is not accepted in a URL; use the explorer's form (it sends its reference)" }, { status: 422 });
  const { filter, unknownOrganization } = await resolveFilterOrganization({ ...filterFromParams(params), from: range.from, to: range.to });
  if (unknownOrganization) return Response.json({ error: `organization: no single organisation is named "${unknownOrganization}"` }, { status: 422 });
  scope.require(filter.organization);
  const principal = principalOf(scope);
  await recordAudit({
    actorId: principal.id,
    actorLogin: principal.login,
    action: "event_export",
    organizationId: filter.organization,
    scope: scope.recorded,
    details: { ...filter, subject: filter.subject ? "given" : undefined },
  });
  const lines = exportEventsCsv(filter, scope);
  const body = new ReadableStream({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(new TextEncoder().encode(next.value));
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="jukinet-events-${jstParts(new Date(range.from)).dateKey}-${jstParts(new Date(range.to)).dateKey}.csv"`,
    },
  });
});
