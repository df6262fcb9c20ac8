import Link from "@/components/Link";
import { redirect } from "next/navigation";
import { saveAnnualTextAction } from "@/app/_actions/annual";
import { Flash } from "@/components/incidents/Flash";
import { AnnualError, annualReportData, formatChange, formatCount, unauthorisedAccessSentence, type AnnualReportData } from "@/domain/annual";
import { recentFiscalYears } from "@/domain/statistics/period";
import { itemsUsedText } from "@/domain/statistics/usage";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/pages";
import { fiscalYear as fiscalYearOf } from "@/lib/calendar";
import { formatFiscalYear, formatJst, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

const num = (n: number) => n.toLocaleString("ja-JP");

/** One figure of the preview: what it is, its value, and the page it comes from. */
function Figure({ label, value, href, testId }: { label: string; value: string; href?: string; testId: string }) {
  return (
    <tr data-testid={testId}>
      <th scope="row">{label}</th>
      <td>{value}</td>
      <td>{href ? <Link href={href}>{t("annual.preview.open")}</Link> : "—"}</td>
    </tr>
  );
}

/** The prefecture's annual operation-status report (運用状況報告, seed 003): choose the year, edit the narratives, check the figures, download PDF/DOCX. */
export default async function AnnualReportPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor"]);
  const sp = await searchParams;
  const now = new Date();
  const fiscalYear = /^\d{4}$/.test(sp.fiscalYear ?? "") ? Number(sp.fiscalYear) : fiscalYearOf(now);
  let data: AnnualReportData | undefined;
  let yearError = false;
  try {
    data = await annualReportData(user, { fiscalYear, now });
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    if (!(e instanceof AnnualError)) throw e;
    yearError = true;
  }
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "annual_report_view", organizationId: user.organizationId, details: { fiscalYear } });
  const years = [...new Set([...recentFiscalYears(now), fiscalYear])].sort((a, b) => b - a);
  const download = (format: string) => `/api/reports/annual?${new URLSearchParams({ fiscalYear: String(fiscalYear), format }).toString()}`;
  const r = data?.usage.report;
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("annual.pageTitle")} {formatFiscalYear(fiscalYear)}
        </h1>
        {data && (
          <span>
            <a className="button" href={download("pdf")} data-testid="annual-pdf">
              {t("annual.download.pdf")}
            </a>{" "}
            <a className="button" href={download("docx")} data-testid="annual-docx">
              {t("annual.download.docx")}
            </a>
          </span>
        )}
      </div>
      <p className="small">{t("annual.intro")}</p>
      <Flash ok={sp.ok} error={sp.error} />
      <form className="filters" method="get">
        <label>
          {t("annual.fiscalYear")}
          <select name="fiscalYear" defaultValue={fiscalYear}>
            {years.map((y) => (
              <option key={y} value={y}>
                {formatFiscalYear(y)}（{y}）
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("annual.show")}</button>
      </form>
      {yearError || !data || !r ? (
        <p className="error">{t("annual.error.badYear")}</p>
      ) : (
        <>
          <section>
            <h2>{t("annual.preview.title")}</h2>
            <p className="small">
              {data.prefecture.name} ／ {t("annual.generatedAt")} {formatJst(data.generatedAt)}
            </p>
            <table className="stats" data-testid="annual-figures">
              <thead>
                <tr>
                  <th>{t("annual.preview.figure")}</th>
                  <th>{t("annual.preview.value")}</th>
                  <th>{t("annual.preview.link")}</th>
                </tr>
              </thead>
              <tbody>
                <Figure
                  testId="fig-failures"
                  label={t("annual.preview.failures")}
                  value={formatCount(data.operation.failures.length)}
                  href={data.operation.hrefs.incidents}
                />
                <Figure
                  testId="fig-misconduct"
                  label={t("annual.preview.misconduct")}
                  value={`${formatCount(data.operation.misconduct.count)} — ${unauthorisedAccessSentence(data.operation.misconduct.byKind)}`}
                  href={data.operation.hrefs.incidents}
                />
                <Figure
                  testId="fig-alerts"
                  label={t("annual.preview.alerts")}
                  value={formatCount(data.operation.alerts.total)}
                  href={data.operation.hrefs.alerts}
                />
                <Figure
                  testId="fig-equipment"
                  label={t("annual.preview.equipment")}
                  value={data.equipmentRenewal ? formatCount(data.equipmentRenewal.rows.length) : t("annual.notHeldRegister")}
                  href={data.equipmentRenewal?.href}
                />
                <Figure
                  testId="fig-usage"
                  label={t("annual.preview.usage")}
                  value={r.hasData ? formatCount(r.total.searches) : t("annual.usage.noData").replace("{fy}", formatFiscalYear(fiscalYear))}
                  href={data.usage.href}
                />
                <Figure
                  testId="fig-self-inspection"
                  label={t("annual.preview.selfInspection")}
                  value={
                    data.selfInspection
                      ? `${data.selfInspection.finished} / ${data.selfInspection.total}`
                      : t("annual.selfInspection.none").replace("{fy}", formatFiscalYear(fiscalYear))
                  }
                  href={data.selfInspection?.href}
                />
                <Figure
                  testId="fig-audits"
                  label={t("annual.preview.audits")}
                  value={
                    data.audits.years
                      .at(-1)!
                      .engagements.flatMap((e) => e.municipalities)
                      .join("、") || t("annual.audits.none")
                  }
                  href={data.audits.href}
                />
                <Figure
                  testId="fig-training"
                  label={t("annual.preview.training")}
                  value={data.training ? formatCount(data.training.rows.length) : t("annual.notHeldRegister")}
                  href={data.training?.href}
                />
                <Figure testId="fig-drills" label={t("annual.preview.drills")} value={formatCount(data.drills.length)} href="/incidents?status=all" />
              </tbody>
            </table>
          </section>
          {r.hasData && (
            <section>
              <h2>
                {t("annual.h.usagePrefecture")}（{formatFiscalYear(fiscalYear)}）
              </h2>
              <table className="stats" data-testid="annual-usage">
                <thead>
                  <tr>
                    <th>{t("annual.usage.col.use")}</th>
                    <th className="num">{t("annual.usage.col.count")}</th>
                    <th>{t("annual.usage.col.items")}</th>
                    <th className="num">{t("annual.usage.col.change")}</th>
                  </tr>
                </thead>
                <tbody>
                  {r.schedules.map((s) => (
                    <tr key={s.schedule}>
                      <td>{s.label}</td>
                      <td className="num">{num(s.searches)}</td>
                      <td>{s.searches > 0 ? itemsUsedText(s.itemsUsed, s.itemsTotal) : ""}</td>
                      <td className="num">{r.previousHasData ? formatChange(s.change) : "—"}</td>
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th>{t("annual.usage.total")}</th>
                    <th className="num">{num(r.total.searches)}</th>
                    <th></th>
                    <th className="num">{r.previousHasData ? formatChange(r.total.change) : "—"}</th>
                  </tr>
                </tfoot>
              </table>
              <p className="small">
                <Link href={data.usage.href}>{t("stats.usage.title")}</Link>
              </p>
            </section>
          )}
          <section>
            <h2>{t("annual.edit.title")}</h2>
            <form action={saveAnnualTextAction} className="card" aria-label={t("annual.edit.title")}>
              <input type="hidden" name="fiscalYear" value={fiscalYear} />
              <label>
                {t("annual.edit.history")}
                <textarea name="history" rows={8} defaultValue={data.narratives.history} />
              </label>
              <p className="small">{t("annual.edit.historyHint")}</p>
              <label>
                {t("annual.edit.securityRules")}
                <textarea name="securityRules" rows={4} defaultValue={data.narratives.securityRules} />
              </label>
              <p className="small">{t("annual.edit.securityRulesHint")}</p>
              <label>
                {t("annual.edit.noAuditReason")}
                <input type="text" name="noAuditReason" defaultValue={data.narratives.noAuditReason} maxLength={200} />
              </label>
              <button type="submit">{t("annual.edit.save")}</button>
            </form>
          </section>
        </>
      )}
    </>
  );
}
