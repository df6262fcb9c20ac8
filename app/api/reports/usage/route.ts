import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { renderUsageXlsx } from "@/reports/statistics/export";
import { requestedFiscalYear, usageParams, usageReport } from "@/domain/statistics/usage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const invalid = (message: string) => Response.json({ error: message }, { status: 422 });

/** GET /api/reports/usage?fiscalYear=&organization= — the annual usage report as XLSX, within the caller's scope. */
export const GET = withScope(async (req, callerScope) => {
  const parsed = usageParams.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const { organization } = parsed.data;
  // 403 for an organisation outside the caller's scope (never an empty workbook).
  const scope = callerScope.narrow(organization);
  const now = new Date();
  const fiscalYear = requestedFiscalYear(parsed.data, now);
  let body: Buffer;
  try {
    body = await renderUsageXlsx(await usageReport(scope, { fiscalYear, now }));
  } catch (e) {
    if (e instanceof RangeError) return invalid(e.message);
    throw e;
  }
  await recordAudit({ actorId: principalOf(callerScope).id, action: "usage_report_export", scope: scope.recorded, details: { fiscalYear, organization } });
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="jukinet-usage-fy${fiscalYear}${organization ? `-${organization}` : ""}.xlsx"`,
      "cache-control": "no-store",
    },
  });
});
