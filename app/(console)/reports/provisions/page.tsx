import { ProvisionsChart } from "@/components/StatisticsCharts";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";
import { figureTitle } from "@/domain/statistics/figures";
import { monthLabel, provisionParams, provisionTable, requestedMonths, type ProvisionTable } from "@/domain/statistics/provisions";

export const dynamic = "force-dynamic";

const num = (n: number) => n.toLocaleString("ja-JP");

/** Provisions per recipient × 事務 × channel and JST month, in the layout of seed 001's table, with all totals. */
export default async function ProvisionsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const params = await searchParams;
  const parsed = provisionParams.safeParse(params);
  const organization = parsed.success ? parsed.data.organization : undefined;
  const scope = await pageScope(user, organization);
  const now = new Date();
  const { from, to } = requestedMonths(parsed.success ? parsed.data : {}, now);
  let table: ProvisionTable | undefined;
  if (parsed.success) {
    try {
      table = await provisionTable(scope.narrow(organization), { from, to, now });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
    }
  }
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "provision_report_view", scope: scope.recorded, details: { from, to, organization } });
  const organizations = await db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true }, orderBy: { id: "asc" } });
  const download = new URLSearchParams({ from, to, ...(organization ? { organization } : {}) });
  return (
    <>
      <div className="pagehead">
        <h1>{t("stats.provisions.title")}</h1>
        {table && (
          <a className="button" href={`/api/reports/provisions?${download.toString()}`}>
            {t("stats.download.xlsx")}
          </a>
        )}
      </div>
      <form className="filters" method="get">
        <label>
          {t("stats.provisions.from")}
          <input type="month" name="from" defaultValue={from} required />
        </label>
        <label>
          {t("stats.provisions.to")}
          <input type="month" name="to" defaultValue={to} required />
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
      {!table ? (
        <p className="error">{t("stats.error.period")}</p>
      ) : (
        <>
          <p className="small">
            {t("stats.period")} {monthLabel(table.from)}〜{monthLabel(table.to)} ／ {t("stats.generatedAt")} {formatJst(table.generatedAt)}
          </p>
          <section>
            <ProvisionsChart
              data={table.months.map((m, i) => ({ month: monthLabel(m), ...Object.fromEntries(table.channels.map((c) => [c.channel, c.months[i]])) }))}
              channels={table.channels.map((c) => [c.channel, c.label])}
            />
          </section>
          <section>
            {table.groups.length === 0 ? (
              <p>{t("stats.provisions.none")}</p>
            ) : (
              <table className="stats" data-testid="provision-table">
                <thead>
                  <tr>
                    <th>{t("stats.provisions.recipient")}</th>
                    <th>{t("stats.provisions.item")}</th>
                    <th>{t("stats.provisions.channel")}</th>
                    {table.months.map((m) => (
                      <th key={m} className="num">
                        {monthLabel(m)}
                      </th>
                    ))}
                    <th className="num">{t("stats.provisions.channelTotal")}</th>
                    <th className="num">{t("stats.provisions.itemTotal")}</th>
                  </tr>
                </thead>
                <tbody>
                  {table.groups.flatMap((g) =>
                    g.rows.map((r, i) => (
                      <tr key={`${g.recipient.id}|${g.schedule}|${g.item}|${r.channel}`} className={i === 0 ? "group-start" : undefined}>
                        {i === 0 && (
                          <td rowSpan={g.rows.length} className="recipient">
                            {g.recipient.name}
                          </td>
                        )}
                        {i === 0 && (
                          <td rowSpan={g.rows.length} className="purpose">
                            {g.purpose}
                          </td>
                        )}
                        <td className="nowrap">{r.label}</td>
                        {r.months.map((v, j) => (
                          <td key={table.months[j]} className="num">
                            {num(v)}
                          </td>
                        ))}
                        <td className="num">{num(r.total)}</td>
                        {i === 0 && (
                          <td rowSpan={g.rows.length} className="num">
                            {num(g.total)}
                          </td>
                        )}
                      </tr>
                    )),
                  )}
                </tbody>
                <tfoot>
                  {[...table.channels, { channel: "total", label: t("stats.usage.total"), months: table.monthTotals, total: table.total }].map((r, i, all) => (
                    <tr key={r.channel}>
                      {i === 0 && (
                        <th colSpan={2} rowSpan={all.length}>
                          {t("stats.provisions.monthTotal")}
                        </th>
                      )}
                      <th>{r.label}</th>
                      {r.months.map((v, j) => (
                        <th key={table.months[j]} className="num">
                          {num(v)}
                        </th>
                      ))}
                      <th className="num">{num(r.total)}</th>
                      <th></th>
                    </tr>
                  ))}
                </tfoot>
              </table>
            )}
            <p className="small" data-testid="provisions-definition">
              {t("stats.figure.definition")}: {figureTitle("provisions")}。{t("stats.provisions.note")}
            </p>
          </section>
        </>
      )}
    </>
  );
}
