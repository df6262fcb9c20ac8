import { addExceptionAction, addSuppressionAction, removeDetectionSettingAction } from "@/app/_actions/admin";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";
import { ENTITY_TYPES, listExceptions, listSuppressions } from "@/domain/registry/suppressions";

export const dynamic = "force-dynamic";

/**
 * Suppressions (until a date) and standing exceptions of the organisations in
 * the admin's scope. Each belongs to the entity's organisation when the
 * registry knows the entity, else to the organisation chosen in the form.
 */
export default async function DetectionSettings({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const admin = await requireUser(["admin"]);
  const scope = await pageScope(admin);
  const { error } = await searchParams;
  const [suppressions, exceptions, orgs] = await Promise.all([
    listSuppressions(scope),
    listExceptions(scope),
    db().organization.findMany({ where: scope.where("id"), orderBy: { id: "asc" } }),
  ]);
  const entityFields = (
    <>
      <label>
        {t("col.rule")}
        <input name="ruleId" required size={24} />
      </label>
      <label>
        {t("col.type")}
        <select name="entityType">
          {ENTITY_TYPES.map((e) => (
            <option key={e}>{e}</option>
          ))}
        </select>
      </label>
      <label>
        {t("col.entity")}
        <input name="entityId" required size={18} />
      </label>
      <label>
        {t("col.organization")}
        <select name="organizationId" defaultValue={admin.organizationId}>
          {orgs.map((o) => (
            <option key={o.id} value={o.id}>
              {o.name}（{o.id}）
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("admin.reason")}
        <input name="reason" required size={30} />
      </label>
    </>
  );
  return (
    <>
      <div className="pagehead">
        <h1>{t("admin.detection")}</h1>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <section>
        <h2>{t("admin.suppressions")}</h2>
        <form action={addSuppressionAction} className="filters" aria-label={t("admin.suppressions")}>
          {entityFields}
          <label>
            {t("admin.until")}
            <input name="until" type="date" required />
          </label>
          <button type="submit">{t("admin.add")}</button>
        </form>
        <table>
          <thead>
            <tr>
              <th>{t("col.rule")}</th>
              <th>{t("col.entity")}</th>
              <th>{t("col.organization")}</th>
              <th>{t("admin.until")}</th>
              <th>{t("admin.reason")}</th>
              <th>{t("col.actor")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {suppressions.map((s) => (
              <tr key={s.id}>
                <td>{s.ruleId}</td>
                <td>
                  {s.entityType}: {s.entityId}
                </td>
                <td>{s.organizationId}</td>
                <td>{formatJst(s.until)}</td>
                <td>{s.reason}</td>
                <td>{s.createdBy}</td>
                <td>
                  <form action={removeDetectionSettingAction}>
                    <input type="hidden" name="kind" value="suppression" />
                    <input type="hidden" name="id" value={s.id} />
                    <button>{t("admin.remove")}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>{t("admin.exceptions")}</h2>
        <form action={addExceptionAction} className="filters" aria-label={t("admin.exceptions")}>
          {entityFields}
          <button type="submit">{t("admin.add")}</button>
        </form>
        <table>
          <thead>
            <tr>
              <th>{t("col.rule")}</th>
              <th>{t("col.entity")}</th>
              <th>{t("col.organization")}</th>
              <th>{t("admin.reason")}</th>
              <th>{t("col.actor")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {exceptions.map((x) => (
              <tr key={x.id}>
                <td>{x.ruleId}</td>
                <td>
                  {x.entityType}: {x.entityId}
                </td>
                <td>{x.organizationId}</td>
                <td>{x.reason}</td>
                <td>{x.createdBy}</td>
                <td>
                  <form action={removeDetectionSettingAction}>
                    <input type="hidden" name="kind" value="exception" />
                    <input type="hidden" name="id" value={x.id} />
                    <button>{t("admin.remove")}</button>
                  </form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
