import Link from "@/components/Link";
import { createEngagementAction } from "@/app/_actions/audits";
import { prefectureOf } from "@/lib/auth/principal";
import { requireUser } from "@/lib/auth/pages";
import { fiscalYear, jstParts } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatFiscalYear, formatJstDate, formatJstLastDay, t, type MessageKey } from "@/lib/i18n";
import { listEngagements } from "@/domain/audits/workflow";

/** Engagements in scope; a prefecture admin registers new ones. */
export default async function AuditsPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  const params = await searchParams;
  const actor = user;
  const engagements = await listEngagements(actor);
  const canCreate = user.role === "admin" && (await prefectureOf(user)) !== undefined;
  const municipalities = canCreate
    ? await db().organization.findMany({ where: { parentId: user.organizationId, kind: "municipality" }, orderBy: { id: "asc" } })
    : [];
  const names = new Map((await db().organization.findMany({ select: { id: true, name: true } })).map((o) => [o.id, o.name]));
  const fy = fiscalYear(Date.now());
  const today = jstParts(Date.now()).dateKey;
  const in60 = jstParts(Date.now() + 60 * 86_400_000).dateKey;
  return (
    <>
      <div className="pagehead">
        <h1>{t("audit.title")}</h1>
      </div>
      {params.error && (
        <p role="alert" className="error">
          {params.error}
        </p>
      )}
      {user.role === "auditor" && <p className="small">{t("audit.readOnly")}</p>}
      <section>
        {engagements.length === 0 ? (
          <p>{t("audit.none")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t("checklist.col.fiscalYear")}</th>
                <th>{t("audit.firm")}</th>
                <th>{t("audit.municipalities")}</th>
                <th>{t("audit.col.period")}</th>
                <th>{t("audit.col.access")}</th>
                <th>{t("audit.col.phase")}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {engagements.map((e) => (
                <tr key={e.id}>
                  <td>{formatFiscalYear(e.fiscalYear)}</td>
                  <td>{e.firm}</td>
                  <td>{e.organizations.map((o) => names.get(o.organizationId) ?? o.organizationId).join("、")}</td>
                  <td>{e.auditFrom && e.auditTo ? `${formatJstDate(e.auditFrom)}〜${formatJstLastDay(e.auditTo)}` : "—"}</td>
                  <td>{`${formatJstDate(e.accessFrom)}〜${formatJstLastDay(e.accessTo)}`}</td>
                  <td>{t(`audit.step.${e.phase === "closed" ? "reporting" : e.phase}` as MessageKey)}</td>
                  <td>
                    <Link href={`/audits/${e.id}`}>{t("audit.open")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {canCreate && (
        <section>
          <h2>{t("audit.new")}</h2>
          <form action={createEngagementAction} className="filters">
            <label>
              {t("audit.firm")}
              <input name="firm" required size={24} />
            </label>
            <label>
              {t("audit.fiscalYear")}
              <input name="fiscalYear" type="number" defaultValue={fy} min={2002} max={2100} required />
            </label>
            <label>
              {t("audit.auditFrom")}
              <input name="auditFrom" type="date" defaultValue={`${fy}-04-01`} required />
            </label>
            <label>
              {t("audit.auditTo")}
              <input name="auditTo" type="date" defaultValue={today} required />
            </label>
            <label>
              {t("audit.accessFrom")}
              <input name="accessFrom" type="date" defaultValue={today} required />
            </label>
            <label>
              {t("audit.accessTo")}
              <input name="accessTo" type="date" defaultValue={in60} required />
            </label>
            <label>
              {t("audit.auditors")}
              <input name="auditors" required size={30} />
            </label>
            <fieldset className="orgs">
              <legend>{t("audit.municipalities")}</legend>
              {municipalities.map((m) => (
                <label key={m.id} className="check">
                  <input type="checkbox" name="organizations" value={m.id} />
                  {m.name}
                </label>
              ))}
            </fieldset>
            <button type="submit">{t("audit.create")}</button>
          </form>
        </section>
      )}
    </>
  );
}
