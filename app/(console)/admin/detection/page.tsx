import { addExceptionAction, addSuppressionAction, removeDetectionSettingAction } from "@/app/_actions/admin";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { ConfirmButton } from "@/components/ConfirmButton";
import { formatJstLastDay, t, type MessageKey } from "@/lib/i18n";
import { ENTITY_TYPES, listExceptions, listSuppressions, RULE_IDS } from "@/domain/registry/suppressions";
import { OrgSelect } from "../OrgSelect";

const ruleName = (id: string) => (id === "*" ? t("admin.ruleAll") : (RULE_IDS as readonly string[]).includes(id) ? t(`admin.rule.${id}` as MessageKey) : id);
const entityName = (type: string) => ((ENTITY_TYPES as readonly string[]).includes(type) ? t(`admin.entityType.${type}` as MessageKey) : type);

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
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const ruleSelect = (all: boolean) => (
    <label>
      {t("col.rule")}
      <select name="ruleId" required>
        {all && <option value="*">{t("admin.ruleAll")}</option>}
        {RULE_IDS.map((r) => (
          <option key={r} value={r}>
            {t(`admin.rule.${r}`)}
          </option>
        ))}
      </select>
    </label>
  );
  const remove = (kind: string, id: number, what: string) => (
    <form action={removeDetectionSettingAction}>
      <input type="hidden" name="kind" value={kind} />
      <input type="hidden" name="id" value={id} />
      <ConfirmButton message={`${what}: ${t("admin.confirmDelete")}`}>{t("admin.remove")}</ConfirmButton>
    </form>
  );
  /** The table of suppressions (with their 期限) or exceptions (standing, no 期限). */
  const settingsTable = (
    kind: "suppression" | "exception",
    rows: { id: number; ruleId: string; entityType: string; entityId: string; organizationId: string; reason: string; createdBy: string; until?: Date }[],
  ) => (
    <table>
      <thead>
        <tr>
          <th>{t("col.rule")}</th>
          <th>{t("col.entity")}</th>
          <th>{t("col.organization")}</th>
          {kind === "suppression" && <th>{t("admin.until")}</th>}
          <th>{t("admin.reason")}</th>
          <th>{t("col.actor")}</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.id}>
            <td title={r.ruleId}>{ruleName(r.ruleId)}</td>
            <td>
              {entityName(r.entityType)}: {r.entityId}
            </td>
            <td title={r.organizationId}>{orgName.get(r.organizationId) ?? r.organizationId}</td>
            {kind === "suppression" && <td>{r.until ? formatJstLastDay(r.until) : ""}</td>}
            <td>{r.reason}</td>
            <td>{r.createdBy}</td>
            <td>{remove(kind, r.id, `${ruleName(r.ruleId)} ${r.entityId}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
  const entityFields = (
    <>
      <label>
        {t("col.type")}
        <select name="entityType">
          {ENTITY_TYPES.map((e) => (
            <option key={e} value={e}>
              {t(`admin.entityType.${e}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("col.entity")}
        <input name="entityId" required size={18} />
      </label>
      <OrgSelect orgs={orgs} name="organizationId" value={admin.organizationId} />
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
          {ruleSelect(false)}
          {entityFields}
          <label>
            {t("admin.until")}
            <input name="until" type="date" required aria-describedby="until-help" />
          </label>
          <small id="until-help">{t("admin.untilHelp")}</small>
          <button type="submit">{t("admin.add")}</button>
        </form>
        {settingsTable("suppression", suppressions)}
      </section>
      <section>
        <h2>{t("admin.exceptions")}</h2>
        <form action={addExceptionAction} className="filters" aria-label={t("admin.exceptions")}>
          {ruleSelect(true)}
          {entityFields}
          <button type="submit">{t("admin.add")}</button>
        </form>
        {settingsTable("exception", exceptions)}
      </section>
    </>
  );
}
