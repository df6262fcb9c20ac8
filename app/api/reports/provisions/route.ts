import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { renderProvisionsXlsx } from "@/reports/statistics/export";
import { provisionParams, provisionTable, requestedMonths } from "@/domain/statistics/provisions";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const invalid = (message: string) => Response.json({ error: message }, { status: 422 });

/** GET /api/reports/provisions?from=YYYY-MM&to=YYYY-MM&organization= — the provision table as XLSX, within the caller's scope. */
export const GET = withScope(async (req, callerScope) => {
  const parsed = provisionParams.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { organization } = parsed.data;
  // 403 for an organisation outside the caller's scope (never an empty workbook).
  const scope = callerScope.narrow(organization);
  const now = new Date();
  const { from, to } = requestedMonths(parsed.data, now);
  let body: Buffer;
  try {
    body = await renderProvisionsXlsx(await provisionTable(scope, { from, to, now }));
  } catch (e) {
    if (e instanceof RangeError) return invalid(e.message);
    throw e;
  }
  await recordAudit({ actorId: principalOf(callerScope).id, action: "provision_report_export", scope: scope.recorded, details: { from, to, organization } });
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="jukinet-provisions-${from}-${to}${organization ? `-${organization}` : ""}.xlsx"`,
      "cache-control": "no-store",
    },
  });
});
