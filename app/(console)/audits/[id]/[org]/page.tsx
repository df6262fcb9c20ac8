import Link from "@/components/Link";
import { redirect } from "next/navigation";
import { createFindingAction, respondToFindingAction, setFindingStatusAction, updateFindingAction } from "@/app/_actions/audits";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/pages";
import { jstParts } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatFiscalYear, formatJst, formatJstDate, formatRecordedValue, t, type MessageKey } from "@/lib/i18n";
import { currentReport, engagementAccess, evidenceChoices, FINDING_STATUSES, parseEvidence } from "@/domain/audits/workflow";
import { FindingFields, SavedSearches } from "../../_parts/FindingFields";
import { ReportSection } from "../../_parts/ReportSection";

const loadFindings = (engagementId: string, organizationId: string) =>
  db().auditFinding.findMany({
    where: { engagementId, organizationId },
    orderBy: { number: "asc" },
    include: { attachments: true, history: { orderBy: { id: "desc" }, take: 50 } },
  });

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
  const [orgRow, findings, report, finals, choices] = await Promise.all([
    db().organization.findUnique({ where: { id: org }, select: { name: true } }),
    loadFindings(id, org),
    currentReport(actor, id, org),
    db().auditReport.findMany({ where: { engagementId: id, organizationId: org, status: "final" }, orderBy: { version: "desc" } }),
    evidenceChoices(actor, id, org),
  ]);
  const senderId = report?.reviewRequestedById ?? report?.createdById;
  const sender = senderId ? await db().user.findUnique({ where: { id: senderId }, select: { name: true } }) : null;
  const fieldworkOn = e.organizations.find((o) => o.organizationId === org)?.fieldworkOn ?? null;
  const alertNames = new Map(choices.alerts.map((a) => [a.id, `${t("audit.finding.alert")} ${formatJst(a.start)} ${a.rule}（${a.entity}）`]));
  const searchNames = new Map(choices.searches.map((s) => [s.query, s.name]));
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
          const ev = parseEvidence(f.evidence);
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
                  {ev.alerts.map((a) => (
                    <Link key={a} href={`/alerts/${a}`} className={alertNames.has(a) ? undefined : "mono"}>
                      {alertNames.get(a) ?? a}{" "}
                    </Link>
                  ))}
                  {ev.searches.map((s) => (
                    <Link key={s} href={s}>
                      {searchNames.get(s) ?? s}{" "}
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
                    <FindingFields f={f} choices={choices} />
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
              <FindingFields choices={choices} />
              <button type="submit">{t("audit.finding.add")}</button>
            </form>
          </details>
        )}
      </section>

      <SavedSearches
        engagementId={id}
        organizationId={org}
        searches={choices.searches}
        auditFrom={e.auditFrom}
        auditTo={e.auditTo}
        canSave={isAuditor && e.phase !== "closed"}
      />
      <ReportSection
        engagementId={id}
        organizationId={org}
        report={report}
        finals={finals}
        access={access.access}
        userId={user.id}
        senderName={sender?.name}
        fieldworkOn={fieldworkOn}
        fieldworkAhead={fieldworkOn !== null && fieldworkOn > new Date()}
      />
    </>
  );
}
