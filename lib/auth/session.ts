/** The signed-in console user, for server components, server actions and route handlers. */
import { getServerSession } from "next-auth";
import { redirect } from "next/navigation";
import { db } from "../db";
import type { SessionUser } from "./accounts";
import { authOptions, SESSION_MAX_AGE_SECONDS, type SessionClaims } from "./options";
import { AuthError, type Actor, type Principal, type Role } from "./principal";
import { adminScopeOf, scopeOf, type Scope } from "./scope";

/** The user row fields a session is checked against. */
export interface SessionRow {
  role: string;
  organizationId: string;
  disabledAt: Date | null;
  lockedAt: Date | null;
  sessionVersion: number;
}

/**
 * Why a session (its token claims) is no longer valid against the user's
 * row, or undefined when it is: the account is gone, disabled or locked; its
 * role or organisation changed; its session version moved on (sign-out,
 * password reset, lock, ...); or the session began more than maxAge seconds
 * ago (absolute lifetime, whatever refreshes happened).
 */
export function sessionRefusal(claims: SessionClaims | null | undefined, row: SessionRow | null, nowSeconds: number, maxAgeSeconds: number): string | undefined {
  const u = claims?.user;
  if (!u?.id) return "no session";
  if (!row) return "no such user";
  if (row.disabledAt) return "disabled";
  if (row.lockedAt) return "locked";
  if (row.role !== u.role || row.organizationId !== u.organizationId) return "role or organisation changed";
  if (u.sessionVersion !== row.sessionVersion) return "session ended";
  const authAt = claims?.authAt;
  if (typeof authAt !== "number" || nowSeconds - authAt > maxAgeSeconds || authAt > nowSeconds + 60) return "session too old";
  return undefined;
}

/**
 * The session's user, re-checked against the database on every request
 * (sessionRefusal): a session that was ended, or whose account changed, is
 * refused at once instead of when the token expires.
 */
export async function currentUser(): Promise<(SessionUser & { totpEnrolled: boolean }) | undefined> {
  let session: SessionClaims | null;
  try {
    session = (await getServerSession(authOptions)) as SessionClaims | null;
  } catch {
    // Outside a request (scripts, tests calling handlers directly) there is no session.
    return undefined;
  }
  if (!session?.user?.id) return undefined;
  const row = await db().user.findUnique({ where: { id: session.user.id } });
  if (sessionRefusal(session, row, Math.floor(Date.now() / 1000), SESSION_MAX_AGE_SECONDS)) return undefined;
  return { ...session.user, totpEnrolled: !!row!.totpEnabledAt };
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

/** For admin pages and actions: the signed-in admin and the scope it manages (the forbidden page for anyone else). */
export async function requireAdmin(): Promise<{ admin: SessionUser; scope: Scope }> {
  const user = await requireUser(["admin"]);
  try {
    return { admin: user, scope: await adminScopeOf(principalOfUser(user)) };
  } catch (e) {
    if (e instanceof AuthError) redirect("/forbidden");
    throw e;
  }
}

/** The signed-in user as the actor whose changes workflows record. */
export function actorOfUser(u: SessionUser): Actor {
  return { id: u.id, login: u.loginId, role: u.role, organizationId: u.organizationId };
}
