import { PeriodInputs } from "@/components/PeriodInputs";
import { addPermitAction, removePermitAction } from "@/app/_actions/permits";
import { ConfirmButton } from "@/components/ConfirmButton";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";
import { listPermits } from "@/domain/registry/permits";
import { OrgSelect } from "../OrgSelect";

export const dynamic = "force-dynamic";

/** After-hours permits (時間外使用の承認) of the organisations in scope: list, add, remove. */
export default async function PermitsPage({ searchParams }: { searchParams: Promise<{ ok?: string; error?: string }> }) {
  const admin = await requireUser(["admin"]);
  const scope = await pageScope(admin);
  const { ok, error } = await searchParams;
  const [permits, orgs] = await Promise.all([listPermits(scope), db().organization.findMany({ where: scope.where("id"), orderBy: { id: "asc" } })]);
  return (
    <>
      <div className="pagehead">
        <h1>{t("admin.permits")}</h1>
      </div>
      {ok && (
        <p role="status" className="ok">
          {t(ok === "removed" ? "admin.permitRemoved" : "admin.permitAdded")}
        </p>
      )}
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p>{t("admin.permitsHelp")}</p>
      <form action={addPermitAction} className="filters" aria-label={t("admin.permits")}>
        <OrgSelect orgs={orgs} name="organization" />
        <label>
          {t("admin.permitOperators")}
          <input name="operators" size={30} />
        </label>
        <PeriodInputs />
        <label>
          {t("admin.reason")}
          <input name="reason" size={30} required minLength={3} />
        </label>
        <button type="submit">{t("admin.add")}</button>
      </form>
      {permits.length === 0 ? (
        <p>{t("admin.permitsNone")}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t("col.organization")}</th>
              <th>{t("admin.permitOperators")}</th>
              <th>{t("admin.start")}</th>
              <th>{t("admin.end")}</th>
              <th>{t("admin.reason")}</th>
              <th>{t("admin.permitCreatedBy")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {permits.map((p) => (
              <tr key={p.id}>
                <td title={p.organizationId}>{orgs.find((o) => o.id === p.organizationId)?.name ?? p.organizationId}</td>
                <td>{p.operatorIds.length ? p.operatorIds.join("、") : t("admin.permitAllOperators")}</td>
                <td>{formatJst(p.start)}</td>
                <td>{formatJst(p.end)}</td>
                <td>{p.reason ?? ""}</td>
                <td>{p.createdBy}</td>
                <td>
                  <form action={removePermitAction}>
                    <input type="hidden" name="id" value={p.id} />
                    <ConfirmButton message={`${formatJst(p.start)}〜${formatJst(p.end)}: ${t("admin.confirmDelete")}`}>{t("admin.remove")}</ConfirmButton>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
