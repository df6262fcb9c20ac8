import { z } from "zod";
import { recordAudit } from "@/lib/audit/trail";
import { principalOf, withScope } from "@/lib/auth/route";
import { fiscalYear as fiscalYearOf } from "@/lib/calendar";
import { renderAnnualDocx } from "@/reports/annual/docx";
import { renderAnnualPdf } from "@/reports/annual/pdf";
import { AnnualError, annualReportData } from "@/domain/annual";
import { optional, organizationParam } from "@/domain/statistics/usage";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const params = z.object({
  fiscalYear: optional(z.coerce.number().int().min(2002).max(9998)),
  prefecture: optional(organizationParam),
  format: optional(z.enum(["pdf", "docx"])),
});

const TYPES = { pdf: "application/pdf", docx: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" } as const;

/**
 * GET /api/reports/annual?fiscalYear=&prefecture=&format=pdf|docx — the prefecture's
 * operation-status report (運用状況報告); prefecture staff only (403 otherwise).
 */
export const GET = withScope(async (req, scope) => {
  const parsed = params.safeParse(Object.fromEntries(new URL(req.url).searchParams));
  if (!parsed.success) return Response.json({ error: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") }, { status: 422 });
  const actor = principalOf(scope);
  const now = new Date();
  const fiscalYear = parsed.data.fiscalYear ?? fiscalYearOf(now);
  const format = parsed.data.format ?? "pdf";
  let body: Buffer;
  let prefecture: string;
  try {
    const data = await annualReportData(actor, { prefectureId: parsed.data.prefecture, fiscalYear, now });
    prefecture = data.prefecture.id;
    body = format === "pdf" ? await renderAnnualPdf(data) : await renderAnnualDocx(data);
  } catch (e) {
    if (e instanceof AnnualError) return Response.json({ error: e.message }, { status: 422 });
    throw e;
  }
  await recordAudit({ actorId: actor.id, action: "annual_report_download", scope: [prefecture], target: prefecture, details: { fiscalYear, format } });
  return new Response(new Uint8Array(body), {
    headers: {
      "content-type": TYPES[format],
      "content-disposition": `attachment; filename="jukinet-annual-report-${prefecture}-fy${fiscalYear}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
