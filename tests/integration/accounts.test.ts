import { spawnSync } from "node:child_process";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "../../lib/audit/trail";
import { adminScopeOf } from "../../lib/auth/scope";
import { NextRequest } from "next/server";
import { POST as authPost } from "../../app/api/auth/[...nextauth]/route";
import { createUser, MAX_FAILED_PASSWORDS, readTotpSecret, resealTotpSecrets, signIn, unlockUser } from "../../lib/auth/accounts";
import type { SessionUser } from "../../lib/auth/principal";
import { authOptions, type SessionClaims } from "../../lib/auth/options";
import { passwordVerifications } from "../../lib/auth/password";
import { limitedSignIn, signInRetryAfter } from "../../lib/auth/ratelimit";
import { sessionRefusal } from "../../lib/auth/session";
import { totp } from "../../lib/auth/totp";
import { config } from "../../lib/config";
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
  await createUser({
    loginId: "officer-shimonoseki",
    name: "下関市担当",
    role: "municipal_officer",
    organizationId: "352012",
    password: PASSWORD,
    totpSecret: SECRET,
  });
  const s = (u: typeof a): SessionUser => ({
    kind: "user" as const,
    id: u.id,
    login: u.loginId,
    name: u.name,
    role: u.role as any,
    organizationId: u.organizationId,
  });
  prefAdmin = s(a);
  cityAdmin = s(b);
});

describe("sign-in", () => {
  it("needs the password and then a valid, unused TOTP code", async () => {
    const now = Date.now();
    expect(await signIn("officer-shimonoseki", PASSWORD, undefined, now)).toEqual({ ok: false, reason: "totp_required" });
    expect(await signIn("officer-shimonoseki", PASSWORD, "000000", now)).toMatchObject({ ok: false, reason: "totp_invalid" });
    const ok = await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, now), now);
    expect(ok).toMatchObject({ ok: true, user: { kind: "user", login: "officer-shimonoseki", role: "municipal_officer", organizationId: "352012" } });
    // The same code cannot be replayed; the replay and the wrong code count towards the lock until a sign-in succeeds.
    expect(await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, now), now)).toMatchObject({ ok: false, reason: "totp_invalid" });
    expect((await db().user.findUniqueOrThrow({ where: { loginId: "officer-shimonoseki" } })).failedAttempts).toBe(1);
    expect(await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, now + 30_000), now + 30_000)).toMatchObject({ ok: true });
    expect((await db().user.findUniqueOrThrow({ where: { loginId: "officer-shimonoseki" } })).failedAttempts).toBe(0);
  });

  it("locks after 5 wrong passwords; an admin of the same organisation cannot unlock, one of another can", async () => {
    for (let i = 1; i <= 4; i++) expect(await signIn("officer-shimonoseki", "wrong password!!", undefined)).toMatchObject({ reason: "invalid" });
    expect(await signIn("officer-shimonoseki", "wrong password!!", undefined)).toMatchObject({ reason: "locked" });
    // Even the right password is refused while locked.
    expect(await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, Date.now() + 30_000), Date.now() + 30_000)).toMatchObject({ reason: "locked" });
    const target = await db().user.findUniqueOrThrow({ where: { loginId: "officer-shimonoseki" } });
    const scopeOfAdmin = (u: SessionUser) => adminScopeOf({ kind: "user", id: u.id, login: String(u.id), role: u.role, organizationId: u.organizationId });
    await expect(unlockUser(cityAdmin, target.id, await scopeOfAdmin(cityAdmin))).rejects.toMatchObject({ status: 403 });
    expect((await db().user.findUniqueOrThrow({ where: { id: target.id } })).lockedAt).not.toBeNull();
    await unlockUser(prefAdmin, target.id, await scopeOfAdmin(prefAdmin));
    const later = Date.now() + 90_000;
    expect(await signIn("officer-shimonoseki", PASSWORD, totp(SECRET, later), later)).toMatchObject({ ok: true });
  });
});

describe("sign-in hardening", () => {
  const at = (ms: number) => Date.now() + ms;

  it("wrong TOTP codes count towards the lock: guessing codes locks the account and ends its sessions", async () => {
    const u = await createUser({ loginId: "totp-guesser", name: "TOTP", role: "monitor", organizationId: "350001", password: PASSWORD, totpSecret: SECRET });
    const now = Date.now();
    const right = totp(SECRET, now);
    const wrong = ["000000", "111111", "222222", "333333", "444444"].filter((c) => c !== right).slice(0, MAX_FAILED_PASSWORDS);
    for (const code of wrong.slice(0, -1)) expect(await signIn("totp-guesser", PASSWORD, code, now)).toMatchObject({ ok: false, reason: "totp_invalid" });
    expect(await signIn("totp-guesser", PASSWORD, wrong.at(-1), now)).toMatchObject({ ok: false, reason: "locked" });
    const row = await db().user.findUniqueOrThrow({ where: { id: u.id } });
    expect(row.lockedAt).not.toBeNull();
    expect(row.sessionVersion).toBe(u.sessionVersion + 1);
    // The right code does not help any more.
    expect(await signIn("totp-guesser", PASSWORD, right, now)).toMatchObject({ ok: false, reason: "locked" });
    const locked = (await db().consoleAuditEvent.findMany({ where: { action: "account_locked", actorLogin: "totp-guesser" } })).map((r) => r.details);
    expect(JSON.stringify(locked)).toContain("totp");
  });

  it("an unknown and a known login id both cost one scrypt verification, and the unknown one is recorded", async () => {
    let before = passwordVerifications.count;
    expect(await signIn("nobody-here", "some guessed password", undefined)).toEqual({ ok: false, reason: "invalid" });
    expect(passwordVerifications.count).toBe(before + 1);
    before = passwordVerifications.count;
    expect(await signIn("admin-pref", "some guessed password", undefined)).toEqual({ ok: false, reason: "invalid" });
    expect(passwordVerifications.count).toBe(before + 1);
    await db().user.update({ where: { loginId: "admin-pref" }, data: { failedAttempts: 0 } });
    const rec = await db().consoleAuditEvent.findFirst({ where: { action: "signin_failure", actorLogin: "nobody-here" } });
    expect(rec?.details).toContain("unknown_user");
  });

  it("rate limits a login id after N failures: 429 with Retry-After from the sign-in route, counters in the database", async () => {
    const n = config().SIGNIN_LIMIT_PER_ACCOUNT;
    for (let i = 0; i < n; i++)
      expect(await limitedSignIn("ghost-account", "wrong password " + i, undefined, `198.51.100.${i}`)).toMatchObject({ reason: "invalid" });
    expect((await db().signInRateLimit.findUniqueOrThrow({ where: { key: "account:ghost-account" } })).points).toBe(n);
    const before = passwordVerifications.count;
    const limited = await limitedSignIn("ghost-account", "wrong password", undefined, "198.51.100.250");
    expect(limited).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(passwordVerifications.count).toBe(before); // refused without looking at the credentials
    const retryAfter = (limited as { retryAfter: number }).retryAfter;
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(config().SIGNIN_LIMIT_WINDOW_SECONDS);

    const post = (loginId: string, address: string) =>
      authPost(
        new NextRequest("http://localhost:3000/api/auth/callback/credentials", {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": address },
          body: new URLSearchParams({ csrfToken: "x", loginId, password: "wrong password", totp: "", json: "true" }),
        }),
        { params: Promise.resolve({ nextauth: ["callback", "credentials"] }) },
      );
    const res = await post("ghost-account", "198.51.100.251");
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(new URL((await res.json()).url).searchParams.get("error")).toBe("rate_limited");
  });

  it("rate limits a source address after N failures across login ids", async () => {
    const n = config().SIGNIN_LIMIT_PER_ADDRESS;
    const address = "203.0.113.77";
    for (let i = 0; i < n; i++) expect(await limitedSignIn(`spray-${i}`, "Winter2026!!!", undefined, address)).toMatchObject({ reason: "invalid" });
    expect(await signInRetryAfter("spray-new", address)).toBeGreaterThan(0);
    expect(await limitedSignIn("spray-new", "Winter2026!!!", undefined, address)).toMatchObject({ reason: "rate_limited" });
    // Another address is not affected.
    expect(await signInRetryAfter("spray-new", "203.0.113.78")).toBeUndefined();
  });

  it("a successful sign-in clears the login id's counter", async () => {
    await createUser({ loginId: "counter-reset", name: "C", role: "monitor", organizationId: "350001", password: PASSWORD });
    await limitedSignIn("counter-reset", "wrong password!!", undefined, "192.0.2.1");
    expect(await db().signInRateLimit.findUnique({ where: { key: "account:counter-reset" } })).not.toBeNull();
    expect(await limitedSignIn("counter-reset", PASSWORD, undefined, "192.0.2.1")).toMatchObject({ ok: true });
    expect(await db().signInRateLimit.findUnique({ where: { key: "account:counter-reset" } })).toBeNull();
  });

  it("a session whose version is stale is refused: sign-out and a password reset end every earlier session", async () => {
    const u = await createUser({ loginId: "session-user", name: "S", role: "monitor", organizationId: "350001", password: PASSWORD });
    const result = await signIn("session-user", PASSWORD, undefined);
    expect(result.ok).toBe(true);
    const user = (result as { user: SessionUser }).user;
    const nowS = Math.floor(Date.now() / 1000);
    const token: SessionClaims = { user, authAt: nowS };
    const check = async () => sessionRefusal(token, await db().user.findUnique({ where: { id: u.id } }), nowS, 8 * 3600);
    expect(await check()).toBeUndefined();

    // Sign-out (next-auth's signOut event with the token being signed out).
    await authOptions.events!.signOut!({ token: token as never, session: undefined as never });
    expect(await check()).toBe("session ended");

    // A new session, then a password reset by user:create.
    const again = (await signIn("session-user", PASSWORD, undefined)) as { user: SessionUser };
    const token2: SessionClaims = { user: again.user, authAt: nowS };
    expect(sessionRefusal(token2, await db().user.findUnique({ where: { id: u.id } }), nowS, 8 * 3600)).toBeUndefined();
    const before = (await db().user.findUniqueOrThrow({ where: { id: u.id } })).sessionVersion;
    await createUser({ loginId: "session-user", name: "S", role: "monitor", organizationId: "350001", password: PASSWORD + " new" });
    const after = await db().user.findUniqueOrThrow({ where: { id: u.id } });
    expect(after.sessionVersion).toBe(before + 1);
    expect(sessionRefusal(token2, after, nowS, 8 * 3600)).toBe("session ended");
  });

  it("stores the TOTP secret sealed (the column does not hold the base32 secret) and still verifies; clear secrets are sealed on first use and by setup", async () => {
    const row = await db().user.findUniqueOrThrow({ where: { loginId: "officer-shimonoseki" } });
    expect(row.totpSecret).toMatch(/^v1:/);
    expect(row.totpSecret).not.toContain(SECRET);
    // The column as stored, read with plain SQL (the same statement on SQLite and PostgreSQL).
    const raw = JSON.stringify(await db().$queryRawUnsafe(`SELECT "totpSecret" FROM "User"`));
    expect(raw).toContain("v1:");
    expect(raw).not.toContain(SECRET);

    // A secret stored in clear before encryption: sealed at its first use, and sign-in works throughout.
    const clear = await createUser({ loginId: "legacy-totp", name: "L", role: "monitor", organizationId: "350001", password: PASSWORD, totpSecret: SECRET });
    await db().user.update({ where: { id: clear.id }, data: { totpSecret: SECRET } });
    const t = at(120_000);
    expect(await signIn("legacy-totp", PASSWORD, totp(SECRET, t), t)).toMatchObject({ ok: true });
    const sealed = (await db().user.findUniqueOrThrow({ where: { id: clear.id } })).totpSecret!;
    expect(sealed).toMatch(/^v1:/);
    expect(await readTotpSecret({ id: clear.id, totpSecret: sealed })).toBe(SECRET);
    // setup's pass seals whatever is still clear.
    await db().user.update({ where: { id: clear.id }, data: { totpSecret: SECRET } });
    expect(await resealTotpSecrets()).toBe(1);
    expect((await db().user.findUniqueOrThrow({ where: { id: clear.id } })).totpSecret).toMatch(/^v1:/);
  });

  it("the replay check is atomic: two concurrent sign-ins with the same code, exactly one succeeds", async () => {
    await createUser({ loginId: "replay-race", name: "R", role: "monitor", organizationId: "350001", password: PASSWORD, totpSecret: SECRET });
    const t = Date.now();
    const code = totp(SECRET, t);
    const results = await Promise.all([signIn("replay-race", PASSWORD, code, t), signIn("replay-race", PASSWORD, code, t)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: "totp_invalid" }]);
  });
});

describe("console audit trail", () => {
  it("records sign-ins and lock events in an intact chain, and the verify command detects a tampered record", async () => {
    const actions = (await db().consoleAuditEvent.findMany({ orderBy: { seq: "asc" } })).map((r) => r.action);
    expect(actions).toEqual(expect.arrayContaining(["signin", "signin_failure", "account_locked", "account_unlock_refused", "account_unlocked"]));
    expect(await verifyAuditChain()).toMatchObject({ ok: true });

    const env = { ...process.env };
    const verify = () =>
      spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "tsx", "dist", "cli.mjs"), path.join(REPO_ROOT, "scripts", "audit-verify.ts")], {
        env,
        encoding: "utf8",
      });
    expect(verify().status).toBe(0);

    // Tamper with one record directly in the database with plain SQL, as an attacker with access to it would.
    expect(await db().$executeRawUnsafe(`UPDATE "ConsoleAuditEvent" SET "actorLogin" = 'someone-else' WHERE seq = 2`)).toBe(1);
    const broken = verify();
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/BROKEN at record 2: record 2 was altered/);
    expect(await verifyAuditChain()).toMatchObject({ ok: false, brokenAt: 2 });
  });
});
