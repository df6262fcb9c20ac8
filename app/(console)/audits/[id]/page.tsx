import Link from "@/components/Link";
import { redirect } from "next/navigation";
import { issueNoticeAction, updatePlanAction } from "@/app/_actions/audits";
import { recordAudit } from "@/lib/audit/trail";
import { AuthError } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/pages";
import { jstParts } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatFiscalYear, formatJstDate, formatJstLastDay, t, type MessageKey } from "@/lib/i18n";
import { engagementAccess, EVIDENCE_SOURCES, PHASES } from "@/domain/audits/workflow";

/** One engagement: the plan (auditors edit it) and its municipalities with their documents, findings and report. */
export default async function EngagementPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const { id } = await params;
  const query = await searchParams;
  const actor = user;
  let access: Awaited<ReturnType<typeof engagementAccess>>;
  try {
    access = await engagementAccess(actor, id);
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
  const { engagement: e, organizations } = access;
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "audit_engagement_view", target: id });
  const [names, findings, reports] = await Promise.all([
    db()
      .organization.findMany({ where: { id: { in: organizations } }, select: { id: true, name: true } })
      .then((r) => new Map(r.map((o) => [o.id, o.name]))),
    db().auditFinding.groupBy({ by: ["organizationId", "status"], where: { engagementId: id, organizationId: { in: organizations } }, _count: true }),
    db().auditReport.findMany({ where: { engagementId: id, organizationId: { in: organizations } }, orderBy: { version: "desc" } }),
  ]);
  const isAuditor = access.access === "auditor";
  const criteria: string[] = e.criteriaItems ? JSON.parse(e.criteriaItems) : [];
  const sources: string[] = e.evidenceSources ? JSON.parse(e.evidenceSources) : [];
  return (
    <>
      <div className="pagehead">
        <h1>
          {formatFiscalYear(e.fiscalYear)} {t("audit.title")}（{e.firm}）
        </h1>
        <span className="pill">{t(`audit.step.${e.phase === "closed" ? "reporting" : e.phase}` as MessageKey)}</span>
      </div>
      {query.error && (
        <p role="alert" className="error">
          {query.error}
        </p>
      )}
      <section>
        <dl className="facts">
          <dt>{t("audit.col.period")}</dt>
          <dd>{e.auditFrom && e.auditTo ? `${formatJstDate(e.auditFrom)}〜${formatJstLastDay(e.auditTo)}` : "—"}</dd>
          <dt>{t("audit.col.access")}</dt>
          <dd>{`${formatJstDate(e.accessFrom)}〜${formatJstLastDay(e.accessTo)}`}</dd>
        </dl>
      </section>
      <section>
        <h2>{t("audit.municipalities")}</h2>
        <table>
          <thead>
            <tr>
              <th>{t("checklist.col.municipality")}</th>
              <th>{t("audit.fieldwork")}</th>
              <th>{t("audit.noticeIssued")}</th>
              <th className="num">{t("audit.col.findings")}</th>
              <th>{t("audit.col.report")}</th>
              <th></th>
            </tr>
          </thead>
          <tbody>
            {e.organizations
              .filter((o) => organizations.includes(o.organizationId))
              .map((o) => {
                const r = reports.find((x) => x.organizationId === o.organizationId);
                const n = findings.filter((f) => f.organizationId === o.organizationId).reduce((s, f) => s + f._count, 0);
                return (
                  <tr key={o.organizationId}>
                    <td>{names.get(o.organizationId)}</td>
                    <td>{o.fieldworkOn ? formatJstDate(o.fieldworkOn) : "—"}</td>
                    <td>{o.noticeIssuedAt ? formatJstDate(o.noticeIssuedAt) : "—"}</td>
                    <td className="num">{n}</td>
                    <td>{r ? `v${r.version} ${t(`audit.reportStatus.${r.status}` as MessageKey)}` : "—"}</td>
                    <td>
                      <Link href={`/audits/${id}/${o.organizationId}`}>{t("audit.open")}</Link>{" "}
                      <a href={`/api/audits/${id}/${o.organizationId}/plan`}>{t("audit.planPdf")}</a>{" "}
                      {o.noticeIssuedAt ? (
                        <a href={`/api/audits/${id}/${o.organizationId}/notice`}>{t("audit.noticePdf")}</a>
                      ) : (
                        access.access !== "municipality" && (
                          <form action={issueNoticeAction} className="inline">
                            <input type="hidden" name="engagementId" value={id} />
                            <input type="hidden" name="organizationId" value={o.organizationId} />
                            <button type="submit">{t("audit.issueNotice")}</button>
                          </form>
                        )
                      )}
                    </td>
                  </tr>
                );
              })}
          </tbody>
        </table>
        <p className="small">{t("audit.notice.explicit")}</p>
      </section>
      <section>
        <h2>{t("audit.plan")}</h2>
        <form action={updatePlanAction} className="plan">
          <input type="hidden" name="engagementId" value={id} />
          <fieldset disabled={!isAuditor}>
            <label>
              {t("audit.col.phase")}
              <select name="phase" defaultValue={e.phase}>
                {PHASES.filter((p) => p !== "closed").map((p) => (
                  <option key={p} value={p}>
                    {t(`audit.step.${p}` as MessageKey)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t("audit.scope")}
              <textarea name="scope" defaultValue={e.scope ?? ""} rows={3} />
            </label>
            <label>
              {t("audit.legalCriteria")}
              <textarea name="legalCriteria" defaultValue={e.legalCriteria ?? ""} rows={2} />
            </label>
            <label>
              {t("audit.criteriaItems")}
              <input name="criteriaItems" defaultValue={criteria.join(" ")} size={60} />
            </label>
            <div>
              {t("audit.evidenceSources")}：
              {EVIDENCE_SOURCES.map((s) => (
                <label key={s} className="check">
                  <input type="checkbox" name="evidenceSources" value={s} defaultChecked={sources.includes(s)} />
                  {t(`audit.source.${s}` as MessageKey)}
                </label>
              ))}
            </div>
            {e.organizations
              .filter((o) => organizations.includes(o.organizationId))
              .map((o) => (
                <label key={o.organizationId}>
                  {names.get(o.organizationId)} {t("audit.fieldwork")}
                  <input type="date" name={`fieldwork-${o.organizationId}`} defaultValue={o.fieldworkOn ? jstParts(o.fieldworkOn).dateKey : ""} />
                </label>
              ))}
            {isAuditor && <button type="submit">{t("audit.savePlan")}</button>}
          </fieldset>
        </form>
      </section>
    </>
  );
}
