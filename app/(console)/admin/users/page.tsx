import { unlockAction } from "@/app/_actions/accounts";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { t, type MessageKey } from "@/lib/i18n";
import { listUsers } from "@/domain/registry/users";

export const dynamic = "force-dynamic";

/** Users of the organisations in the admin's scope; locked accounts can be released by an admin of another organisation. */
export default async function UsersPage({ searchParams }: { searchParams: Promise<{ error?: string; done?: string }> }) {
  const admin = await requireUser(["admin"]);
  const scope = await pageScope(admin);
  const { error, done } = await searchParams;
  const users = await listUsers(scope);
  return (
    <>
      <div className="pagehead">
        <h1>{t("admin.users")}</h1>
      </div>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      {done && (
        <p role="status" className="ok">
          {t("admin.unlock")} ✓
        </p>
      )}
      <table>
        <thead>
          <tr>
            <th>{t("admin.loginId")}</th>
            <th>{t("admin.name")}</th>
            <th>{t("admin.role")}</th>
            <th>{t("col.organization")}</th>
            <th>{t("col.status")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid={`user-${u.loginId}`}>
              <td>{u.loginId}</td>
              <td>{u.name}</td>
              <td>{t(`role.${u.role}` as MessageKey)}</td>
              <td>{u.organizationId}</td>
              <td>{u.lockedAt ? t("admin.locked") : t("admin.active")}</td>
              <td>
                {u.lockedAt && (
                  <form action={unlockAction}>
                    <input type="hidden" name="userId" value={u.id} />
                    <button
                      type="submit"
                      disabled={u.organizationId === admin.organizationId}
                      title={u.organizationId === admin.organizationId ? "same organisation" : undefined}
                    >
                      {t("admin.unlock")}
                    </button>
                  </form>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
