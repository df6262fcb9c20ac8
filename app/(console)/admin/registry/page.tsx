import { addMaintenanceWindowAction, importRegistryAction } from "@/app/_actions/admin";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { formatJst, t } from "@/lib/i18n";

export const dynamic = "force-dynamic";

/**
 * Registry import (file, inside the admin's scope), the counts, the organisations in scope with their
 * required authentication method (read-only; set by the registry file), and their maintenance windows.
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
    db().maintenanceWindow.findMany({ where: scope.where(), orderBy: { start: "desc" }, take: 200 }),
    db().organization.findMany({ where: scope.where("id"), orderBy: { id: "asc" } }),
  ]);
  return (
    <>
      <div className="pagehead">
        <h1>{t("admin.registry")}</h1>
      </div>
      {ok && (
        <p role="status" className="ok">
          {t("admin.imported")}: {ok}
        </p>
      )}
      {error && (
        <pre role="alert" className="error">
          {error}
        </pre>
      )}
      <section>
        <h2>{t("admin.registryImport")}</h2>
        <p>
          {t("admin.counts")}:{" "}
          {["organizations", "nodes", "terminals", "operators", "permitted_purposes", "departments"].map((k, i) => `${k} ${counts[i]}`).join(" / ")}
        </p>
        <form action={importRegistryAction} className="filters">
          <input type="file" name="file" accept="application/json,.json" required aria-label={t("admin.registryImport")} />
          <button type="submit">{t("admin.import")}</button>
        </form>
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
                <td>
                  {o.name}（{o.id}）
                </td>
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
          <label>
            {t("col.organization")}
            <select name="organization">
              {orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.name}（{o.id}）
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("admin.start")}
            <input type="datetime-local" name="start" required />
          </label>
          <label>
            {t("admin.end")}
            <input type="datetime-local" name="end" required />
          </label>
          <label>
            {t("admin.note")}
            <input name="note" size={30} />
          </label>
          <button type="submit">{t("admin.add")}</button>
        </form>
        <table>
          <thead>
            <tr>
              <th>{t("col.organization")}</th>
              <th>{t("admin.start")}</th>
              <th>{t("admin.end")}</th>
              <th>{t("admin.note")}</th>
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <tr key={w.id}>
                <td>{w.organizationId}</td>
                <td>{formatJst(w.start)}</td>
                <td>{formatJst(w.end)}</td>
                <td>{w.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </>
  );
}
