import Link from "@/components/Link";
import { notFound } from "next/navigation";
import { EventTable } from "@/components/EventTable";
import type { TriageButton } from "@/components/TriageControls";
import { assigneesFor, dueAt, getAlert, VALID_ACTIONS, type AlertHistoryEntry } from "@/domain/alerts";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { searchEvents, type EventFilter } from "@/domain/events/explorer";
import { linkedSubjectRefs } from "@/domain/events/subject-links";
import { db } from "@/lib/db";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { DetailTriage } from "./DetailTriage";
import { OpenIncidentForm, RequestInvestigationForm } from "@/components/incidents/IncidentForms";
import { incidentsOfAlert, listInvestigations, statusName, levelName } from "@/domain/incidents";
import { prefectureOf } from "@/lib/auth/principal";

export const dynamic = "force-dynamic";

/** The explorer filter that shows the alert's entity around its window. */
function entityFilter(a: { entity: { type: string; id: string }; organization: { id: string }; window: { start: string; end: string } }): EventFilter {
  const pad = 2 * 3600_000;
  const f: EventFilter = {
    from: new Date(Date.parse(a.window.start) - pad).toISOString(),
    to: new Date(Date.parse(a.window.end) + pad).toISOString(),
    organization: a.organization.id,
  };
  if (a.entity.type === "operator") f.operator = a.entity.id;
  else if (a.entity.type === "terminal") f.terminal = a.entity.id;
  else if (a.entity.type === "subject") f.subject = a.entity.id;
  else if (a.entity.type === "recipient") f.recipient = a.entity.id;
  return f;
}

/** One history line: who did what, in Japanese. */
function historyText(h: AlertHistoryEntry, names: Map<string, string>): string {
  const who = (login: string | null | undefined) => (login ? (names.get(login) ?? login) : t("alert.unassigned"));
  const what =
    h.action === "assign"
      ? h.assignee === h.by
        ? t("alert.assignToMe")
        : `${t("alert.assignedTo")}（→ ${who(h.assignee)}）`
      : h.action === "note"
        ? `${t("alert.comment")}:`
        : t(`alert.${h.action}` as MessageKey);
  if (h.ref) return `${what} ${h.ref} ${h.note ?? ""}`.trim();
  const disposition = h.disposition ? `（${t(`disposition.${h.disposition}` as MessageKey)}）` : "";
  return `${what}${disposition} ${h.note ?? ""}`.trim();
}

export default async function AlertDetail({ params }: { params: Promise<{ id: string }> }) {
  const user = await requireUser();
  const { id } = await params;
  const scope = await pageScope(user);
  const alert = /^[0-9a-f]{24}$/.test(id) ? await getAlert(id, scope) : undefined;
  if (!alert) notFound();
  await recordAudit({
    actorId: user.id,
    actorLogin: user.login,
    action: "alert_view",
    target: id,
    organizationId: alert.organization.id,
    scope: scope.recorded,
  });
  const filter = entityFilter(alert);
  // A resident whose code was changed is one person: the timeline shows the look-ups under every linked code.
  if (alert.entity.type === "subject") filter.subject = (await linkedSubjectRefs(scope, [alert.entity.id])).join(",");
  const timeline = await searchEvents(filter, scope, 100);
  const explorer = `/events?${new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString()}`;
  const ev = alert.evidence as {
    counts?: Record<string, number>;
    baseline?: Record<string, number | null>;
    sample_events?: { observer: string; id: string; timestamp: string }[];
    query?: unknown;
  };
  const canTriage = user.role === "admin" || user.role === "monitor";
  const assignees = canTriage ? await assigneesFor([alert.organization.id], scope) : [];
  const logins = [...new Set([alert.assignee, ...(alert.history ?? []).flatMap((h) => [h.by, h.assignee])].filter((x): x is string => !!x))];
  const [org, people] = await Promise.all([
    db().organization.findUnique({ where: { id: alert.organization.id }, select: { name: true } }),
    db().user.findMany({ where: { loginId: { in: logins } }, select: { loginId: true, name: true } }),
  ]);
  const names = new Map(people.map((p) => [p.loginId, p.name]));
  const buttons: TriageButton[] = VALID_ACTIONS[alert.status]
    .filter((a) => a !== "note")
    .flatMap((a): TriageButton[] => (a === "assign" ? ["assignMe", "assign"] : [a]));
  const raisedAt = alert.detection?.first_seen ?? alert["@timestamp"];
  // Incident response: the incidents and investigation requests of this alert (auditors have none).
  const responder = user.role !== "auditor";
  const [incidents, requests, prefecture] = responder
    ? await Promise.all([incidentsOfAlert(scope, alert.id), listInvestigations(user, { alertId: alert.id }), prefectureOf(user)])
    : [[], [], undefined];
  return (
    <>
      <div className="pagehead">
        <h1>
          {t("alert.title")}: {alert.rule.name}
        </h1>
        <span className={`sev sev-${alert.severity}`}>{t(`severity.${alert.severity}` as MessageKey)}</span>
        <span data-testid="alert-status">{t(`status.${alert.status}` as MessageKey)}</span>
      </div>
      <p>{alert.summary}</p>
      <dl className="facts">
        <dt>{t("col.organization")}</dt>
        <dd>
          <abbr title={alert.organization.id}>{org?.name ?? alert.organization.id}</abbr>
        </dd>
        <dt>{t("col.entity")}</dt>
        <dd>
          {["operator", "terminal", "node"].includes(alert.entity.type) ? (
            <Link href={`/entities/${alert.entity.type}/${encodeURIComponent(alert.entity.id)}`}>
              {alert.entity.type}: {alert.entity.id}
            </Link>
          ) : (
            `${alert.entity.type}: ${alert.entity.id}`
          )}
        </dd>
        <dt>{t("col.window")}</dt>
        <dd>
          {formatJst(alert.window.start)} – {formatJst(alert.window.end)}
        </dd>
        <dt>{t("col.assignee")}</dt>
        <dd>{alert.assignee ? `${names.get(alert.assignee) ?? alert.assignee}（${alert.assignee}）` : "—"}</dd>
        {alert.status !== "closed" && (
          <>
            <dt>{t("alert.due")}</dt>
            <dd title={t("alert.dueRule")}>{formatJst(dueAt(alert.severity, raisedAt))}</dd>
          </>
        )}
        {alert.disposition && (
          <>
            <dt>{t("alert.disposition")}</dt>
            <dd>{t(`disposition.${alert.disposition}` as MessageKey)}</dd>
          </>
        )}
      </dl>
      <div className="grid">
        <section>
          <h2>{t("alert.evidence")}</h2>
          <h3>{t("alert.counts")}</h3>
          <table>
            <tbody>
              {Object.entries(ev.counts ?? {}).map(([k, v]) => (
                <tr key={k}>
                  <th>{k}</th>
                  <td className="num">{v}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {ev.baseline && (
            <>
              <h3>{t("alert.baseline")}</h3>
              <table>
                <tbody>
                  {Object.entries(ev.baseline).map(([k, v]) => (
                    <tr key={k}>
                      <th>{k}</th>
                      <td className="num">{v ?? "—"}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
          <h3>{t("alert.samples")}</h3>
          <ul>
            {(ev.sample_events ?? []).map((s) => (
              <li key={`${s.observer}${s.id}`}>
                {formatJst(s.timestamp)} {s.observer} {s.id}
              </li>
            ))}
          </ul>
          <details>
            <summary>{t("alert.query")}</summary>
            <pre>{JSON.stringify(ev.query, null, 2)}</pre>
          </details>
          <p>
            <Link href={explorer}>{t("alert.openInExplorer")}</Link>
          </p>
        </section>
        <section>
          <h2>{t("alert.history")}</h2>
          {alert.history?.length ? (
            <ol className="history">
              {alert.history.map((h, i) => (
                <li key={i}>
                  {formatJst(h.at)} {h.by}: {historyText(h, names)}
                </li>
              ))}
            </ol>
          ) : (
            <p>{t("alert.noHistory")}</p>
          )}
          {canTriage && <DetailTriage id={alert.id} buttons={buttons} assignees={assignees} me={user.login} />}
        </section>
      </div>
      {responder && (
        <section>
          <h2>{t("incident.title")}</h2>
          <ul data-testid="alert-incidents">
            {incidents.map((i) => (
              <li key={i.id}>
                <Link href={`/incidents/${i.id}`}>
                  {i.title}（{levelName(i.level)}・{statusName(i.status)}
                  {i.exercise ? `・${t("incident.exercise")}` : ""}）
                </Link>
              </li>
            ))}
            {requests.map((r) => (
              <li key={`r${r.id}`}>
                <Link href={`/investigations/${r.id}`}>
                  {t("investigation.title")}: {r.answeredAt ? t("investigation.state.answered") : t("investigation.state.open")}
                </Link>
              </li>
            ))}
          </ul>
          {canTriage && (
            <details>
              <summary>{t("incident.createFromAlert")}</summary>
              <OpenIncidentForm orgs={[]} alertId={alert.id} back={`/alerts/${alert.id}`} />
            </details>
          )}
          {prefecture && alert.organization.id !== user.organizationId && (
            <details>
              <summary>{t("investigation.requestFromAlert")}</summary>
              <RequestInvestigationForm
                orgs={[{ id: alert.organization.id, name: org?.name ?? alert.organization.id }]}
                alertId={alert.id}
                back={`/alerts/${alert.id}`}
              />
            </details>
          )}
        </section>
      )}
      <section>
        <h2>{t("alert.timeline")}</h2>
        <EventTable rows={timeline.events} />
      </section>
    </>
  );
}
