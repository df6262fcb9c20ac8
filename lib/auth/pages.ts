/**
 * The edge of the authorisation for pages and server actions: the signed-in
 * user (with the second factor) of an allowed role, and its scope; anything
 * else is redirected to sign-in, TOTP enrolment or the forbidden page. Every
 * page calls this itself, because a layout's redirect does not stop the
 * page's own rendering. Route handlers use lib/auth/route.ts instead.
 */
import { redirect } from "next/navigation";
import { AuthError, type Role, type SessionUser } from "./principal";
import { adminScopeOf, scopeOf, type Scope } from "./scope";
import { currentUser } from "./session";

/**
 * For pages and server actions: the user, or a redirect to sign-in; a user
 * without an enrolled second factor goes to enrolment first; a role outside
 * `roles` gets the forbidden page. Every page calls this itself, because a
 * layout's redirect does not stop the page's own rendering.
 */
export async function requireUser(roles?: Role[], opts: { allowPendingTotp?: boolean } = {}): Promise<SessionUser> {
  const u = await currentUser();
  if (!u) redirect("/signin");
  if (!u.totpEnrolled && !opts.allowPendingTotp) redirect("/account/totp");
  if (roles && !roles.includes(u.role)) redirect("/forbidden");
  return u;
}

/** For pages and server actions: the user's scope (the requested organisation must be in it), else the forbidden page. */
export async function pageScope(user: SessionUser, organization?: string): Promise<Scope> {
  try {
    const scope = await scopeOf(user);
    scope.require(organization);
    return scope;
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
}

/** For admin pages and actions: the signed-in admin and the scope it manages (the forbidden page for anyone else). */
export async function requireAdmin(): Promise<{ admin: SessionUser; scope: Scope }> {
  const user = await requireUser(["admin"]);
  try {
    return { admin: user, scope: await adminScopeOf(user) };
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
}
