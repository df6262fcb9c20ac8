/** Console users as the admin pages see them: only those of organisations in the scope, never secrets. */
import type { Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";

export async function listUsers(scope: Scope) {
  return db().user.findMany({
    where: scope.where(),
    select: { id: true, loginId: true, name: true, role: true, organizationId: true, lockedAt: true, disabledAt: true, totpEnabledAt: true },
    orderBy: [{ organizationId: "asc" }, { loginId: "asc" }],
  });
}
