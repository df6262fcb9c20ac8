/**
 * Console accounts: sign-in with password and TOTP, lockout after five wrong
 * passwords, and unlock only by an admin of a different organisation — the
 * rule Juki-net applies to operator IC cards (a ward cannot release its own
 * card lock, seed 004).
 */
import { recordAudit } from "../audit/trail";
import { db } from "../db";
import { AuthError, ROLES, type Role } from "./principal";
import type { Scope } from "./scope";
import { hashPassword, verifyPassword } from "./password";
import { generateTotpSecret, verifyTotp } from "./totp";

export const MAX_FAILED_PASSWORDS = 5;

export interface SessionUser {
  id: string;
  loginId: string;
  name: string;
  role: Role;
  organizationId: string;
}

export type SignInResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: "invalid" | "locked" | "totp_required" | "totp_invalid" | "disabled" };

const toSessionUser = (u: { id: string; loginId: string; name: string; role: string; organizationId: string }): SessionUser => ({
  id: u.id,
  loginId: u.loginId,
  name: u.name,
  role: u.role as Role,
  organizationId: u.organizationId,
});

export async function createUser(opts: { loginId: string; name: string; role: Role; organizationId: string; password: string; totpSecret?: string }) {
  if (!ROLES.includes(opts.role)) throw new Error(`unknown role ${opts.role}`);
  const passwordHash = await hashPassword(opts.password);
  const data = {
    name: opts.name,
    role: opts.role,
    organizationId: opts.organizationId,
    passwordHash,
    totpSecret: opts.totpSecret ?? null,
    totpEnabledAt: opts.totpSecret ? new Date() : null,
  };
  return db().user.upsert({ where: { loginId: opts.loginId }, create: { loginId: opts.loginId, ...data }, update: data });
}

/** Password then TOTP. Wrong passwords count towards the lock; a locked account answers "locked" whatever is typed. */
export async function signIn(loginId: string, password: string, code: string | undefined, now = Date.now()): Promise<SignInResult> {
  const user = await db().user.findUnique({ where: { loginId } });
  if (!user) {
    await recordAudit({ action: "signin_failure", actorLogin: loginId, details: { reason: "unknown_user" } });
    return { ok: false, reason: "invalid" };
  }
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  if (user.lockedAt) {
    await recordAudit({ action: "signin_failure", actorId: user.id, actorLogin: loginId, organizationId: user.organizationId, details: { reason: "locked" } });
    return { ok: false, reason: "locked" };
  }
  if (!(await verifyPassword(password, user.passwordHash))) {
    const failed = user.failedAttempts + 1;
    const lock = failed >= MAX_FAILED_PASSWORDS;
    await db().user.update({ where: { id: user.id }, data: { failedAttempts: failed, lockedAt: lock ? new Date(now) : null } });
    await recordAudit({ action: lock ? "account_locked" : "signin_failure", actorId: user.id, actorLogin: loginId, organizationId: user.organizationId, details: { reason: "password", failedAttempts: failed } });
    return { ok: false, reason: lock ? "locked" : "invalid" };
  }
  if (user.totpSecret && user.totpEnabledAt) {
    if (!code) return { ok: false, reason: "totp_required" };
    const step = verifyTotp(user.totpSecret, code, now);
    if (step === undefined || (user.totpLastStep !== null && step <= user.totpLastStep)) {
      await recordAudit({ action: "signin_failure", actorId: user.id, actorLogin: loginId, organizationId: user.organizationId, details: { reason: "totp" } });
      return { ok: false, reason: "totp_invalid" };
    }
    await db().user.update({ where: { id: user.id }, data: { totpLastStep: step } });
  }
  await db().user.update({ where: { id: user.id }, data: { failedAttempts: 0 } });
  await recordAudit({ action: "signin", actorId: user.id, actorLogin: loginId, organizationId: user.organizationId });
  return { ok: true, user: toSessionUser(user) };
}

/**
 * Only an admin of another organisation may release a lock, and only when the
 * locked account's organisation is in that admin's scope (in practice the
 * admin of the parent organisation): a municipal admin cannot unlock the
 * prefecture's accounts.
 */
export async function unlockUser(admin: SessionUser, targetUserId: string, scope: Scope): Promise<void> {
  if (admin.role !== "admin") throw new AuthError(403, "only an administrator can unlock an account");
  const target = await db().user.findUnique({ where: { id: targetUserId } });
  if (!target) throw new AuthError(404, "no such user");
  const refuse = async (reason: string, message: string) => {
    await recordAudit({ action: "account_unlock_refused", actorId: admin.id, actorLogin: admin.loginId, target: target.loginId, organizationId: target.organizationId, scope: scope.recorded, details: { reason } });
    throw new AuthError(403, message);
  };
  if (!scope.includes(target.organizationId)) await refuse("outside scope", `the account's organisation ${target.organizationId} is outside your scope`);
  if (admin.organizationId === target.organizationId) await refuse("same organisation", "an account cannot be unlocked by an administrator of its own organisation");
  const res = await db().user.updateMany({ where: { id: target.id, ...scope.where() }, data: { lockedAt: null, failedAttempts: 0 } });
  if (!res.count) throw new AuthError(404, "no such user");
  await recordAudit({ action: "account_unlocked", actorId: admin.id, actorLogin: admin.loginId, target: target.loginId, organizationId: target.organizationId, scope: scope.recorded });
}

/** Starts TOTP enrolment: a new secret, active once confirmed with a valid code. */
export async function beginTotpEnrolment(userId: string): Promise<string> {
  const secret = generateTotpSecret();
  await db().user.update({ where: { id: userId }, data: { totpSecret: secret, totpEnabledAt: null, totpLastStep: null } });
  return secret;
}

export async function confirmTotpEnrolment(userId: string, code: string, now = Date.now()): Promise<boolean> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  const step = user.totpSecret ? verifyTotp(user.totpSecret, code, now) : undefined;
  if (step === undefined) return false;
  await db().user.update({ where: { id: userId }, data: { totpEnabledAt: new Date(now), totpLastStep: step } });
  await recordAudit({ action: "totp_enrolled", actorId: user.id, actorLogin: user.loginId, organizationId: user.organizationId });
  return true;
}
