import Link from "@/components/Link";
import { openRoundAction } from "@/app/_actions/checklist";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { fiscalYear, jstParts } from "@/lib/calendar";
import { db } from "@/lib/db";
import { formatFiscalYear, formatJst, formatJstDate, t, type MessageKey } from "@/lib/i18n";
import { SUBMITTED } from "@/domain/checklist/rollup";
import { isReviewer, listRounds } from "@/domain/checklist/workflow";

/** Rounds in scope; prefecture staff open new ones, municipalities go to their own assessment. */
export default async function ChecklistHome({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser();
  // No scope (an auditor past the access period): the forbidden page, not an error.
  await pageScope(user);
  const params = await searchParams;
  const actor = user;
  const [rounds, reviewer] = await Promise.all([listRounds(actor), isReviewer(actor)]);
  const orgs = new Map((await db().organization.findMany({ select: { id: true, name: true } })).map((o) => [o.id, o.name]));
  const fy = fiscalYear(Date.now());
  const defaultDeadline = jstParts(Date.now() + 60 * 86_400_000).dateKey;
  const single = rounds.every((r) => r.assessments.length === 1);
  return (
    <>
      <div className="pagehead">
        <h1>{t("checklist.title")}</h1>
      </div>
      {params.error && (
        <p role="alert" className="error">
          {params.error}
        </p>
      )}
      {reviewer && (
        <section>
          <h2>{t("checklist.open.title")}</h2>
          <form action={openRoundAction} className="filters">
            <label>
              {t("checklist.open.fiscalYear")}
              <input name="fiscalYear" type="number" defaultValue={rounds.some((r) => r.fiscalYear === fy) ? fy + 1 : fy} min={2002} max={2100} required />
            </label>
            <label>
              {t("checklist.open.deadline")}
              <input name="deadline" type="date" defaultValue={defaultDeadline} required />
            </label>
            <label className="check">
              <input name="carryOver" type="checkbox" defaultChecked />
              {t("checklist.open.carryOver")}
            </label>
            <button type="submit">{t("checklist.open.submit")}</button>
          </form>
        </section>
      )}
      <section>
        <h2>{t("checklist.rounds")}</h2>
        {rounds.length === 0 ? (
          <p>{t("checklist.none")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t("checklist.col.fiscalYear")}</th>
                <th>{t("checklist.col.template")}</th>
                <th>{t("checklist.col.deadline")}</th>
                {single ? <th>{t("checklist.col.status")}</th> : <th className="num">{t("checklist.col.count")}</th>}
                {!single && <th className="num">{t("checklist.col.submittedCount")}</th>}
                {!single && <th className="num">{t("checklist.status.accepted")}</th>}
                <th>{single ? t("checklist.col.updated") : ""}</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {rounds.map((r) => {
                const one = r.assessments.length === 1 ? r.assessments[0] : undefined;
                const submitted = r.assessments.filter((a) => SUBMITTED.includes(a.status)).length;
                const accepted = r.assessments.filter((a) => a.status === "accepted").length;
                return (
                  <tr key={r.id} className={one && one.status !== "accepted" && r.deadline < new Date() ? "warn" : undefined}>
                    <td>{formatFiscalYear(r.fiscalYear)}</td>
                    <td className="mono">{r.templateVersion}</td>
                    <td>{formatJstDate(r.deadline)}</td>
                    {single ? (
                      <td>
                        {orgs.get(one!.organizationId)}：
                        <span className={`pill status-${one!.status}`}>{t(`checklist.status.${one!.status}` as MessageKey)}</span>
                      </td>
                    ) : (
                      <td className="num">{r.assessments.length}</td>
                    )}
                    {!single && <td className="num">{submitted}</td>}
                    {!single && <td className="num">{accepted}</td>}
                    <td>{one ? formatJst(one.updatedAt) : ""}</td>
                    <td>
                      {one ? (
                        <Link href={`/checklist/assessments/${one.id}`}>{t("checklist.open")}</Link>
                      ) : (
                        <Link href={`/checklist/rounds/${r.id}`}>{t("checklist.rollup")}</Link>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
