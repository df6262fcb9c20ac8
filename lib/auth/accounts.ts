/**
 * Console accounts: sign-in with password and TOTP, lockout after five wrong
 * passwords, and unlock only by an admin of a different organisation — the
 * rule Juki-net applies to operator IC cards (a ward cannot release its own
 * card lock, seed 004).
 */
import { randomBytes } from "node:crypto";
import { recordAudit } from "../audit/trail";
import { totpKeys } from "../config";
import { db } from "../db";
import type { Prisma } from "../generated/prisma/client";
import { t, type MessageKey } from "../i18n";
import { AuthError, type Role, ROLES, type SessionUser } from "./principal";
import type { Scope } from "./scope";
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from "./password";
import { generateTotpSecret, isSealed, openTotpSecret, sealTotpSecret, verifyTotp } from "./totp";

/** Wrong passwords and wrong TOTP codes count towards the same lock. */
export const MAX_FAILED_PASSWORDS = 5;

export type SignInResult = { ok: true; user: SessionUser } | { ok: false; reason: "invalid" | "locked" | "totp_required" | "totp_invalid" | "disabled" };

/** The session user of a user row. */
export const toSessionUser = (u: { id: string; loginId: string; name: string; role: string; organizationId: string; sessionVersion: number }): SessionUser => ({
  kind: "user",
  id: u.id,
  login: u.loginId,
  name: u.name,
  role: u.role as Role,
  organizationId: u.organizationId,
  sessionVersion: u.sessionVersion,
});

/** Prisma update fragment that ends every session of the user taken before it. */
export const END_SESSIONS = { sessionVersion: { increment: 1 } } as const;

/** Ends every session of the user at once (sign-out, disable, ...). */
export async function endSessions(userId: string): Promise<void> {
  await db().user.updateMany({ where: { id: userId }, data: END_SESSIONS });
}

/** Seals a clear TOTP secret for storage under the current TOTP key. */
export const sealForStorage = (secret: string): string => sealTotpSecret(secret, totpKeys()[0]);

/**
 * The clear TOTP secret of a stored value; a value stored in clear (from
 * before encryption) or sealed under a previous key is resealed under the
 * current key on this first use.
 */
export async function readTotpSecret(user: { id: string; totpSecret: string | null }): Promise<string | undefined> {
  if (!user.totpSecret) return undefined;
  const keys = totpKeys();
  const { secret, current } = openTotpSecret(user.totpSecret, keys);
  if (!current) await db().user.updateMany({ where: { id: user.id, totpSecret: user.totpSecret }, data: { totpSecret: sealTotpSecret(secret, keys[0]) } });
  return secret;
}

/** Seals every TOTP secret still stored in clear or under a previous key (run by setup and after a key rotation). */
export async function resealTotpSecrets(): Promise<number> {
  const keys = totpKeys();
  let n = 0;
  for (const u of await db().user.findMany({ where: { totpSecret: { not: null } }, select: { id: true, totpSecret: true } })) {
    if (isSealed(u.totpSecret!) && openTotpSecret(u.totpSecret!, keys).current) continue;
    await readTotpSecret(u);
    n++;
  }
  return n;
}

/**
 * Creates a user, or resets an existing one (password, role, organisation,
 * TOTP): a reset ends every session the user had.
 */
export async function createUser(opts: { loginId: string; name: string; role: Role; organizationId: string; password: string; totpSecret?: string }) {
  if (!ROLES.includes(opts.role)) throw new Error(`unknown role ${opts.role}`);
  const passwordHash = await hashPassword(opts.password);
  const data = {
    name: opts.name,
    role: opts.role,
    organizationId: opts.organizationId,
    passwordHash,
    totpSecret: opts.totpSecret ? sealForStorage(opts.totpSecret) : null,
    totpEnabledAt: opts.totpSecret ? new Date() : null,
    totpLastStep: null,
  };
  return db().user.upsert({ where: { loginId: opts.loginId }, create: { loginId: opts.loginId, ...data }, update: { ...data, ...END_SESSIONS } });
}

/** Counts a wrong password or code; the fifth locks the account and ends its sessions. */
async function recordFailure(user: { id: string; organizationId: string }, loginId: string, reason: "password" | "totp", now: number): Promise<SignInResult> {
  const updated = await db().user.update({ where: { id: user.id }, data: { failedAttempts: { increment: 1 } } });
  const failed = updated.failedAttempts;
  const lock = failed >= MAX_FAILED_PASSWORDS;
  if (lock) await db().user.updateMany({ where: { id: user.id, lockedAt: null }, data: { lockedAt: new Date(now), ...END_SESSIONS } });
  await recordAudit({
    action: lock ? "account_locked" : "signin_failure",
    actorId: user.id,
    actorLogin: loginId,
    organizationId: user.organizationId,
    details: { reason, failedAttempts: failed },
  });
  if (lock) return { ok: false, reason: "locked" };
  return { ok: false, reason: reason === "password" ? "invalid" : "totp_invalid" };
}

/**
 * Password then TOTP. Wrong passwords and wrong codes count towards the lock;
 * a locked account answers "locked" whatever is typed. The password is
 * verified before anything else, against a dummy hash for an unknown login
 * id, so that unknown and known ids cost the same work.
 */
export async function signIn(loginId: string, password: string, code: string | undefined, now = Date.now()): Promise<SignInResult> {
  const user = await db().user.findUnique({ where: { loginId } });
  const passwordOk = await verifyPassword(password, user?.passwordHash ?? DUMMY_PASSWORD_HASH);
  if (!user) {
    await recordAudit({ action: "signin_failure", actorLogin: loginId, details: { reason: "unknown_user" } });
    return { ok: false, reason: "invalid" };
  }
  if (user.disabledAt) return { ok: false, reason: "disabled" };
  if (user.lockedAt) {
    await recordAudit({ action: "signin_failure", actorId: user.id, actorLogin: loginId, organizationId: user.organizationId, details: { reason: "locked" } });
    return { ok: false, reason: "locked" };
  }
  if (!passwordOk) return recordFailure(user, loginId, "password", now);
  if (user.totpSecret && user.totpEnabledAt) {
    if (!code) return { ok: false, reason: "totp_required" };
    const secret = (await readTotpSecret(user))!;
    const step = verifyTotp(secret, code, now);
    // Atomic replay check: only one sign-in can move totpLastStep to this step.
    const claimed =
      step === undefined
        ? 0
        : (await db().user.updateMany({ where: { id: user.id, OR: [{ totpLastStep: null }, { totpLastStep: { lt: step } }] }, data: { totpLastStep: step } }))
            .count;
    if (claimed === 0) return recordFailure(user, loginId, "totp", now);
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
    await recordAudit({
      action: "account_unlock_refused",
      actorId: admin.id,
      actorLogin: admin.login,
      target: target.loginId,
      organizationId: target.organizationId,
      scope: scope.recorded,
      details: { reason },
    });
    throw new AuthError(403, message);
  };
  if (!scope.includes(target.organizationId)) await refuse("outside scope", `the account's organisation ${target.organizationId} is outside your scope`);
  if (admin.organizationId === target.organizationId)
    await refuse("same organisation", "an account cannot be unlocked by an administrator of its own organisation");
  const res = await db().user.updateMany({ where: { id: target.id, ...scope.where() }, data: { lockedAt: null, failedAttempts: 0 } });
  if (!res.count) throw new AuthError(404, "no such user");
  await recordAudit({
    action: "account_unlocked",
    actorId: admin.id,
    actorLogin: admin.login,
    target: target.loginId,
    organizationId: target.organizationId,
    scope: scope.recorded,
  });
}

/** Starts TOTP enrolment: a new secret (stored sealed), active once confirmed with a valid code. */
export async function beginTotpEnrolment(userId: string): Promise<string> {
  const secret = generateTotpSecret();
  await db().user.update({ where: { id: userId }, data: { totpSecret: sealForStorage(secret), totpEnabledAt: null, totpLastStep: null } });
  return secret;
}

export async function confirmTotpEnrolment(userId: string, code: string, now = Date.now()): Promise<boolean> {
  const user = await db().user.findUniqueOrThrow({ where: { id: userId } });
  const secret = await readTotpSecret(user);
  const step = secret ? verifyTotp(secret, code, now) : undefined;
  if (step === undefined) return false;
  await db().user.update({ where: { id: userId }, data: { totpEnabledAt: new Date(now), totpLastStep: step } });
  await recordAudit({ action: "totp_enrolled", actorId: user.id, actorLogin: user.loginId, organizationId: user.organizationId });
  return true;
}

/** What an admin may do to a console user in its scope (the users page). */
export type UserChange = { op: "disable" } | { op: "enable" } | { op: "resetPassword"; password?: string } | { op: "resetTotp" } | { op: "role"; role: Role };

/** A refusal of a user-management request, with the Japanese message the page shows. */
export class UserAdminError extends AuthError {}

/** A random initial password (16 characters, 96 bits), shown once to the admin. */
export const generatePassword = (): string => randomBytes(12).toString("base64url");

const LOGIN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/**
 * The roles an admin may give an account of `organizationId`: any role whose
 * scope stays inside the admin's own (admin, monitor and municipal officer
 * see the account's organisation's subtree, which is inside the admin's);
 * auditor accounts, whose reach comes from engagements, only from an admin
 * of a prefecture or the national centre.
 */
export async function assignableRoles(admin: SessionUser, scope: Scope, organizationId: string): Promise<Role[]> {
  if (admin.role !== "admin" || !scope.includes(organizationId)) return [];
  const own = await db().organization.findUnique({ where: { id: admin.organizationId }, select: { kind: true } });
  return ROLES.filter((r) => r !== "auditor" || own?.kind === "prefecture" || own?.kind === "national");
}

async function refuseUserAdmin(
  admin: SessionUser,
  scope: Scope,
  target: string,
  organizationId: string | undefined,
  op: string,
  message: MessageKey,
): Promise<never> {
  await recordAudit({
    action: "user_admin_refused",
    actorId: admin.id,
    actorLogin: admin.login,
    target,
    organizationId,
    scope: scope.recorded,
    details: { op, reason: message },
  });
  throw new UserAdminError(403, t(message));
}

/** Creates a console user in the admin's scope; TOTP is enrolled at first sign-in. Returns the initial password (generated when none is given). */
export async function createUserByAdmin(
  admin: SessionUser,
  scope: Scope,
  input: { loginId: string; name: string; role: Role; organizationId: string; password?: string },
): Promise<{ id: string; loginId: string; password: string }> {
  const loginId = input.loginId.trim();
  const name = input.name.trim();
  if (!LOGIN_ID.test(loginId)) throw new UserAdminError(403, t("admin.user.err.loginId"));
  if (!name || name.length > 100) throw new UserAdminError(403, t("admin.user.err.name"));
  if (!scope.includes(input.organizationId)) return refuseUserAdmin(admin, scope, loginId, input.organizationId, "create", "admin.user.err.outside");
  if (!(await assignableRoles(admin, scope, input.organizationId)).includes(input.role))
    return refuseUserAdmin(admin, scope, loginId, input.organizationId, "create", "admin.user.err.role");
  if (input.password && input.password.length < 12) throw new UserAdminError(403, t("admin.user.err.password"));
  if (await db().user.findUnique({ where: { loginId }, select: { id: true } })) throw new UserAdminError(403, t("admin.user.err.exists"));
  const password = input.password || generatePassword();
  const user = await db().user.create({
    data: { loginId, name, role: input.role, organizationId: input.organizationId, passwordHash: await hashPassword(password) },
  });
  await recordAudit({
    action: "user_created",
    actorId: admin.id,
    actorLogin: admin.login,
    target: loginId,
    organizationId: input.organizationId,
    scope: scope.recorded,
    details: { role: input.role, passwordSetBy: input.password ? "admin" : "generated" },
  });
  return { id: user.id, loginId, password };
}

/**
 * Disables or enables, resets the password or the TOTP enrolment (the user
 * enrols again at the next sign-in), or changes the role of a user of an
 * organisation in the admin's scope. Each ends the user's sessions (enable
 * excepted) and is recorded; an admin never acts on itself this way. Returns
 * the new password of a password reset.
 */
export async function changeUserByAdmin(admin: SessionUser, scope: Scope, userId: string, change: UserChange): Promise<{ loginId: string; password?: string }> {
  const target = await db().user.findUnique({ where: { id: userId } });
  if (!target) throw new UserAdminError(404, t("admin.user.err.notFound"));
  if (!scope.includes(target.organizationId)) return refuseUserAdmin(admin, scope, target.loginId, target.organizationId, change.op, "admin.user.err.outside");
  if (target.id === admin.id) return refuseUserAdmin(admin, scope, target.loginId, target.organizationId, change.op, "admin.user.err.self");
  let password: string | undefined;
  let data: Prisma.UserUpdateManyMutationInput;
  switch (change.op) {
    case "disable":
      data = { disabledAt: new Date(), ...END_SESSIONS };
      break;
    case "enable":
      data = { disabledAt: null };
      break;
    case "resetPassword":
      if (change.password && change.password.length < 12) throw new UserAdminError(403, t("admin.user.err.password"));
      password = change.password || generatePassword();
      data = { passwordHash: await hashPassword(password), ...END_SESSIONS };
      break;
    case "resetTotp":
      data = { totpSecret: null, totpEnabledAt: null, totpLastStep: null, ...END_SESSIONS };
      break;
    case "role":
      if (!(await assignableRoles(admin, scope, target.organizationId)).includes(change.role))
        return refuseUserAdmin(admin, scope, target.loginId, target.organizationId, change.op, "admin.user.err.role");
      data = { role: change.role, ...END_SESSIONS };
      break;
  }
  const res = await db().user.updateMany({ where: { id: target.id, ...scope.where() }, data });
  if (!res.count) throw new UserAdminError(404, t("admin.user.err.notFound"));
  await recordAudit({
    action: USER_CHANGE_ACTIONS[change.op],
    actorId: admin.id,
    actorLogin: admin.login,
    target: target.loginId,
    organizationId: target.organizationId,
    scope: scope.recorded,
    details:
      change.op === "role"
        ? { from: target.role, to: change.role }
        : change.op === "resetPassword"
          ? { passwordSetBy: change.password ? "admin" : "generated" }
          : undefined,
  });
  return { loginId: target.loginId, password };
}

const USER_CHANGE_ACTIONS: Record<UserChange["op"], string> = {
  disable: "user_disabled",
  enable: "user_enabled",
  resetPassword: "user_password_reset",
  resetTotp: "user_totp_reset",
  role: "user_role_changed",
};
