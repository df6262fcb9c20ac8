/**
 * User management by admins (issue 13): create, disable/enable, reset the
 * password and the TOTP enrolment, change the role — each inside the admin's
 * scope (a prefecture admin its subtree, a municipal admin its municipality),
 * never above what that scope allows, never on itself, each recorded in the
 * audit trail and refused in Japanese.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { assignableRoles, changeUserByAdmin, createUser, createUserByAdmin, signIn, UserAdminError } from "../../lib/auth/accounts";
import type { Role, SessionUser } from "../../lib/auth/principal";
import { adminScopeOf, type Scope } from "../../lib/auth/scope";
import { sessionRefusal } from "../../lib/auth/session";
import { totp } from "../../lib/auth/totp";
import { db } from "../../lib/db";
import { messages } from "../../lib/i18n";
import { PREF, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const PASSWORD = "user admin test password";
const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
let pref: SessionUser, city: SessionUser;
let prefScope: Scope, cityScope: Scope;

async function admin(loginId: string, organizationId: string): Promise<SessionUser> {
  const u = await createUser({ loginId, name: loginId, role: "admin", organizationId, password: PASSWORD });
  return { kind: "user", id: u.id, login: u.loginId, name: u.name, role: "admin", organizationId };
}
const audited = async (action: string, target: string) => db().consoleAuditEvent.count({ where: { action, target } });

beforeAll(async () => {
  await useFixtureRegistry();
  await db().user.deleteMany({ where: { loginId: { startsWith: "ua-" } } });
  pref = await admin("ua-admin-pref", PREF);
  city = await admin("ua-admin-city", SHIMONOSEKI);
  [prefScope, cityScope] = await Promise.all([adminScopeOf(pref), adminScopeOf(city)]);
});

describe("user management by an admin", () => {
  it("creates a user in scope with a password shown once; TOTP is enrolled at first sign-in", async () => {
    const made = await createUserByAdmin(city, cityScope, { loginId: "ua-officer", name: "下関 太郎", role: "municipal_officer", organizationId: SHIMONOSEKI });
    expect(made.password).toHaveLength(16);
    expect(await audited("user_created", "ua-officer")).toBe(1);
    const row = await db().user.findUniqueOrThrow({ where: { loginId: "ua-officer" } });
    expect(row).toMatchObject({ role: "municipal_officer", organizationId: SHIMONOSEKI, totpSecret: null });
    // No second factor yet: the sign-in succeeds and the console sends the user to enrolment.
    expect(await signIn("ua-officer", made.password, undefined)).toMatchObject({ ok: true });
    await expect(
      createUserByAdmin(city, cityScope, { loginId: "ua-officer", name: "x", role: "municipal_officer", organizationId: SHIMONOSEKI }),
    ).rejects.toThrow(messages["admin.user.err.exists"]);
  });

  it("refuses users outside the scope and roles above it, in Japanese, and records the refusal", async () => {
    const outside = createUserByAdmin(city, cityScope, { loginId: "ua-yamaguchi", name: "x", role: "admin", organizationId: YAMAGUCHI });
    await expect(outside).rejects.toBeInstanceOf(UserAdminError);
    await expect(outside).rejects.toThrow(messages["admin.user.err.outside"]);
    await expect(createUserByAdmin(city, cityScope, { loginId: "ua-pref", name: "x", role: "monitor", organizationId: PREF })).rejects.toThrow(
      messages["admin.user.err.outside"],
    );
    // Auditor accounts are the prefecture's to make.
    await expect(createUserByAdmin(city, cityScope, { loginId: "ua-aud", name: "x", role: "auditor", organizationId: SHIMONOSEKI })).rejects.toThrow(
      messages["admin.user.err.role"],
    );
    expect(await assignableRoles(city, cityScope, SHIMONOSEKI)).not.toContain("auditor");
    expect(await assignableRoles(pref, prefScope, SHIMONOSEKI)).toContain("auditor");
    expect(await assignableRoles(city, cityScope, PREF)).toEqual([]);
    expect(await db().user.count({ where: { loginId: { in: ["ua-yamaguchi", "ua-pref", "ua-aud"] } } })).toBe(0);
    expect(await db().consoleAuditEvent.count({ where: { action: "user_admin_refused", target: { in: ["ua-yamaguchi", "ua-pref", "ua-aud"] } } })).toBe(3);
    // The city admin cannot touch the prefecture admin, nor itself.
    await expect(changeUserByAdmin(city, cityScope, pref.id, { op: "disable" })).rejects.toThrow(messages["admin.user.err.outside"]);
    await expect(changeUserByAdmin(city, cityScope, city.id, { op: "role", role: "monitor" as Role })).rejects.toThrow(messages["admin.user.err.self"]);
    expect(await db().user.findUniqueOrThrow({ where: { id: pref.id } })).toMatchObject({ disabledAt: null });
  });

  it("resets the TOTP enrolment: sessions end and the user enrols again at sign-in", async () => {
    const u = await createUser({
      loginId: "ua-enrolled",
      name: "x",
      role: "municipal_officer",
      organizationId: SHIMONOSEKI,
      password: PASSWORD,
      totpSecret: SECRET,
    });
    const before = await db().user.findUniqueOrThrow({ where: { id: u.id } });
    expect(await signIn("ua-enrolled", PASSWORD, undefined)).toEqual({ ok: false, reason: "totp_required" });
    await changeUserByAdmin(pref, prefScope, u.id, { op: "resetTotp" });
    const after = await db().user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after).toMatchObject({ totpSecret: null, totpEnabledAt: null, sessionVersion: before.sessionVersion + 1 });
    const claims = {
      user: { id: u.id, role: "municipal_officer", organizationId: SHIMONOSEKI, sessionVersion: before.sessionVersion },
      authAt: Math.floor(Date.now() / 1000),
    };
    expect(sessionRefusal(claims as never, after, Math.floor(Date.now() / 1000), 3600)).toBe("session ended");
    // The old authenticator is gone: the password alone signs in, into enrolment.
    expect(await signIn("ua-enrolled", PASSWORD, totp(SECRET, Date.now()))).toMatchObject({ ok: true });
    expect(await audited("user_totp_reset", "ua-enrolled")).toBe(1);
  });

  it("disables and enables, resets the password, changes the role — each recorded", async () => {
    const u = await db().user.findUniqueOrThrow({ where: { loginId: "ua-officer" } });
    await changeUserByAdmin(city, cityScope, u.id, { op: "disable" });
    expect(await signIn("ua-officer", PASSWORD, undefined)).toEqual({ ok: false, reason: "disabled" });
    await changeUserByAdmin(city, cityScope, u.id, { op: "enable" });
    const { password } = await changeUserByAdmin(city, cityScope, u.id, { op: "resetPassword" });
    expect(await signIn("ua-officer", password!, undefined)).toMatchObject({ ok: true });
    await expect(changeUserByAdmin(city, cityScope, u.id, { op: "resetPassword", password: "short" })).rejects.toThrow(messages["admin.user.err.password"]);
    await changeUserByAdmin(city, cityScope, u.id, { op: "role", role: "admin" });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id } })).role).toBe("admin");
    await expect(changeUserByAdmin(city, cityScope, u.id, { op: "role", role: "auditor" })).rejects.toThrow(messages["admin.user.err.role"]);
    for (const action of ["user_disabled", "user_enabled", "user_password_reset", "user_role_changed"]) expect(await audited(action, "ua-officer")).toBe(1);
  });
});
