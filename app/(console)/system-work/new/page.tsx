import { createSystemWorkAction } from "@/app/_actions/system-work";
import { Flash } from "@/components/incidents/Flash";
import { PURPOSES, STEPS } from "@/domain/systemwork/slippage";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { t, type MessageKey } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/** The form for a new system-work record: organisation in scope, vendor, purpose and the planned date of each step. */
export default async function NewSystemWorkPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUser(["admin", "monitor", "municipal_officer"]);
  const sp = await searchParams;
  const scope = await pageScope(user);
  const orgs = await db().organization.findMany({ where: scope.where("id"), select: { id: true, name: true }, orderBy: { id: "asc" } });
  return (
    <>
      <div className="pagehead">
        <h1>{t("systemWork.new")}</h1>
      </div>
      <p className="small">{t("systemWork.intro")}</p>
      <Flash error={sp.error} />
      <form action={createSystemWorkAction} className="stack" data-testid="system-work-form">
        <label>
          {t("systemWork.organization")}
          <select name="organization" defaultValue={user.organizationId} required>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}（{o.id}）
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("systemWork.workTitle")} <input name="title" required maxLength={200} />
        </label>
        <label>
          {t("systemWork.vendor")} <input name="vendor" required maxLength={200} />
        </label>
        <label>
          {t("systemWork.purpose")}
          <select name="purpose" defaultValue="renewal">
            {PURPOSES.map((p) => (
              <option key={p} value={p}>
                {t(`systemWork.purpose.${p}` as MessageKey)}
              </option>
            ))}
          </select>
        </label>
        <fieldset>
          <legend>
            {t("systemWork.steps")}（{t("systemWork.planned")}）
          </legend>
          {STEPS.map((s) => (
            <label key={s}>
              {t(`systemWork.step.${s}` as MessageKey)} <input type="datetime-local" name={`${s}.planned`} />
            </label>
          ))}
        </fieldset>
        <label>
          {t("systemWork.note")} <textarea name="note" maxLength={200} />
        </label>
        <button type="submit">{t("systemWork.create")}</button>
      </form>
    </>
  );
}
