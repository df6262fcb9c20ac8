import { unlockAction } from "@/app/_actions/accounts";
import { assignableRoles } from "@/lib/auth/accounts";
import { pageScope, requireUser } from "@/lib/auth/pages";
import { db } from "@/lib/db";
import { t, type MessageKey } from "@/lib/i18n";
import { listUsers } from "@/domain/registry/users";
import { CreateUserForm, UserActions } from "./UserForms";

export const dynamic = "force-dynamic";

const UNLOCK_ERRORS: Record<string, MessageKey> = { sameOrg: "admin.unlockSameOrg", outside: "admin.user.err.outside", notFound: "admin.user.err.notFound" };

/**
 * Users of the organisations in the admin's scope: status, create, disable or enable, reset the password or the
 * TOTP enrolment, change the role (inside what the admin's scope allows); locked accounts can be released by an
 * admin of another organisation.
 */
export default async function UsersPage({ searchParams }: { searchParams: Promise<{ error?: string; done?: string }> }) {
  const admin = await requireUser(["admin"]);
  const scope = await pageScope(admin);
  const { error, done } = await searchParams;
  const [users, orgs, roles] = await Promise.all([
    listUsers(scope),
    db().organization.findMany({ where: scope.where("id"), orderBy: { id: "asc" }, select: { id: true, name: true } }),
    assignableRoles(admin, scope, admin.organizationId),
  ]);
  const orgName = new Map(orgs.map((o) => [o.id, o.name]));
  const status = (u: (typeof users)[number]) =>
    u.disabledAt ? t("admin.disabled") : u.lockedAt ? t("admin.locked") : !u.totpEnabledAt ? t("admin.totpPending") : t("admin.active");
  return (
    <>
      <div className="pagehead">
        <h1>{t("admin.users")}</h1>
      </div>
      {error && (
        <p role="alert" className="error">
          {t(UNLOCK_ERRORS[error] ?? "admin.user.err.notFound")}
        </p>
      )}
      {done && (
        <p role="status" className="ok">
          {t("admin.unlocked")}
        </p>
      )}
      <section>
        <h2>{t("admin.userCreate")}</h2>
        <CreateUserForm orgs={orgs} roles={roles} defaultOrg={admin.organizationId} />
      </section>
      <table>
        <thead>
          <tr>
            <th>{t("admin.loginId")}</th>
            <th>{t("admin.name")}</th>
            <th>{t("admin.role")}</th>
            <th>{t("col.organization")}</th>
            <th>{t("col.status")}</th>
            <th>{t("admin.userActions")}</th>
          </tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} data-testid={`user-${u.loginId}`}>
              <td>{u.loginId}</td>
              <td>{u.name}</td>
              <td>{t(`role.${u.role}` as MessageKey)}</td>
              <td title={u.organizationId}>{orgName.get(u.organizationId) ?? u.organizationId}</td>
              <td>{status(u)}</td>
              <td>
                {u.lockedAt && (
                  <form action={unlockAction} style={{ display: "inline" }}>
                    <input type="hidden" name="userId" value={u.id} />
                    <button
                      type="submit"
                      disabled={u.organizationId === admin.organizationId}
                      title={u.organizationId === admin.organizationId ? t("admin.unlockSameOrg") : undefined}
                    >
                      {t("admin.unlock")}
                    </button>{" "}
                  </form>
                )}
                {u.id !== admin.id && <UserActions userId={u.id} loginId={u.loginId} role={u.role} disabled={!!u.disabledAt} roles={roles} />}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
