/**
 * The signed-in console user, read from the next-auth session and re-checked
 * against the database on every request. Pages and server actions go through
 * lib/auth/pages.ts, route handlers through lib/auth/route.ts.
 */
import { getServerSession } from "next-auth";
import { db } from "../db";
import { toSessionUser } from "./accounts";
import { authOptions, SESSION_MAX_AGE_SECONDS, type SessionClaims } from "./options";
import type { Principal, SessionUser } from "./principal";

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
export function sessionRefusal(
  claims: SessionClaims | null | undefined,
  row: SessionRow | null,
  nowSeconds: number,
  maxAgeSeconds: number,
): string | undefined {
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
  return { ...toSessionUser(row!), totpEnrolled: !!row!.totpEnabledAt };
}

/** API callers with a session must have completed the second factor. */
export async function sessionPrincipal(): Promise<Principal | undefined> {
  const u = await currentUser();
  if (!u?.totpEnrolled) return undefined;
  const { totpEnrolled: _, ...user } = u;
  return user;
}
