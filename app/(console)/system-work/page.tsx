import Link from "@/components/Link";
import { Flash } from "@/components/incidents/Flash";
import { listSystemWork } from "@/domain/systemwork/records";
import { parseSteps, slippage } from "@/domain/systemwork/slippage";
import { recordAudit } from "@/lib/audit/trail";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** System-work records (連携制御記録) of the organisations in scope: state of link control and steps behind schedule. */
export default async function SystemWorkListPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const sp = await searchParams;
  const organization = /^\d{6}$/.test(sp.organization ?? "") ? sp.organization : undefined;
  const scope = await pageScope(user, organization);
  const rows = await listSystemWork(user, { organizationId: organization });
  const names = new Map(
    (
      await db().organization.findMany({
        where: { AND: [scope.where("id"), { id: { in: [...new Set(rows.map((r) => r.organizationId))] } }] },
        select: { id: true, name: true },
      })
    ).map((o) => [o.id, o.name]),
  );
  await recordAudit({ actorId: user.id, actorLogin: user.login, action: "system_work_list_view", scope: scope.recorded });
  const now = new Date();
  return (
    <>
      <div className="pagehead">
        <h1>{t("systemWork.title")}</h1>
        <Link className="button" href="/system-work/new">
          {t("systemWork.new")}
        </Link>
      </div>
      <p className="small">{t("systemWork.intro")}</p>
      <Flash error={sp.error} />
      {rows.length === 0 ? (
        <p>{t("systemWork.none")}</p>
      ) : (
        <table data-testid="system-work-list">
          <thead>
            <tr>
              <th>{t("systemWork.organization")}</th>
              <th>{t("systemWork.workTitle")}</th>
              <th>{t("systemWork.vendor")}</th>
              <th>{t("systemWork.purpose")}</th>
              <th>{t("systemWork.state")}</th>
              <th>{t("systemWork.setAt")}</th>
              <th>{t("systemWork.releasedAt")}</th>
              <th className="num">{t("systemWork.lateSteps")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const late = slippage(parseSteps(r.steps), now).filter((s) => s.late).length;
              const state = r.linkControlReleasedAt ? "released" : r.linkControlSetAt ? "set" : "planned";
              return (
                <tr key={r.id} className={late ? "warn" : undefined} data-work={r.id}>
                  <td>{names.get(r.organizationId) ?? r.organizationId}</td>
                  <td>
                    <Link href={`/system-work/${r.id}`}>{r.title}</Link>
                  </td>
                  <td>{r.vendor}</td>
                  <td>{t(`systemWork.purpose.${r.purpose}` as MessageKey)}</td>
                  <td>
                    <span className={`pill state-${state}`}>{t(`systemWork.state.${state}` as MessageKey)}</span>
                  </td>
                  <td>{r.linkControlSetAt ? formatJst(r.linkControlSetAt) : "—"}</td>
                  <td>{r.linkControlReleasedAt ? formatJst(r.linkControlReleasedAt) : "—"}</td>
                  <td className="num">{late}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </>
  );
}
