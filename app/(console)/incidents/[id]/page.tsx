import Link from "@/components/Link";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { updateIncidentAction } from "@/app/_actions/incidents";
import { Flash } from "@/components/incidents/Flash";
import { RequestInvestigationForm } from "@/components/incidents/IncidentForms";
import { DECISIONS, describeEvent, getIncident, IncidentError, isOverdue, kindName, levelName, MEANS, STATUSES, statusName } from "@/domain/incidents";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** One recording form on the incident: the op, the incident id, the fields and a submit button. */
function Op({ op, id, label, children }: { op: string; id: number; label: string; children: ReactNode }) {
  return (
    <form action={updateIncidentAction} className="card" aria-label={label}>
      <input type="hidden" name="incidentId" value={id} />
      <input type="hidden" name="op" value={op} />
      {children}
      <button type="submit">{label}</button>
    </form>
  );
}

export default async function IncidentPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const { id: raw } = await params;
  const sp = await searchParams;
  const scope = await pageScope(user);
  let i;
  try {
    i = await getIncident(user, /^\d{1,9}$/.test(raw) ? Number(raw) : 0);
  } catch (e) {
    if (e instanceof IncidentError && e.code === "not_found") notFound();
    throw e;
  }
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "incident_view",
    target: String(i.id),
    organizationId: i.organizationId,
    scope: scope.recorded,
  });
  const orgIds = [...new Set([...i.organizations.map((o) => o.organizationId), ...i.investigations.map((r) => r.organizationId)])];
  const [names, inScope, people] = await Promise.all([
    db().organization.findMany({ where: { id: { in: orgIds } }, select: { id: true, name: true } }),
    db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true, kind: true }, orderBy: { id: "asc" } }),
    db().user.findMany({ where: { loginId: { in: [...new Set(i.timeline.map((e) => e.by))] } }, select: { loginId: true, name: true } }),
  ]);
  const orgName = (id: string) => names.find((o) => o.id === id)?.name ?? inScope.find((o) => o.id === id)?.name ?? id;
  const who = (login: string) => people.find((p) => p.loginId === login)?.name ?? login;
  const open = i.status !== "closed";
  const manage = i.access.manage;
  const def = i.levelDefinition;
  const municipalities = inScope.filter((o) => o.kind === "municipality");
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("incident.title")} {i.id}: {i.title}
        </h1>
        {i.exercise && <span className="pill">{t("incident.exercise")}</span>}
        <span className="pill" data-testid="incident-level">
          {levelName(i.level)}
        </span>
        <span className="pill" data-testid="incident-status">
          {statusName(i.status)}
        </span>
        <a className="button" href={`/api/incidents/${i.id}/report`} download>
          {t("incident.pdf")}
        </a>
      </div>
      <Flash ok={sp.ok} error={sp.error} />
      <dl className="facts">
        <dt>{t("incident.kind")}</dt>
        <dd>{kindName(i.kind)}</dd>
        <dt>{t("incident.organizations")}</dt>
        <dd>
          {i.organizations.map((o) => (
            <abbr key={o.organizationId} title={o.organizationId}>
              {orgName(o.organizationId)}{" "}
            </abbr>
          ))}
        </dd>
        <dt>{t("incident.openedAt")}</dt>
        <dd>
          {formatJst(i.openedAt)}（{who(i.openedBy)}）
        </dd>
        <dt>{t("incident.reportDue")}</dt>
        <dd data-testid="incident-report-due">
          {i.reportDueAt ? formatJst(i.reportDueAt) : t("incident.reportNone")}
          {i.reportedAt && ` / ${t("incident.reportedAt")} ${formatJst(i.reportedAt)}`}
          {isOverdue(i) && <strong> {t("incident.reportOverdue")}</strong>}
        </dd>
        <dt>{t("incident.decisionKind")}</dt>
        <dd>{i.disconnected ? t("incident.disconnected") : t("incident.connected")}</dd>
        {i.closedAt && (
          <>
            <dt>{t("incident.closedAt")}</dt>
            <dd>{formatJst(i.closedAt)}</dd>
          </>
        )}
        <dt>{t("incident.summary")}</dt>
        <dd>{i.summary || "—"}</dd>
        <dt>{t("incident.measures")}</dt>
        <dd>{i.measures || "—"}</dd>
      </dl>
      {def && (
        <details>
          <summary>
            {t("incident.levelDefinition")}（{levelName(i.level)}）
          </summary>
          <dl className="facts">
            <dt>{t("incident.levelMeaning")}</dt>
            <dd>{def.meaning}</dd>
            <dt>{t("incident.levelNotify")}</dt>
            <dd>{def.notify}</dd>
            <dt>{t("incident.levelWithin")}</dt>
            <dd>{def.reportWithinMinutes ? t("incident.minutes").replace("{n}", String(def.reportWithinMinutes)) : t("incident.reportNone")}</dd>
            <dt>{t("incident.levelJlis")}</dt>
            <dd>{def.jlisInvolved ? t("incident.yes") : t("incident.no")}</dd>
            <dt>{t("incident.levelDisconnect")}</dt>
            <dd>{def.disconnectionConsidered ? t("incident.yes") : t("incident.no")}</dd>
          </dl>
        </details>
      )}
      <div className="grid">
        <section>
          <h2>{t("incident.timeline")}</h2>
          <ol className="history" data-testid="incident-timeline">
            {i.timeline.map((e) => (
              <li key={e.id}>
                {formatJst(e.at)} {who(e.by)}: {describeEvent(e, orgName)}
              </li>
            ))}
          </ol>
        </section>
        <section>
          <h2>{t("incident.alerts")}</h2>
          <ul>
            {i.alerts.map((a) => (
              <li key={a.alertId}>
                <Link href={`/alerts/${a.alertId}`}>{a.alertId}</Link>
              </li>
            ))}
          </ul>
          <h2>{t("incident.queries")}</h2>
          <ul>
            {i.queries.map((q) => (
              <li key={q.id}>
                <Link href={`/events?${q.query}`}>{q.label}</Link>
              </li>
            ))}
          </ul>
          <h2>{t("incident.investigations")}</h2>
          <ul>
            {i.investigations.map((r) => (
              <li key={r.id}>
                <Link href={`/investigations/${r.id}`}>
                  {orgName(r.organizationId)}: {r.answeredAt ? t("investigation.state.answered") : t("investigation.state.open")}（{t("investigation.due")}{" "}
                  {formatJst(r.dueAt)}）
                </Link>
              </li>
            ))}
          </ul>
        </section>
      </div>
      <section>
        <h2>{t("incident.actions")}</h2>
        {open && (
          <Op op="note" id={i.id} label={t("incident.addNote")}>
            <label>
              {t("incident.note")}
              <textarea name="note" rows={2} cols={60} maxLength={4000} required />
            </label>
          </Op>
        )}
        {manage && (
          <>
            <Op op="status" id={i.id} label={t("incident.changeStatus")}>
              <label>
                {t("incident.status")}
                <select name="status" defaultValue={i.status}>
                  {STATUSES.map((s) => (
                    <option key={s} value={s}>
                      {statusName(s)}
                    </option>
                  ))}
                </select>
              </label>{" "}
              <label>
                {t("incident.reason")}
                <input name="reason" size={40} maxLength={4000} />
              </label>
            </Op>
            {open && (
              <>
                <Op op="level" id={i.id} label={t("incident.changeLevel")}>
                  <label>
                    {t("incident.level")}
                    <select name="level" defaultValue={i.level}>
                      {[1, 2, 3, 4].map((l) => (
                        <option key={l} value={l}>
                          {levelName(l)}
                        </option>
                      ))}
                    </select>
                  </label>{" "}
                  <label>
                    {t("incident.reason")}
                    <input name="reason" size={40} maxLength={4000} required />
                  </label>
                </Op>
                <Op op="contact" id={i.id} label={t("incident.recordContact")}>
                  <label>
                    {t("incident.contactWho")}
                    <input name="who" size={30} maxLength={200} required />
                  </label>{" "}
                  <label>
                    {t("incident.contactMeans")}
                    <select name="means">
                      {MEANS.map((m) => (
                        <option key={m} value={m}>
                          {t(`incident.means.${m}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </label>{" "}
                  <label>
                    <input type="checkbox" name="upward" value="1" /> {t("incident.contactUpward")}
                  </label>{" "}
                  <label>
                    {t("incident.note")}
                    <input name="note" size={30} maxLength={4000} />
                  </label>
                </Op>
                <Op op="decision" id={i.id} label={t("incident.recordDecision")}>
                  <label>
                    {t("incident.decisionKind")}
                    <select name="decision">
                      {DECISIONS.map((d) => (
                        <option key={d} value={d}>
                          {t(`incident.decision.${d}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </label>{" "}
                  <label>
                    {t("incident.decidedBy")}
                    <input name="decidedBy" size={24} maxLength={200} required />
                  </label>{" "}
                  <label>
                    {t("incident.decidedAt")}
                    <input type="datetime-local" name="at" />
                  </label>{" "}
                  <label>
                    {t("incident.reason")}
                    <input name="reason" size={30} maxLength={4000} required />
                  </label>
                </Op>
                <Op op="alert" id={i.id} label={t("incident.linkAlert")}>
                  <label>
                    {t("incident.alertId")}
                    <input name="alertId" size={26} pattern="[0-9a-f]{24}" required />
                  </label>
                </Op>
                <Op op="query" id={i.id} label={t("incident.linkQuery")}>
                  <label>
                    {t("incident.queryLabel")}
                    <input name="label" size={20} maxLength={200} required />
                  </label>{" "}
                  <label>
                    {t("incident.queryUrl")}
                    <input name="query" size={50} maxLength={2000} required />
                  </label>
                </Op>
                <Op op="organization" id={i.id} label={t("incident.addOrganization")}>
                  <label>
                    {t("incident.organizations")}
                    <select name="organization">
                      {inScope.map((o) => (
                        <option key={o.id} value={o.id} title={o.id}>
                          {o.name}
                        </option>
                      ))}
                    </select>
                  </label>
                </Op>
              </>
            )}
            <Op op="measures" id={i.id} label={t("incident.saveMeasures")}>
              <label>
                {t("incident.measures")}
                <textarea name="measures" rows={3} cols={60} maxLength={4000} defaultValue={i.measures} />
              </label>
            </Op>
          </>
        )}
        {open && i.access.prefecture && municipalities.length > 0 && (
          <>
            <h3>{t("investigation.request")}</h3>
            <RequestInvestigationForm
              orgs={municipalities
                .filter((o) => i.organizations.some((x) => x.organizationId === o.id))
                .concat(municipalities.filter((o) => !i.organizations.some((x) => x.organizationId === o.id)))}
              incidentId={i.id}
              back={`/incidents/${i.id}`}
            />
          </>
        )}
      </section>
    </>
  );
}
