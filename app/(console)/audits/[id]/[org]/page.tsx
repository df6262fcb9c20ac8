import Link from "next/link";
import { redirect } from "next/navigation";
import {
  createFindingAction,
  moveReportAction,
  respondToFindingAction,
  saveReportAction,
  setFindingStatusAction,
  updateFindingAction,
} from "@/app/_actions/audits";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/pages";
import { jstParts } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatFiscalYear, formatJst, formatJstDate, formatRecordedValue, t, type MessageKey } from "@/lib/i18n";
import { CONCLUSIONS, currentReport, engagementAccess, FINDING_STATUSES, GRADES } from "@/domain/audits/workflow";

type Finding = Awaited<ReturnType<typeof loadFindings>>[number];
const loadFindings = (engagementId: string, organizationId: string) =>
  db().auditFinding.findMany({
    where: { engagementId, organizationId },
    orderBy: { number: "asc" },
    include: { attachments: true, history: { orderBy: { id: "desc" }, take: 50 } },
  });

function FindingFields({ f }: { f?: Finding }) {
  const ev: { alerts?: string[]; searches?: string[] } = f ? JSON.parse(f.evidence) : {};
  return (
    <>
      <label>
        {t("audit.finding.title")}
        <input name="title" defaultValue={f?.title} required />
      </label>
      <label>
        {t("audit.finding.grade")}
        <select name="grade" defaultValue={f?.grade ?? "minor"}>
          {GRADES.map((g) => (
            <option key={g} value={g}>
              {t(`audit.grade.${g}` as MessageKey)}
            </option>
          ))}
        </select>
      </label>
      {(["criterion", "condition", "cause", "effect", "recommendation"] as const).map((k) => (
        <label key={k}>
          {t(`audit.finding.${k}`)}
          <textarea name={k} defaultValue={f?.[k]} rows={2} required />
        </label>
      ))}
      <label>
        {t("audit.finding.alerts")}
        <input name="alerts" defaultValue={ev.alerts?.join(" ")} />
      </label>
      <label>
        {t("audit.finding.searches")}
        <input name="searches" defaultValue={ev.searches?.join(" ")} />
      </label>
    </>
  );
}

/** One audited municipality: findings (auditors write, the municipality answers), the report and its versions. */
export default async function AuditedMunicipalityPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string; org: string }>;
  searchParams: Promise<Record<string, string>>;
}) {
  const user = await requireUser();
  const { id, org } = await params;
  const query = await searchParams;
  const actor = user;
  let access: Awaited<ReturnType<typeof engagementAccess>>;
  try {
    access = await engagementAccess(actor, id, org);
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
  const e = access.engagement;
  const isAuditor = access.access === "auditor";
  const isMunicipality = access.access === "municipality";
  const [orgRow, findings, report, finals] = await Promise.all([
    db().organization.findUnique({ where: { id: org }, select: { name: true } }),
    loadFindings(id, org),
    currentReport(actor, id, org),
    db().auditReport.findMany({ where: { engagementId: id, organizationId: org, status: "final" }, orderBy: { version: "desc" } }),
  ]);
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "audit_findings_view", target: `${id}/${org}`, organizationId: org });
  const period = e.auditFrom && e.auditTo ? `from=${encodeURIComponent(e.auditFrom.toISOString())}&to=${encodeURIComponent(e.auditTo.toISOString())}` : "";
  const editable = isAuditor && report?.status !== "final";
  const dateKey = (d: Date | null) => (d ? jstParts(d).dateKey : "");
  return (
    <>
      <div className="pagehead">
        <h1>
          {orgRow?.name} {formatFiscalYear(e.fiscalYear)} {t("audit.title")}
        </h1>
        <span>{e.firm}</span>
        <Link href={`/audits/${id}`}>{t("common.back")}</Link>
        {isAuditor && (
          <>
            <Link href={`/events?organization=${org}&${period}`}>{t("nav.events")}</Link>
            <Link href={`/alerts?organization=${org}&${period}`}>{t("nav.alerts")}</Link>
          </>
        )}
      </div>
      {query.error && (
        <p role="alert" className="error">
          {query.error}
        </p>
      )}

      <section>
        <h2>{t("audit.findings")}</h2>
        {findings.length > 0 && (
          <table>
            <thead>
              <tr>
                <th>{t("checklist.doc.no")}</th>
                <th>{t("audit.finding.title")}</th>
                <th>{t("audit.finding.grade")}</th>
                <th>{t("audit.finding.status")}</th>
                <th>{t("audit.finding.remediationDue")}</th>
              </tr>
            </thead>
            <tbody>
              {findings.map((f) => (
                <tr key={f.id}>
                  <td>{f.number}</td>
                  <td>
                    <a href={`#finding-${f.number}`}>{f.title}</a>
                  </td>
                  <td>{t(`audit.grade.${f.grade}` as MessageKey)}</td>
                  <td data-testid={`finding-status-${f.number}`}>{t(`audit.findingStatus.${f.status}` as MessageKey)}</td>
                  <td>{f.remediationDue ? formatJstDate(f.remediationDue) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {findings.map((f) => {
          const ev: { alerts?: string[]; searches?: string[] } = JSON.parse(f.evidence);
          return (
            <article key={f.id} id={`finding-${f.number}`} className="finding" data-finding={f.number}>
              <h3>
                {f.number}. {f.title}（{t(`audit.grade.${f.grade}` as MessageKey)} / {t(`audit.findingStatus.${f.status}` as MessageKey)}）
              </h3>
              <dl className="facts">
                {(["criterion", "condition", "cause", "effect", "recommendation"] as const).map((k) => (
                  <div key={k} className="contents">
                    <dt>{t(`audit.finding.${k}`)}</dt>
                    <dd>{f[k]}</dd>
                  </div>
                ))}
                <dt>{t("audit.doc.finding.evidence")}</dt>
                <dd>
                  {(ev.alerts ?? []).map((a) => (
                    <Link key={a} href={`/alerts/${a}`} className="mono">
                      {a}{" "}
                    </Link>
                  ))}
                  {(ev.searches ?? []).map((s) => (
                    <Link key={s} href={s}>
                      {s}{" "}
                    </Link>
                  ))}
                </dd>
                <dt>{t("audit.finding.attachments")}</dt>
                <dd>
                  {f.attachments.map((a) => (
                    <a key={a.id} href={`/api/audits/attachments/${a.id}`}>
                      {a.fileName}{" "}
                    </a>
                  ))}
                  {(isAuditor || isMunicipality) && f.status !== "closed" && (
                    <form method="post" action={`/api/audits/findings/${f.id}/attachments`} encType="multipart/form-data" className="inline">
                      <input type="file" name="file" required aria-label={`${f.number} ${t("audit.finding.attachments")}`} />
                      <button type="submit">{t("checklist.upload")}</button>
                    </form>
                  )}
                </dd>
                <dt>{t("audit.finding.response")}</dt>
                <dd>{f.response ?? "—"}</dd>
                <dt>{t("audit.finding.remediationPlan")}</dt>
                <dd>{f.remediationPlan ?? "—"}</dd>
                <dt>{t("audit.finding.remediationDue")}</dt>
                <dd>{f.remediationDue ? formatJstDate(f.remediationDue) : "—"}</dd>
              </dl>
              {isMunicipality && f.status !== "closed" && (
                <form action={respondToFindingAction} className="stack">
                  <input type="hidden" name="engagementId" value={id} />
                  <input type="hidden" name="organizationId" value={org} />
                  <input type="hidden" name="findingId" value={f.id} />
                  <label>
                    {t("audit.finding.response")}
                    <textarea name="response" defaultValue={f.response ?? ""} rows={3} required />
                  </label>
                  <label>
                    {t("audit.finding.remediationPlan")}
                    <textarea name="remediationPlan" defaultValue={f.remediationPlan ?? ""} rows={2} />
                  </label>
                  <label>
                    {t("audit.finding.remediationDue")}
                    <input type="date" name="remediationDue" defaultValue={dateKey(f.remediationDue)} />
                  </label>
                  <button type="submit">{t("audit.finding.respond")}</button>
                </form>
              )}
              {isAuditor && (
                <form action={setFindingStatusAction} className="filters">
                  <input type="hidden" name="engagementId" value={id} />
                  <input type="hidden" name="organizationId" value={org} />
                  <input type="hidden" name="findingId" value={f.id} />
                  <label>
                    {t("audit.finding.status")}
                    <select name="status" defaultValue={f.status}>
                      {FINDING_STATUSES.map((s) => (
                        <option key={s} value={s}>
                          {t(`audit.findingStatus.${s}` as MessageKey)}
                        </option>
                      ))}
                    </select>
                  </label>
                  <button type="submit">{t("audit.finding.setStatus")}</button>
                </form>
              )}
              {editable && f.status !== "closed" && (
                <details>
                  <summary>{t("audit.finding.edit")}</summary>
                  <form action={updateFindingAction} className="stack">
                    <input type="hidden" name="engagementId" value={id} />
                    <input type="hidden" name="organizationId" value={org} />
                    <input type="hidden" name="findingId" value={f.id} />
                    <FindingFields f={f} />
                    <button type="submit">{t("audit.finding.save")}</button>
                  </form>
                </details>
              )}
              <details>
                <summary>{t("audit.finding.history")}</summary>
                <table>
                  <tbody>
                    {f.history.map((h) => (
                      <tr key={h.id}>
                        <td>{formatJst(h.at)}</td>
                        <td>{h.actorLogin}</td>
                        <td className="mono">{h.field}</td>
                        <td>
                          {h.before ? formatRecordedValue(h.before) : "—"} → {h.after ? formatRecordedValue(h.after) : "—"}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
            </article>
          );
        })}
        {editable && (
          <details open={findings.length === 0}>
            <summary>{t("audit.newFinding")}</summary>
            <form action={createFindingAction} className="stack" aria-label={t("audit.newFinding")}>
              <input type="hidden" name="engagementId" value={id} />
              <input type="hidden" name="organizationId" value={org} />
              <FindingFields />
              <button type="submit">{t("audit.finding.add")}</button>
            </form>
          </details>
        )}
      </section>

      <section>
        <h2>{t("audit.report")}</h2>
        {report ? (
          <p>
            {t("audit.report.version")} v{report.version} / {t("audit.report.status")}：
            <span data-testid="report-status">{t(`audit.reportStatus.${report.status}` as MessageKey)}</span>
            {report.finalizedAt && `（${formatJst(report.finalizedAt)}）`}{" "}
            <a className="button" href={`/api/audits/${id}/${org}/report`}>
              {t("audit.report.pdf")}
            </a>{" "}
            {finals.length > 0 && (
              <a className="button" href={`/api/audits/${id}/${org}/annex`}>
                {t("audit.report.annex")}
              </a>
            )}
          </p>
        ) : (
          <p>{t("audit.report.none")}</p>
        )}
        {finals.length > 0 && (
          <ul className="small">
            {finals.map((r) => (
              <li key={r.id}>
                v{r.version} {r.finalizedAt && formatJst(r.finalizedAt)} {t("audit.report.hash")} <span className="mono">{r.pdfSha256}</span>
              </li>
            ))}
          </ul>
        )}
        {isAuditor && (!report || report.status === "draft") && (
          <form action={saveReportAction} className="stack">
            <input type="hidden" name="engagementId" value={id} />
            <input type="hidden" name="organizationId" value={org} />
            <label>
              {t("audit.report.scopeAndMethod")}
              <textarea name="scopeAndMethod" defaultValue={report?.scopeAndMethod ?? ""} rows={3} />
            </label>
            <label>
              {t("audit.report.conclusion")}
              <select name="conclusion" defaultValue={report?.conclusion ?? ""}>
                <option value="">—</option>
                {CONCLUSIONS.map((c) => (
                  <option key={c} value={c}>
                    {t(`audit.conclusion.${c}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("audit.report.opinion")}
              <textarea name="opinion" defaultValue={report?.opinion ?? ""} rows={4} />
            </label>
            <button type="submit">{t("audit.report.save")}</button>
          </form>
        )}
        {isAuditor && report && (
          <div className="triage">
            {(
              [
                ["review", "audit.report.toReview", report.status === "draft"],
                ["draft", "audit.report.toDraft", report.status === "review"],
                ["final", "audit.report.finalize", report.status === "review"],
                ["revise", "audit.report.revise", report.status === "final"],
              ] as const
            )
              .filter(([, , show]) => show)
              .map(([to, label]) => (
                <form key={to} action={moveReportAction}>
                  <input type="hidden" name="engagementId" value={id} />
                  <input type="hidden" name="organizationId" value={org} />
                  <input type="hidden" name="to" value={to} />
                  <button type="submit">{t(label)}</button>
                </form>
              ))}
          </div>
        )}
      </section>
    </>
  );
}
