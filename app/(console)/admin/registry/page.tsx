import { PeriodInputs } from "@/components/PeriodInputs";
import { addMaintenanceWindowAction, removeMaintenanceWindowAction, updateMaintenanceWindowAction } from "@/app/_actions/admin";
import { ConfirmButton } from "@/components/ConfirmButton";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { listMaintenanceWindows } from "@/domain/registry/windows";
import { parseStoredPurposes, type PurposeSet } from "@/domain/registry/registry-file";
import { scheduleLabel } from "@/domain/statistics/usage";
import { ImportForm } from "./ImportForm";
import { OrgSelect } from "../OrgSelect";

export const dynamic = "force-dynamic";

const OK: Record<string, MessageKey> = { windowSaved: "admin.windowSaved", windowRemoved: "admin.windowRemoved" };

/** "別表第5: 5-1, 5-3 / 条例: ordinance-4"; null (no assignment) = everything the organisation may use. */
function purposesText(set: PurposeSet | null): string {
  if (set === null) return t("admin.purposesAll");
  if (set.length === 0) return t("admin.purposesNone");
  return set.map((p) => `${scheduleLabel(p.schedule)}: ${p.items.map((i) => (i === "*" ? t("admin.purposesEveryItem") : i)).join(", ")}`).join(" / ");
}

const authMethodText = (m: string | null) => (m === "biometric" || m === "ic_card_biometric" ? t(`authMethod.${m}`) : t("admin.authMethodNone"));

/**
 * Registry import (file, inside the admin's scope, with a dry run), the counts, the organisations in scope with
 * their required authentication method, the departments' and operators' assigned purposes (§5 `purposes`,
 * `required_auth_method`; read-only, set by the registry file), and the maintenance windows (add, edit, delete).
 */
export default async function RegistryPage({ searchParams }: { searchParams: Promise<{ ok?: string; error?: string }> }) {
  const admin = await requireUser(["admin"]);
  const scope = await pageScope(admin);
  const { ok, error } = await searchParams;
  const [counts, windows, orgs, departments, assignedOperators] = await Promise.all([
    Promise.all([
      db().organization.count({ where: scope.where("id") }),
      db().node.count({ where: scope.where() }),
      db().terminal.count({ where: scope.where() }),
      db().operator.count({ where: scope.where() }),
      db().permittedPurpose.count({ where: scope.where() }),
      db().department.count({ where: scope.where() }),
    ]),
    listMaintenanceWindows(scope),
    db().organization.findMany({ where: scope.where("id"), orderBy: { id: "asc" } }),
    db().department.findMany({ where: scope.where(), orderBy: [{ organizationId: "asc" }, { name: "asc" }] }),
    db().operator.findMany({
      where: { ...scope.where(), OR: [{ purposes: { not: null } }, { requiredAuthMethod: { not: null } }] },
      orderBy: { id: "asc" },
      take: 500,
    }),
  ]);
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  return (
    <>
      <div className="pagehead">
        <h1>{t("admin.registry")}</h1>
      </div>
      {ok && OK[ok] && (
        <p role="status" className="ok">
          {t(OK[ok])}
        </p>
      )}
      {error && (
        <p role="alert" className="error" style={{ whiteSpace: "pre-line" }}>
          {error}
        </p>
      )}
      <section>
        <h2>{t("admin.registryImport")}</h2>
        <p>
          {t("admin.counts")}:{" "}
          {(["organizations", "nodes", "terminals", "operators", "permitted_purposes", "departments"] as const)
            .map((k, i) => `${t(`admin.registrySection.${k}`)} ${counts[i]}`)
            .join(" / ")}
        </p>
        <ImportForm />
      </section>
      <section>
        <h2>{t("admin.organizations")}</h2>
        <table>
          <thead>
            <tr>
              <th>{t("col.organization")}</th>
              <th>{t("admin.requiredAuthMethod")}</th>
            </tr>
          </thead>
          <tbody>
            {orgs.map((o) => (
              <tr key={o.id}>
                <td title={o.id}>{o.name}</td>
                <td>{authMethodText(o.requiredAuthMethod)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>{t("admin.authority")}</h2>
        <p className="small">{t("admin.authorityNote")}</p>
        <table aria-label={t("admin.departments")}>
          <thead>
            <tr>
              <th>{t("col.organization")}</th>
              <th>{t("admin.department")}</th>
              <th>{t("admin.purposes")}</th>
            </tr>
          </thead>
          <tbody>
            {departments.map((d) => (
              <tr key={d.id}>
                <td title={d.organizationId}>{orgName.get(d.organizationId) ?? d.organizationId}</td>
                <td>{d.name}</td>
                <td>{purposesText(parseStoredPurposes(d.purposes))}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {assignedOperators.length > 0 && (
          <table aria-label={t("admin.operatorAssignments")}>
            <thead>
              <tr>
                <th>{t("col.operator")}</th>
                <th>{t("admin.department")}</th>
                <th>{t("admin.purposes")}</th>
                <th>{t("admin.requiredAuthMethod")}</th>
              </tr>
            </thead>
            <tbody>
              {assignedOperators.map((o) => (
                <tr key={o.id}>
                  <td className="mono" title={orgName.get(o.organizationId) ?? o.organizationId}>
                    {o.id}
                  </td>
                  <td>{o.department ?? ""}</td>
                  <td>{o.purposes === null ? t("admin.purposesFromDepartment") : purposesText(parseStoredPurposes(o.purposes))}</td>
                  <td>{authMethodText(o.requiredAuthMethod)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section>
        <h2>{t("admin.maintenance")}</h2>
        <form action={addMaintenanceWindowAction} className="filters" aria-label={t("admin.maintenance")}>
          <OrgSelect orgs={orgs} name="organization" />
          <PeriodInputs />
          <label>
            {t("admin.note")}
            <input name="note" size={30} />
          </label>
          <button type="submit">{t("admin.add")}</button>
        </form>
        {windows.length === 0 ? (
          <p>{t("admin.windowNone")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t("col.organization")}</th>
                <th>{t("admin.start")}</th>
                <th>{t("admin.end")}</th>
                <th>{t("admin.note")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {windows.map((w) => (
                <tr key={w.id} data-testid={`window-${w.id}`}>
                  <td title={w.organizationId}>{orgName.get(w.organizationId) ?? w.organizationId}</td>
                  <td>{formatJst(w.start)}</td>
                  <td>{formatJst(w.end)}</td>
                  <td>{w.note ?? ""}</td>
                  <td>
                    <details>
                      <summary>{t("admin.edit")}</summary>
                      <form action={updateMaintenanceWindowAction} className="filters" aria-label={`${t("admin.edit")} ${w.id}`}>
                        <input type="hidden" name="id" value={w.id} />
                        <OrgSelect orgs={orgs} name="organization" value={w.organizationId} />
                        <PeriodInputs start={w.start} end={w.end} />
                        <label>
                          {t("admin.note")}
                          <input name="note" size={30} defaultValue={w.note ?? ""} />
                        </label>
                        <button type="submit">{t("admin.save")}</button>
                      </form>
                    </details>
                    <form action={removeMaintenanceWindowAction}>
                      <input type="hidden" name="id" value={w.id} />
                      <ConfirmButton message={`${formatJst(w.start)}〜${formatJst(w.end)}: ${t("admin.confirmDelete")}`}>{t("admin.remove")}</ConfirmButton>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
