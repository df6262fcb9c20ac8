import { recordAudit } from "@/lib/audit/trail";
import { organizationsInScope, requireInScope, withPrincipal } from "@/lib/auth/principal";
import { renderUsageXlsx } from "@/reports/statistics/export";
import { requestedFiscalYear, usageParams, usageReport } from "@/reports/statistics/usage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const invalid = (message: string) => Response.json({ error: message }, { status: 422 });

/** GET /api/reports/usage?fiscalYear=&organization= — the annual usage report as XLSX, within the caller's scope. */
export const GET = withPrincipal(async (req, principal) => {
  const parsed = usageParams.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return invalid(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
  const scope = await organizationsInScope(principal);
  const { organization } = parsed.data;
  requireInScope(scope, organization);
  const organizations = organization ? [organization] : scope;
  const now = new Date();
  const fiscalYear = requestedFiscalYear(parsed.data, now);
  let body: Buffer;
  try {
    body = await renderUsageXlsx(await usageReport({ organizations, fiscalYear, now }));
  } catch (e) {
    if (e instanceof RangeError) return invalid(e.message);
    throw e;
  }
  await recordAudit({ actorId: principal.id, action: "usage_report_export", scope: organizations, details: { fiscalYear, organization } });
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      "content-disposition": `attachment; filename="jukinet-usage-fy${fiscalYear}${organization ? `-${organization}` : ""}.xlsx"`,
      "cache-control": "no-store",
    },
  });
});
