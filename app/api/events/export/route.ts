import { recordAudit } from "@/lib/audit/trail";
import { organizationsInScope, requireInScope, withPrincipal } from "@/lib/auth/principal";
import { exportEventsCsv, filterFromParams } from "@/lib/events/explorer";
import { parseRange } from "@/lib/range";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** CSV export of the log explorer's filter (up to 100,000 rows), recorded in the audit trail. */
export const GET = withPrincipal(async (req, principal) => {
  const params = Object.fromEntries(new URL(req.url).searchParams);
  const range = parseRange(params);
  const scope = await organizationsInScope(principal);
  const filter = { ...filterFromParams(params), from: range.from, to: range.to };
  requireInScope(scope, filter.organization);
  await recordAudit({ actorId: principal.id, action: "event_export", scope, details: { ...filter, subject: filter.subject ? "given" : undefined } });
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
