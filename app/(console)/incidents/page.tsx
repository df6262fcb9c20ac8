import Link from "@/components/Link";
import { Flash } from "@/components/incidents/Flash";
import { OpenIncidentForm } from "@/components/incidents/IncidentForms";
import { kindName, levelName, listIncidents, statusName } from "@/domain/incidents";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** Incidents in the caller's scope (open by default), and the form to open one by hand for admins and monitors. */
export default async function IncidentsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const sp = await searchParams;
  const status = sp.status === "closed" || sp.status === "all" ? sp.status : "open";
  const scope = await pageScope(user, sp.organization || undefined);
  const rows = await listIncidents(user, { status, organization: sp.organization || undefined });
  const orgIds = [...new Set(rows.flatMap((r) => r.organizations.map((o) => o.organizationId)))];
  const [names, orgs] = await Promise.all([
    db().organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
    db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true }, orderBy: { id: "asc" } }),
  ]);
  const name = new Map(names.map((o) => [o.id, o.name]));
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "incident_list_view", scope: scope.recorded, details: { status } });
  const manage = user.role === "admin" || user.role === "monitor";
  return (
    <>
      <div className="pagehead">
        <h1>{t("incident.list")}</h1>
        <Link className="pill" href="/investigations">
          {t("investigation.list")}
        </Link>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <nav aria-label={t("incident.status")} className="range">
        {(["open", "closed", "all"] as const).map((s) => (
          <Link key={s} href={`/incidents?status=${s}`} aria-current={s === status ? "page" : undefined}>
            {t(`incident.filter.${s}`)}
          </Link>
        ))}
      </nav>
      {rows.length === 0 ? (
        <p>{t("incident.none")}</p>
      ) : (
        <table data-testid="incident-list">
          <thead>
            <tr>
              <th>{t("incident.number")}</th>
              <th>{t("incident.name")}</th>
              <th>{t("incident.kind")}</th>
              <th>{t("incident.level")}</th>
              <th>{t("incident.status")}</th>
              <th>{t("incident.organizations")}</th>
              <th>{t("incident.openedAt")}</th>
              <th>{t("incident.reportDue")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className={r.overdue ? "warn" : undefined}>
                <td>{r.id}</td>
                <td>
                  <Link href={`/incidents/${r.id}`}>{r.title}</Link>
                  {r.exercise && <span className="pill"> {t("incident.exercise")}</span>}
                </td>
                <td>{kindName(r.kind)}</td>
                <td>{levelName(r.level)}</td>
                <td>{statusName(r.status)}</td>
                <td>
                  {r.organizations.map((o) => (
                    <abbr key={o.organizationId} title={o.organizationId}>
                      {name.get(o.organizationId) ?? o.organizationId}{" "}
                    </abbr>
                  ))}
                </td>
                <td>{formatJst(r.openedAt)}</td>
                <td>
                  {r.reportedAt ? `${t("incident.reportedAt")} ${formatJst(r.reportedAt)}` : r.reportDueAt ? formatJst(r.reportDueAt) : "—"}
                  {r.overdue && <strong> {t("incident.reportOverdue")}</strong>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && (
        <section>
          <h2>{t("incident.new")}</h2>
          <OpenIncidentForm orgs={orgs} back="/incidents" />
        </section>
      )}
    </>
  );
}
