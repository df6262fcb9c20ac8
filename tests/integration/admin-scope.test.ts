/**
 * Administration inside the admin's scope (issue 10, point 2), against the
 * real SQLite and Elasticsearch: registry import, organisation tree changes,
 * node tokens, suppressions and exceptions (and what the detection engine
 * does with them), unlocks and the admin listings. Scopes come from
 * `scopeOf` of users created here, as the console makes them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDetectors } from "../../detectors/engine";
import { createUser, unlockUser } from "../../lib/auth/accounts";
import type { SessionUser } from "../../lib/auth/principal";
import { AuthError, type Role } from "../../lib/auth/principal";
import { scopeOf, systemScope, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { scopedSearch } from "../../lib/es/scoped";
import { importRegistry, RegistryImportError } from "../../domain/registry/import";
import { addException, addSuppression, listExceptions, listSuppressions, removeException, removeSuppression } from "../../domain/registry/suppressions";
import { issueNodeToken, listNodes, listNodeTokens, revokeNodeToken } from "../../domain/registry/tokens";
import { listUsers } from "../../domain/registry/users";
import { at, businessWeek, ev, ingest, PREF, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const PASSWORD = "admin scope test password";
const NEW_ORG = "352021"; // 宇部市, created by the prefecture admin below
const TEST_TERMINAL = "TM-352012-08";

let prefAdmin: SessionUser;
let cityAdmin: SessionUser;
let prefScope: Scope;
let cityScope: Scope;

async function user(loginId: string, role: Role, organizationId: string): Promise<SessionUser> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: PASSWORD });
  return { kind: "user" as const, id: u.id, login: u.loginId, name: u.name, role, organizationId };
}
const scopeOfUser = (u: SessionUser) => scopeOf({ kind: "user", id: u.id, login: String(u.id), role: u.role, organizationId: u.organizationId });

/** Everything an import could touch, to prove that a refused file changed nothing. */
const registryState = async () => ({
  organizations: await db().organization.findMany({ orderBy: { id: "asc" } }),
  nodes: await db().node.findMany({ orderBy: { id: "asc" } }),
  terminals: await db().terminal.findMany({ orderBy: { id: "asc" } }),
  operators: await db().operator.findMany({ orderBy: { id: "asc" } }),
  cards: await db().icCard.findMany({ orderBy: { id: "asc" } }),
  purposes: await db().permittedPurpose.findMany({ orderBy: { id: "asc" } }),
  windows: await db().maintenanceWindow.findMany({ orderBy: { id: "asc" } }),
  departments: await db().department.findMany({ orderBy: { id: "asc" } }),
});

async function refusedImport(input: unknown, scope: Scope): Promise<string[]> {
  const before = await registryState();
  const err = await importRegistry(input, scope).catch((e) => e);
  expect(err).toBeInstanceOf(RegistryImportError);
  expect(await registryState()).toEqual(before);
  return (err as RegistryImportError).problems;
}

beforeAll(async () => {
  await useFixtureRegistry();
  prefAdmin = await user("scope-admin-pref", "admin", PREF);
  cityAdmin = await user("scope-admin-shimonoseki", "admin", SHIMONOSEKI);
  await user("scope-admin-national", "admin", "000001");
  await user("scope-admin-pref-locked", "admin", PREF);
  await user("scope-officer-shimonoseki", "municipal_officer", SHIMONOSEKI);
  await user("scope-officer-yamaguchi", "municipal_officer", YAMAGUCHI);
  prefScope = await scopeOfUser(prefAdmin);
  cityScope = await scopeOfUser(cityAdmin);
});

afterAll(async () => {
  const logins = ["scope-admin-pref", "scope-admin-shimonoseki"];
  await db().suppression.deleteMany({ where: { createdBy: { in: logins } } });
  await db().ruleException.deleteMany({ where: { createdBy: { in: logins } } });
  await db().maintenanceWindow.deleteMany({ where: { note: "admin-scope test" } });
  await db().terminal.deleteMany({ where: { id: TEST_TERMINAL } });
  await db().organization.deleteMany({ where: { id: NEW_ORG } });
});

describe("registry import inside the admin's scope", () => {
  it("refuses re-parenting 山口市 under 下関市 by the 下関市 admin, naming the path, and changes nothing", async () => {
    const problems = await refusedImport({ organizations: [{ id: YAMAGUCHI, name: "山口市", kind: "municipality", parent: SHIMONOSEKI }] }, cityScope);
    expect(problems).toEqual([`organizations[0].id: organisation ${YAMAGUCHI} is outside your scope`]);
    // The admin's scope is still its own municipality only.
    expect((await scopeOfUser(cityAdmin)).organizations).toEqual([SHIMONOSEKI]);
  });

  it("rejects the whole file when one row is outside the scope, and rows taken from another organisation", async () => {
    const problems = await refusedImport(
      {
        terminals: [{ id: TEST_TERMINAL, organization: SHIMONOSEKI, ip: "10.35.201.18" }],
        nodes: [{ id: `CS-${YAMAGUCHI}`, type: "municipal_cs", organization: SHIMONOSEKI }],
        operators: [{ id: `OP-${SHIMONOSEKI}-009`, organization: SHIMONOSEKI, cards: [`IC-${YAMAGUCHI}-001`] }],
        permitted_purposes: [{ organization: YAMAGUCHI, schedule: "jukiho", items: ["jukiho-1"] }],
        maintenance_windows: [{ organization: YAMAGUCHI, start: "2031-05-10T18:00:00+09:00", end: "2031-05-11T06:00:00+09:00", note: "admin-scope test" }],
      },
      cityScope,
    );
    expect(problems).toEqual([
      `nodes[0].id: "CS-${YAMAGUCHI}" belongs to organisation ${YAMAGUCHI}, outside your scope`,
      `operators[0].cards[0]: card "IC-${YAMAGUCHI}-001" belongs to organisation ${YAMAGUCHI}, outside your scope`,
      `permitted_purposes[0].organization: organisation ${YAMAGUCHI} is outside your scope`,
      `maintenance_windows[0].organization: organisation ${YAMAGUCHI} is outside your scope`,
    ]);
  });

  it("refuses a municipal admin a department of another organisation, and takes its own", async () => {
    expect(
      await refusedImport({ departments: [{ organization: YAMAGUCHI, name: "市民課", purposes: [{ schedule: "jukiho", items: ["*"] }] }] }, cityScope),
    ).toEqual([`departments[0].organization: organisation ${YAMAGUCHI} is outside your scope`]);
    await importRegistry({ departments: [{ organization: SHIMONOSEKI, name: "admin-scope test", purposes: [] }] }, cityScope);
    expect(await db().department.findMany({ where: { name: "admin-scope test" }, select: { organizationId: true, purposes: true } })).toEqual([
      { organizationId: SHIMONOSEKI, purposes: "[]" },
    ]);
    await db().department.deleteMany({ where: { name: "admin-scope test" } });
  });

  it("lets a municipal admin update rows of its own organisation", async () => {
    await importRegistry(
      {
        terminals: [{ id: TEST_TERMINAL, organization: SHIMONOSEKI, ip: "10.35.201.18" }],
        maintenance_windows: [{ organization: SHIMONOSEKI, start: "2031-05-10T18:00:00+09:00", end: "2031-05-11T06:00:00+09:00", note: "admin-scope test" }],
      },
      cityScope,
    );
    expect(await db().terminal.findUnique({ where: { id: TEST_TERMINAL } })).toMatchObject({ organizationId: SHIMONOSEKI });
    expect(await db().maintenanceWindow.count({ where: { organizationId: SHIMONOSEKI, note: "admin-scope test" } })).toBe(1);
  });

  it("refuses kind changes and new organisations by a municipal admin", async () => {
    expect(await refusedImport({ organizations: [{ id: SHIMONOSEKI, name: "下関市", kind: "agency", parent: PREF }] }, cityScope)).toEqual([
      "organizations[0]: changing an organisation's kind is reserved to administrators of a prefecture or the national centre",
    ]);
    expect(await refusedImport({ organizations: [{ id: NEW_ORG, name: "宇部市", kind: "municipality", parent: SHIMONOSEKI }] }, cityScope)).toEqual([
      "organizations[0]: creating an organisation is reserved to administrators of a prefecture or the national centre",
    ]);
  });

  it("lets the prefecture admin create an organisation in its subtree, but not change its own nor leave its subtree", async () => {
    await importRegistry({ organizations: [{ id: NEW_ORG, name: "宇部市", kind: "municipality", parent: YAMAGUCHI }] }, prefScope);
    expect(await db().organization.findUnique({ where: { id: NEW_ORG } })).toMatchObject({ parentId: YAMAGUCHI });
    expect(await refusedImport({ organizations: [{ id: PREF, name: "山口県", kind: "national", parent: "000001" }] }, prefScope)).toEqual([
      "organizations[0]: you cannot change the kind or parent of your own organisation",
    ]);
    expect(await refusedImport({ organizations: [{ id: SHIMONOSEKI, name: "下関市", kind: "municipality", parent: "000001" }] }, prefScope)).toEqual([
      "organizations[0].parent: organisation 000001 is outside your scope",
    ]);
    expect(await refusedImport({ organizations: [{ id: "000001", name: "全国センター", kind: "national", parent: null }] }, prefScope)).toEqual([
      "organizations[0].id: organisation 000001 is outside your scope",
    ]);
  });

  it("refuses a parent cycle made of the database and the file (prefecture admin)", async () => {
    // In the database 352021's parent is 352039; the file makes 352039 a child of 352021.
    // (A new request's scope: it includes the organisation created above.)
    const scope = await scopeOfUser(prefAdmin);
    expect(scope.includes(NEW_ORG)).toBe(true);
    expect(await refusedImport({ organizations: [{ id: YAMAGUCHI, name: "山口市", kind: "municipality", parent: NEW_ORG }] }, scope)).toEqual([
      `organizations[0].parent: cycle in parents: ${YAMAGUCHI} → ${NEW_ORG} → ${YAMAGUCHI}`,
    ]);
  });
});

describe("node tokens inside the admin's scope", () => {
  it("refuses issuing and revoking a token of another organisation's node", async () => {
    const active = () => db().nodeToken.count({ where: { nodeId: `CS-${YAMAGUCHI}`, revokedAt: null } });
    const before = await active();
    await expect(issueNodeToken(`CS-${YAMAGUCHI}`, cityScope)).rejects.toMatchObject({ status: 403 });
    expect(await active()).toBe(before);

    const foreign = await issueNodeToken(`CS-${YAMAGUCHI}`, prefScope);
    await expect(revokeNodeToken(foreign.id, cityScope)).rejects.toBeInstanceOf(AuthError);
    expect(await db().nodeToken.findUniqueOrThrow({ where: { id: foreign.id } })).toMatchObject({ revokedAt: null });
    await expect(listNodeTokens(`CS-${YAMAGUCHI}`, cityScope)).rejects.toMatchObject({ status: 403 });
    await revokeNodeToken(foreign.id, prefScope);
    expect((await db().nodeToken.findUniqueOrThrow({ where: { id: foreign.id } })).revokedAt).not.toBeNull();

    const own = await issueNodeToken(`CS-${SHIMONOSEKI}`, cityScope);
    expect((await listNodeTokens(undefined, cityScope)).map((t) => t.nodeId)).toEqual(expect.arrayContaining([own.nodeId]));
    expect(new Set((await listNodeTokens(undefined, cityScope)).map((t) => t.nodeId))).toEqual(new Set([`CS-${SHIMONOSEKI}`]));
    await revokeNodeToken(own.id, cityScope);
    expect((await listNodes(cityScope)).map((n) => n.id)).toEqual([`CS-${SHIMONOSEKI}`]);
  });
});

describe("suppressions and exceptions inside the admin's scope", () => {
  const until = () => new Date(Date.now() + 30 * 86_400_000);

  it("refuses muting another municipality's entity and removing another organisation's suppression", async () => {
    const count = () => Promise.all([db().suppression.count(), db().ruleException.count()]);
    const before = await count();
    const foreign = {
      ruleId: "after-hours-access" as const,
      entityType: "operator" as const,
      entityId: `OP-${YAMAGUCHI}-002`,
      until: until(),
      reason: "not mine",
    };
    await expect(addSuppression(foreign, cityAdmin.login, cityScope)).rejects.toMatchObject({ status: 403 });
    await expect(addException(foreign, cityAdmin.login, cityScope)).rejects.toMatchObject({ status: 403 });
    // An entity the registry does not know takes the organisation named — which must be in scope too.
    await expect(
      addSuppression({ ...foreign, entityType: "recipient", entityId: "nenkin-kiko", organizationId: YAMAGUCHI }, cityAdmin.login, cityScope),
    ).rejects.toMatchObject({ status: 403 });
    expect(await count()).toEqual(before);

    const prefs = await addSuppression({ ...foreign, reason: "prefecture decision" }, prefAdmin.login, prefScope);
    const prefx = await addException({ ...foreign, reason: "prefecture decision" }, prefAdmin.login, prefScope);
    expect(prefs.organizationId).toBe(YAMAGUCHI);
    await expect(removeSuppression(prefs.id, cityScope)).rejects.toMatchObject({ status: 403 });
    await expect(removeException(prefx.id, cityScope)).rejects.toMatchObject({ status: 403 });
    expect(await db().suppression.findUnique({ where: { id: prefs.id } })).not.toBeNull();
    expect(await db().ruleException.findUnique({ where: { id: prefx.id } })).not.toBeNull();

    // The listings show only the scope.
    expect((await listSuppressions(cityScope)).map((s) => s.id)).not.toContain(prefs.id);
    expect((await listExceptions(cityScope)).map((x) => x.id)).not.toContain(prefx.id);
    expect((await listSuppressions(prefScope)).map((s) => s.id)).toContain(prefs.id);
    await removeSuppression(prefs.id, prefScope);
    await removeException(prefx.id, prefScope);
  });

  it("applies a municipality's suppression only to its own alerts, a prefecture's exception to its whole subtree", async () => {
    const RULE = "after-hours-access";
    const day = businessWeek("2026-03-02");
    const window = { from: new Date(at(day(0), "00:00")), to: new Date(at(day(5), "00:00")) };
    // Operators the registry does not know, active after hours in both municipalities.
    const shared = "OP-SHARED-001";
    const both = "OP-SHARED-002";
    await ingest([
      ev({ t: at(day(1), "21:00"), org: SHIMONOSEKI, user: shared, resident: "50000009001" }),
      ev({ t: at(day(1), "21:10"), org: YAMAGUCHI, user: shared, resident: "50000009002" }),
      ev({ t: at(day(2), "21:00"), org: SHIMONOSEKI, user: both, resident: "50000009003" }),
      ev({ t: at(day(2), "21:10"), org: YAMAGUCHI, user: both, resident: "50000009004" }),
    ]);
    // 下関市 mutes "its" OP-SHARED-001 (unknown to the registry: owned by the admin's organisation).
    const s = await addSuppression(
      { ruleId: RULE, entityType: "operator", entityId: shared, until: until(), reason: "overtime approved" },
      cityAdmin.login,
      cityScope,
    );
    expect(s.organizationId).toBe(SHIMONOSEKI);
    // The prefecture excepts OP-SHARED-002 for its whole subtree.
    const x = await addException({ ruleId: RULE, entityType: "operator", entityId: both, reason: "prefecture batch" }, prefAdmin.login, prefScope);
    expect(x.organizationId).toBe(PREF);

    const summary = await runDetectors(window, { rules: [RULE], trigger: "test" });
    expect(summary.rules[0].error).toBeUndefined();
    const res = await scopedSearch<{ organization: { id: string }; entity: { id: string } }>(systemScope("test"), "alerts", {
      size: 100,
      query: { bool: { filter: [{ term: { "rule.id": RULE } }, { terms: { "entity.id": [shared, both] } }] } },
    });
    const written = res.hits.hits.map((h) => `${h._source!.entity.id}@${h._source!.organization.id}`).sort();
    expect(written).toEqual([`${shared}@${YAMAGUCHI}`]);
    expect(summary.rules[0].suppressed).toBe(3);
  });
});

describe("unlock inside the admin's scope", () => {
  const lock = (loginId: string) => db().user.update({ where: { loginId }, data: { lockedAt: new Date(), failedAttempts: 5 } });
  const lockedAt = async (loginId: string) => (await db().user.findUniqueOrThrow({ where: { loginId } })).lockedAt;

  it("refuses the municipal admin unlocking the prefecture admin, and allows the prefecture admin unlocking a municipal user", async () => {
    await lock("scope-admin-pref-locked");
    await lock("scope-officer-shimonoseki");
    await lock("scope-officer-yamaguchi");
    const id = async (loginId: string) => (await db().user.findUniqueOrThrow({ where: { loginId } })).id;

    await expect(unlockUser(cityAdmin, await id("scope-admin-pref-locked"), cityScope)).rejects.toMatchObject({ status: 403 });
    expect(await lockedAt("scope-admin-pref-locked")).not.toBeNull();
    await expect(unlockUser(cityAdmin, await id("scope-officer-yamaguchi"), cityScope)).rejects.toMatchObject({ status: 403 });
    expect(await lockedAt("scope-officer-yamaguchi")).not.toBeNull();
    const refused = await db().consoleAuditEvent.findFirst({
      where: { action: "account_unlock_refused", target: "scope-admin-pref-locked" },
      orderBy: { seq: "desc" },
    });
    expect(refused).toMatchObject({ actorLogin: cityAdmin.login, scope: JSON.stringify([SHIMONOSEKI]) });
    // Still "another organisation": the prefecture admin cannot release a colleague of its own prefecture.
    await expect(unlockUser(prefAdmin, await id("scope-admin-pref-locked"), prefScope)).rejects.toMatchObject({ status: 403 });

    await unlockUser(prefAdmin, await id("scope-officer-shimonoseki"), prefScope);
    expect(await lockedAt("scope-officer-shimonoseki")).toBeNull();
    const done = await db().consoleAuditEvent.findFirst({
      where: { action: "account_unlocked", target: "scope-officer-shimonoseki" },
      orderBy: { seq: "desc" },
    });
    expect(JSON.parse(done!.scope!)).toEqual(prefScope.organizations);
  });
});

describe("admin listings", () => {
  it("list only users of organisations in the scope", async () => {
    const city = await listUsers(cityScope);
    expect(city.length).toBeGreaterThan(0);
    expect(new Set(city.map((u) => u.organizationId))).toEqual(new Set([SHIMONOSEKI]));
    const pref = (await listUsers(prefScope)).map((u) => u.loginId);
    expect(pref).toEqual(expect.arrayContaining(["scope-admin-pref", "scope-admin-shimonoseki", "scope-officer-yamaguchi"]));
    expect(pref).not.toContain("scope-admin-national");
    expect(city[0]).not.toHaveProperty("passwordHash");
    expect(city[0]).not.toHaveProperty("totpSecret");
  });
});
