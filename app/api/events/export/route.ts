import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { exportEventsCsv, filterFromParams, hasClearSubject } from "@/domain/events/explorer";
import { parseRange } from "@/lib/range";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** CSV export of the log explorer's filter (up to 100,000 rows), recorded in the audit trail. */
export const GET = withScope(async (req, scope) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const range = parseRange(params);
  if (hasClearSubject(params))
    return Response.json({ error: "subject: a 住民票コード is not accepted in a URL; use the explorer's form (it sends its reference)" }, { status: 422 });
  const filter = { ...filterFromParams(params), from: range.from, to: range.to };
  scope.require(filter.organization);
  const principal = principalOf(scope);
  await recordAudit({
    actorId: principal.id,
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
      "content-disposition": `attachment; filename="jukinet-events-${range.from.slice(0, 10)}-${range.to.slice(0, 10)}.csv"`,
    },
  });
});
