import { PeriodInputs } from "@/components/PeriodInputs";
import { addMaintenanceWindowAction, removeMaintenanceWindowAction, updateMaintenanceWindowAction } from "@/app/_actions/admin";
import { ConfirmButton } from "@/components/ConfirmButton";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t, type MessageKey } from "@/lib/i18n";
import { listMaintenanceWindows } from "@/domain/registry/windows";
import { ImportForm } from "./ImportForm";
import { OrgSelect } from "../OrgSelect";

export const dynamic = "force-dynamic";

const OK: Record<string, MessageKey> = { windowSaved: "admin.windowSaved", windowRemoved: "admin.windowRemoved" };

/**
 * Registry import (file, inside the admin's scope, with a dry run), the counts, the organisations in scope with
 * their required authentication method (read-only; set by the registry file), and their maintenance windows
 * (add, edit, delete).
 */
export default async function RegistryPage({ searchParams }: { searchParams: Promise<{ ok?: string; error?: string }> }) {
  const admin = await requireUser(["admin"]);
  const scope = await pageScope(admin);
  const { ok, error } = await searchParams;
  const [counts, windows, orgs] = await Promise.all([
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
                <td>
                  {o.requiredAuthMethod === "biometric" || o.requiredAuthMethod === "ic_card_biometric"
                    ? t(`authMethod.${o.requiredAuthMethod}`)
                    : t("admin.authMethodNone")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
