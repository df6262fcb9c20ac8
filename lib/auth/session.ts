/** The signed-in console user, for server components, server actions and route handlers. */
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "../db";
import type { SessionUser } from "./accounts";
import { authOptions } from "./options";
import { AuthError, type Actor, type Principal, type Role } from "./principal";
import { scopeOf, type Scope } from "./scope";

/**
 * The session's user, re-checked against the database on every request: a
 * disabled or locked account, or one whose role or organisation changed,
 * loses its session at once instead of when the token expires.
 */
export async function currentUser(): Promise<(SessionUser & { totpEnrolled: boolean }) | undefined> {
  let session: { user?: SessionUser } | null;
  try {
    session = (await getServerSession(authOptions)) as { user?: SessionUser } | null;
  } catch {
    // Outside a request (scripts, tests calling handlers directly) there is no session.
    return undefined;
  }
  if (!session?.user?.id) return undefined;
  const row = await db().user.findUnique({ where: { id: session.user.id } });
  if (!row || row.disabledAt || row.lockedAt || row.role !== session.user.role || row.organizationId !== session.user.organizationId) return undefined;
  return { ...session.user, totpEnrolled: !!row.totpEnabledAt };
}

/** API callers with a session must have completed the second factor. */
export async function sessionPrincipal(): Promise<Principal | undefined> {
  const u = await currentUser();
  return u?.totpEnrolled ? { kind: "user", id: u.id, role: u.role, organizationId: u.organizationId } : undefined;
}

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

/** The principal of a signed-in user. */
export const principalOfUser = (u: SessionUser): Principal => ({ kind: "user", id: u.id, role: u.role, organizationId: u.organizationId });

/** For pages and server actions: the user's scope (the requested organisation must be in it), else the forbidden page. */
export async function pageScope(user: SessionUser, organization?: string): Promise<Scope> {
  try {
    const scope = await scopeOf(principalOfUser(user));
    scope.require(organization);
    return scope;
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
}

/** The signed-in user as the actor whose changes workflows record. */
export function actorOfUser(u: SessionUser): Actor {
  return { id: u.id, login: u.loginId, role: u.role, organizationId: u.organizationId };
}
