import { ArchiveBanner } from "@/components/ArchiveBanner";
import { UsageChart } from "@/components/StatisticsCharts";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatFiscalYear, formatJst, formatJstDate, t } from "@/lib/i18n";
import { recentFiscalYears } from "@/domain/statistics/period";
import { figureTitle } from "@/domain/statistics/figures";
import { itemsUsedText, requestedFiscalYear, usageParams, usageReport, type UsageFigures, type UsageReport } from "@/domain/statistics/usage";

export const dynamic = "force-dynamic";

const num = (n: number) => n.toLocaleString("ja-JP");
const signed = (n: number) => `${n > 0 ? "+" : ""}${num(n)}`;
const pct = (p: number | null) => (p === null ? "—" : `${p > 0 ? "+" : ""}${p.toFixed(1)}%`);
/** Previous-year cells: 「データなし」 when nothing at all was recorded then, never 0 or a change against nothing. */
const previousCells = (f: UsageFigures, hasPrevious: boolean): [string, string, string] =>
  hasPrevious ? [num(f.previousSearches), signed(f.change), pct(f.changePct)] : [t("stats.noData"), t("stats.noData"), t("stats.noData")];
const used = (f: UsageFigures, total: number | null, previous = false) =>
  (previous ? f.previousSearches : f.searches) > 0 ? itemsUsedText(previous ? f.previousItemsUsed : f.itemsUsed, total) : "";

/** The prefecture's annual usage report (seed 003 §4(2)): searches per schedule and per organisation, against the previous year. */
export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const params = await searchParams;
  const parsed = usageParams.safeParse(params);
  const organization = parsed.success ? parsed.data.organization : undefined;
  const scope = await pageScope(user, organization);
  const now = new Date();
  const fiscalYear = requestedFiscalYear(parsed.success ? parsed.data : {}, now);
  let report: UsageReport | undefined;
  if (parsed.success) {
    try {
      report = await usageReport(scope.narrow(organization), { fiscalYear, now });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "usage_report_view", scope: scope.recorded, details: { fiscalYear, organization } });
  const organizations = await db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true }, orderBy: { id: "asc" } });
  const years = [...new Set([...recentFiscalYears(now), fiscalYear])].sort((a, b) => b - a);
  const previousLabel = t(report?.partial ? "stats.usage.previousPartial" : "stats.usage.previous");
  const download = new URLSearchParams({ fiscalYear: String(fiscalYear), ...(organization ? { organization } : {}) });
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("stats.usage.title")} {formatFiscalYear(fiscalYear)}
        </h1>
        {report && (
          <a className="button" href={`/api/reports/usage?${download.toString()}`}>
            {t("stats.download.xlsx")}
          </a>
        )}
      </div>
      <form className="filters" method="get">
        <label>
          {t("stats.fiscalYear")}
          <select name="fiscalYear" defaultValue={fiscalYear}>
            {years.map((y) => (
              <option key={y} value={y}>
                {formatFiscalYear(y)}（{y}）
              </option>
            ))}
          </select>
        </label>
        {organizations.length > 1 && (
          <label>
            {t("stats.organization")}
            <select name="organization" defaultValue={organization ?? ""}>
              <option value="">{t("stats.allOrganizations")}</option>
              {organizations.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="submit">{t("stats.show")}</button>
      </form>
      {report && <ArchiveBanner stream="events" from={report.previous.from} to={report.current.to} user={user} />}
      {!report ? (
        <p className="error">{t("stats.error.period")}</p>
      ) : !report.hasData ? (
        <p className="empty" data-testid="usage-empty">
          {t("stats.usage.empty").replace("{fy}", formatFiscalYear(fiscalYear))}
        </p>
      ) : (
        <>
          <p className="small">
            {t("stats.period")} {formatJstDate(report.current.from)}〜{formatJstDate(new Date(report.current.to.getTime() - 1))} ／ {t("stats.generatedAt")}{" "}
            {formatJst(report.generatedAt)}
          </p>
          {report.partial && <p className="small">{t("stats.usage.partial").replace("{date}", formatJstDate(report.current.to))}</p>}
          {!report.previousHasData && (
            <p className="small" data-testid="usage-no-previous">
              {t("stats.usage.noPrevious")}
            </p>
          )}
          <div className="grid">
            <section>
              <table className="stats" data-testid="usage-table">
                <thead>
                  <tr>
                    <th>{t("stats.usage.schedule")}</th>
                    <th className="num">{t("stats.usage.searches")}</th>
                    <th>{t("stats.usage.items")}</th>
                    <th className="num">{previousLabel}</th>
                    <th className="num">{t("stats.usage.change")}</th>
                    <th className="num">{t("stats.usage.changePct")}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.schedules.map((s) => (
                    <tr key={s.schedule}>
                      <td>{s.label}</td>
                      <td className="num">{num(s.searches)}</td>
                      <td className="nowrap" title={used(s, s.itemsTotal, true) ? `${previousLabel}: ${used(s, s.itemsTotal, true)}` : undefined}>
                        {used(s, s.itemsTotal)}
                      </td>
                      {previousCells(s, report.previousHasData).map((v, i) => (
                        <td key={i} className="num">
                          {v}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr>
                    <th>{t("stats.usage.total")}</th>
                    <th className="num">{num(report.total.searches)}</th>
                    <th></th>
                    {previousCells(report.total, report.previousHasData).map((v, i) => (
                      <th key={i} className="num">
                        {v}
                      </th>
                    ))}
                  </tr>
                </tfoot>
              </table>
              <p className="small" data-testid="usage-definition">
                {t("stats.figure.definition")}: {figureTitle("uses")}。{t("stats.usage.note")}
              </p>
              <p className="small">{t("stats.figure.reconcile")}</p>
            </section>
            <section>
              {/* The axis shows the labels without their parenthesised description (別表3（県外情報検索） → 別表3). */}
              <UsageChart
                data={report.schedules.map((s) => ({
                  label: s.label.replace(/（.*）$/, ""),
                  current: s.searches,
                  previous: report.previousHasData ? s.previousSearches : null,
                }))}
                previousLabel={previousLabel}
              />
            </section>
          </div>
          <section>
            <h2>{t("stats.usage.byOrganization")}</h2>
            <table className="stats" data-testid="usage-by-organization">
              <thead>
                <tr>
                  <th rowSpan={2}>{t("stats.organization")}</th>
                  {report.schedules.map((s) => (
                    <th key={s.schedule} colSpan={2}>
                      {s.label}
                    </th>
                  ))}
                  <th colSpan={2}>{t("stats.usage.total")}</th>
                </tr>
                <tr>
                  {[...report.schedules, null].map((s) => [
                    <th key={`${s?.schedule ?? "total"}-n`} className="num">
                      {t("stats.usage.searches")}
                    </th>,
                    <th key={`${s?.schedule ?? "total"}-c`} className="num">
                      {t("stats.usage.change")}
                    </th>,
                  ])}
                </tr>
              </thead>
              <tbody>
                {report.organizations.map((o) => (
                  <tr key={o.organizationId}>
                    <td title={o.organizationId}>{o.name}</td>
                    {[
                      ...report.schedules.map((s) => ({ key: s.schedule, f: o.bySchedule[s.schedule], total: s.itemsTotal })),
                      { key: "total", f: o.total, total: null },
                    ].map(({ key, f, total }) => [
                      <td key={`${key}-n`} className="num" title={key !== "total" ? used(f, total) : undefined}>
                        {num(f.searches)}
                      </td>,
                      <td key={`${key}-c`} className="num" title={report.previousHasData ? `${previousLabel} ${num(f.previousSearches)}` : undefined}>
                        {report.previousHasData ? signed(f.change) : t("stats.noData")}
                      </td>,
                    ])}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </>
  );
}
