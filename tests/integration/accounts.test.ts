import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../lib/audit/trail";
import { createUser, signIn, unlockUser, type SessionUser } from "../../lib/auth/accounts";
import { adminScopeOf } from "../../lib/auth/scope";
import { totp } from "../../lib/auth/totp";
import { db } from "../../lib/db";
import { REPO_ROOT } from "../../lib/paths";
import { useFixtureRegistry } from "./detectors/harness";

const SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
const PASSWORD = "correct horse battery staple";

let prefAdmin: SessionUser;
let cityAdmin: SessionUser;

beforeAll(async () => {
  await useFixtureRegistry();
  const a = await createUser({ loginId: "admin-pref", name: "県管理者", role: "admin", organizationId: "350001", password: PASSWORD });
  const b = await createUser({ loginId: "admin-shimonoseki", name: "下関市管理者", role: "admin", organizationId: "352012", password: PASSWORD });
  await createUser({ loginId: "officer-shimonoseki", name: "下関市担当", role: "municipal_officer", organizationId: "352012", password: PASSWORD, totpSecret: SECRET });
  const s = (u: typeof a): SessionUser => ({ id: u.id, loginId: u.loginId, name: u.name, role: u.role as any, organizationId: u.organizationId });
  prefAdmin = s(a);
  cityAdmin = s(b);
});

describe("sign-in", () => {
  it("needs the password and then a valid, unused TOTP code", async () => {
    const now = Date.now();
    expect(await signIn("officer-shimonoseki", PASSWORD, undefined, now)).toEqual({ ok: false, reason: "totp_required" });
    expect(await signIn("officer-shimonoseki", PASSWORD, "000000", now)).toMatchObject({ ok: false, reason: "totp_invalid" });
    const ok = await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, now), now);
    expect(ok).toMatchObject({ ok: true, user: { loginId: "officer-shimonoseki", role: "municipal_officer", organizationId: "352012" } });
    // The same code cannot be replayed.
    expect(await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, now), now)).toMatchObject({ ok: false, reason: "totp_invalid" });
  });

  it("locks after 5 wrong passwords; an admin of the same organisation cannot unlock, one of another can", async () => {
    for (let i = 1; i <= 4; i++) expect(await signIn("officer-shimonoseki", "wrong password!!", undefined)).toMatchObject({ reason: "invalid" });
    expect(await signIn("officer-shimonoseki", "wrong password!!", undefined)).toMatchObject({ reason: "locked" });
    // Even the right password is refused while locked.
    expect(await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, Date.now() + 30_000), Date.now() + 30_000)).toMatchObject({ reason: "locked" });
    const target = await db().user.findUniqueOrThrow({ where: { loginId: "officer-shimonoseki" } });
    const scopeOfAdmin = (u: SessionUser) => adminScopeOf({ kind: "user", id: u.id, role: u.role, organizationId: u.organizationId });
    await expect(unlockUser(cityAdmin, target.id, await scopeOfAdmin(cityAdmin))).rejects.toMatchObject({ status: 403 });
    expect((await db().user.findUniqueOrThrow({ where: { id: target.id } })).lockedAt).not.toBeNull();
    await unlockUser(prefAdmin, target.id, await scopeOfAdmin(prefAdmin));
    const later = Date.now() + 60_000;
    expect(await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, later), later)).toMatchObject({ ok: true });
  });
});

describe("console audit trail", () => {
  it("records sign-ins and lock events in an intact chain, and the verify command detects a tampered record", async () => {
    const actions = (await db().consoleAuditEvent.findMany({ orderBy: { seq: "asc" } })).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["signin", "signin_failure", "account_locked", "account_unlock_refused", "account_unlocked"]));
    expect(await verifyAuditChain()).toMatchObject({ ok: true });

    const env = { ...process.env };
    const verify = () => spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO_ROOT, "scripts", "audit-verify.ts")], { env, encoding: "utf8" });
    expect(verify().status).toBe(0);

    // Tamper with one record directly in SQLite, as an attacker with file access would.
    const file = process.env.DATABASE_URL!.replace(/^file:/, "");
    execFileSync(process.execPath, ["-e", `const D=require("better-sqlite3");const d=new D(${JSON.stringify(file)});d.prepare("UPDATE ConsoleAuditEvent SET actorLogin='someone-else' WHERE seq=2").run();`], { cwd: REPO_ROOT });
    const broken = verify();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at record 2: record 2 was altered/);
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
