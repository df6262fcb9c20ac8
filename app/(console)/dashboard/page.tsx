import Link from "@/components/Link";
import { AlertsByRule, AlertsBySeverity, EventsOverTime } from "@/components/DashboardCharts";
import { DashboardRefresh } from "@/components/DashboardRefresh";
import { DashboardTiles, IntakeBanner } from "./tiles";
import { RangePicker } from "@/components/RangePicker";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { dashboardData, registerReminderPanel } from "@/domain/dashboard";
import { reminderKindLabel } from "@/domain/registers/reminders";
import { incidentTileCounts } from "@/domain/incidents";
import { overdueReviewCount } from "@/domain/reviews";
import { formatJst, messages, ruleLabel, t } from "@/lib/i18n";
import { parseRange, rangeQuery } from "@/lib/range";

export const dynamic = "force-dynamic";

export default async function Dashboard({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const range = parseRange(await searchParams);
  const scope = await pageScope(user);
  const [d, incidents, overdueReviews, registerReminders] = await Promise.all([
    dashboardData(range, scope),
    user.role === "auditor" ? undefined : incidentTileCounts(scope),
    overdueReviewCount(scope),
    user.role === "auditor" ? undefined : registerReminderPanel(scope),
  ]);
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "dashboard_view", scope: scope.recorded, details: { from: range.from, to: range.to } });
  const max = Math.max(1, ...d.volumeByOrg.map((v) => v.events));
  const q = rangeQuery(range);
  return (
    <>
      <div className="pagehead">
        <h1>{t("dashboard.title")}</h1>
        <Link className="pill" href={`/alerts?status=open&${q}`}>
          {t("dashboard.openAlerts")}: <strong>{d.openAlerts}</strong>
        </Link>
        <DashboardRefresh generatedAt={d.generatedAt} />
        <RangePicker current={range.key} />
      </div>
      <IntakeBanner intake={d.intake} />
      <DashboardTiles d={d} rangeQuery={q} admin={user.role === "admin"} incidents={incidents} reviews={{ overdue: overdueReviews }} />
      {registerReminders && (
        <section className="card" data-testid="register-reminders" aria-labelledby="register-reminders-title">
          <h2 id="register-reminders-title">{t("registers.reminders.title")}</h2>
          {registerReminders.length === 0 ? (
            <p className="muted">{t("registers.reminders.none")}</p>
          ) : (
            <ul>
              {registerReminders.map((r) => (
                <li key={r.kind} data-kind={r.kind}>
                  <Link href={r.href}>
                    {reminderKindLabel(r.kind)}：<strong>{t("registers.reminders.count").replace("{n}", String(r.count))}</strong>
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
      <div className="grid">
        <section className="wide">
          <EventsOverTime data={d.eventsOverTime} rangeQuery={q} />
        </section>
        <section>
          <AlertsBySeverity data={d.alertsBySeverity} rangeQuery={q} />
        </section>
        <section>
          <AlertsByRule data={d.alertsByRule} rangeQuery={q} />
        </section>
        <section>
          <h2>{t("dashboard.volumeByOrg")}</h2>
          <table>
            <thead>
              <tr>
                <th>{t("col.organization")}</th>
                <th className="num">{t("col.events")}</th>
                <th aria-hidden />
              </tr>
            </thead>
            <tbody>
              {d.volumeByOrg.map((v) => (
                <tr key={v.organization}>
                  <td>
                    <Link href={`/events?organization=${v.organization}&${q}`} title={v.organization}>
                      {v.name}
                    </Link>
                  </td>
                  <td className="num">{v.events.toLocaleString("ja-JP")}</td>
                  <td className="barcell">
                    <span className="bar" style={{ width: `${(100 * v.events) / max}%` }} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h2>{t("dashboard.topOperators")}</h2>
          <table>
            <thead>
              <tr>
                <th>{t("col.operator")}</th>
                <th>{t("col.organization")}</th>
                <th className="num">{t("col.events")}</th>
              </tr>
            </thead>
            <tbody>
              {d.topOperators.map((o) => (
                <tr key={o.operator}>
                  <td>
                    <Link href={`/entities/operator/${encodeURIComponent(o.operator)}?${q}`}>{o.operator}</Link>
                  </td>
                  <td>
                    <Link href={`/events?operator=${encodeURIComponent(o.operator)}&${q}`} title={o.organization}>
                      {o.organizationName}
                    </Link>
                  </td>
                  <td className="num">
                    <Link href={`/events?operator=${encodeURIComponent(o.operator)}&${q}`}>{o.events.toLocaleString("ja-JP")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section id="nodes">
          <h2>{t("dashboard.nodeHealth")}</h2>
          <p className="muted">{t("dashboard.nodeStateNote")}</p>
          <table>
            <thead>
              <tr>
                <th>{t("col.node")}</th>
                <th>{t("col.type")}</th>
                <th>{t("col.lastEvent")}</th>
                <th className="num">{t("dashboard.threshold")}</th>
                <th>{t("col.status")}</th>
              </tr>
            </thead>
            <tbody>
              {d.nodeHealth.map((n) => (
                <tr key={n.node} className={n.silent ? "warn" : undefined}>
                  <td>
                    <Link href={`/entities/node/${encodeURIComponent(n.node)}?${q}`}>{n.node}</Link>
                  </td>
                  <td>{nodeTypeLabel(n.type)}</td>
                  <td>{n.lastEvent ? formatJst(n.lastEvent) : t("dashboard.never")}</td>
                  <td className="num">{n.thresholdMinutes}分</td>
                  <td>{n.silent ? <Link href={`/alerts?rule=node-silence&status=open&${q}`}>{t("dashboard.silent")}</Link> : t("dashboard.ok")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        <section>
          <h2>{t("dashboard.detectorRuns")}</h2>
          <table>
            <thead>
              <tr>
                <th>{t("col.rule")}</th>
                <th>{t("col.ranAt")}</th>
                <th className="num">{t("col.durationMs")}</th>
                <th className="num">{t("col.alerts")}</th>
                <th>{t("col.error")}</th>
              </tr>
            </thead>
            <tbody>
              {d.detectorRuns.map((r) => (
                <tr key={r.rule} className={r.error ? "warn" : undefined}>
                  <td title={r.rule}>{ruleLabel(r.rule)}</td>
                  <td>{formatJst(r.at)}</td>
                  <td className="num">{r.ms}</td>
                  <td className="num">{r.alerts}</td>
                  <td>{r.error ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {d.gaps.length > 0 && (
            <>
              <h3>{t("dashboard.gaps")}</h3>
              <ul>
                {d.gaps.map((g) => (
                  <li key={`${g.rule}${g.from}`}>
                    {g.rule}: {formatJst(g.from)} – {formatJst(g.to)}
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
      </div>
    </>
  );
}

/** 市町村CS etc. from the catalogue, the raw type when it has none. */
const nodeTypeLabel = (type: string): string => (messages as Record<string, string>)[`dashboard.nodeType.${type}`] ?? type;
