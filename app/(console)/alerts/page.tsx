import Link from "next/link";
import { RangePicker } from "@/components/RangePicker";
import { TriageControls } from "@/components/TriageControls";
import { triageAction } from "@/app/_actions/alerts";
import { searchAlerts } from "@/domain/alerts";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { parseRange, rangeQuery } from "@/lib/range";

export const dynamic = "force-dynamic";

export default async function AlertQueue({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const params = await searchParams;
  const range = parseRange(params);
  const organization = /^\d{6}$/.test(params.organization ?? "") ? params.organization : undefined;
  const scope = await pageScope(user, organization);
  const status = ["open", "acknowledged", "closed"].includes(params.status) ? params.status : undefined;
  const severity = ["critical", "high", "medium", "low"].includes(params.severity) ? params.severity : undefined;
  const sort = params.sort === "severity" ? "severity" : "newest";
  const { alerts, total } = await searchAlerts(
    { from: range.from, to: range.to, status, severity, organization, rule: params.rule || undefined, sort, size: 500 },
    scope,
  );
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "alert_list_view",
    scope: scope.recorded,
    details: { from: range.from, to: range.to, status, severity, organization, rule: params.rule },
  });
  const canTriage = user.role === "admin" || user.role === "monitor";
  return (
    <>
      <div className="pagehead">
        <h1>{t("alert.listTitle")}</h1>
        <span>
          {total.toLocaleString("ja-JP")} {t("alert.total")}
        </span>
        <RangePicker current={range.key} />
      </div>
      <form className="filters" method="get" aria-label={t("alert.filter")}>
        {range.key === "custom" ? (
          <>
            <input type="hidden" name="from" value={range.from} />
            <input type="hidden" name="to" value={range.to} />
          </>
        ) : (
          <input type="hidden" name="range" value={range.key} />
        )}
        <label>
          {t("col.status")}
          <select name="status" defaultValue={status ?? ""}>
            <option value="">{t("alert.all")}</option>
            {["open", "acknowledged", "closed"].map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("col.severity")}
          <select name="severity" defaultValue={severity ?? ""}>
            <option value="">{t("alert.all")}</option>
            {["critical", "high", "medium", "low"].map((s) => (
              <option key={s} value={s}>
                {t(`severity.${s}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("col.rule")}
          <input name="rule" defaultValue={params.rule ?? ""} size={22} />
        </label>
        <label>
          {t("col.organization")}
          <input name="organization" defaultValue={organization ?? ""} size={7} />
        </label>
        <label>
          <select name="sort" defaultValue={sort} aria-label="sort">
            <option value="newest">{t("alert.sortNewest")}</option>
            <option value="severity">{t("alert.sortSeverity")}</option>
          </select>
        </label>
        <button type="submit">{t("alert.filter")}</button>
      </form>
      <form action={triageAction}>
        {canTriage && (
          <div className="bulk">
            <TriageControls />
          </div>
        )}
        {alerts.length === 0 ? (
          <p>{t("alert.none")}</p>
        ) : (
          <table className="alerts">
            <thead>
              <tr>
                {canTriage && <th>{t("alert.select")}</th>}
                <th>{t("col.severity")}</th>
                <th>{t("col.rule")}</th>
                <th>{t("col.organization")}</th>
                <th>{t("col.entity")}</th>
                <th>{t("col.window")}</th>
                <th>{t("col.summary")}</th>
                <th>{t("col.status")}</th>
                <th>{t("col.assignee")}</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  {canTriage && (
                    <td>
                      <input type="checkbox" name="ids" value={a.id} aria-label={`${t("alert.select")} ${a.id}`} />
                    </td>
                  )}
                  <td>
                    <span className={`sev sev-${a.severity}`}>{t(`severity.${a.severity}` as MessageKey)}</span>
                  </td>
                  <td>
                    <Link href={`/alerts/${a.id}?${rangeQuery(range)}`}>{a.rule.name}</Link>
                  </td>
                  <td>{a.organization.id}</td>
                  <td>{a.entity.id}</td>
                  <td>{formatJst(a.window.start)}</td>
                  <td>{a.summary}</td>
                  <td>{t(`status.${a.status}` as MessageKey)}</td>
                  <td>{a.assignee ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </form>
    </>
  );
}
