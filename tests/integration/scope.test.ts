/**
 * The one scope mechanism against the real SQLite registry and Elasticsearch:
 * what each kind of principal reads through the scoped search helpers,
 * auditors limited to their engagement's municipalities and audit period.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../lib/auth/accounts";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { scopeOf, subtree, systemScope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { scopedBuckets, scopedCount, scopedSearch } from "../../lib/es/scoped";
import { at, ev, ingest, PREF, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const OPERATOR: Record<string, string> = { [SHIMONOSEKI]: "OP-352012-931", [YAMAGUCHI]: "OP-352039-931" };
const mine = { terms: { "user.id": Object.values(OPERATOR) } };
let monitor: Principal, officer: Principal, auditor: Principal, lateAuditor: Principal;

async function principal(loginId: string, role: Principal["role"], organizationId: string): Promise<Principal> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: "scope integration password" });
  return { kind: "user", id: u.id, login: String(u.id), role, organizationId };
}

beforeAll(async () => {
  await useFixtureRegistry();
  monitor = await principal("scope-monitor", "monitor", PREF);
  officer = await principal("scope-officer", "municipal_officer", SHIMONOSEKI);
  auditor = await principal("scope-auditor", "auditor", PREF);
  lateAuditor = await principal("scope-late-auditor", "auditor", PREF);
  const now = Date.now();
  const engagement = (auditorId: string, accessFrom: number, accessTo: number) =>
    db().auditEngagement.create({
      data: {
        firm: "スコープ監査法人",
        fiscalYear: 2019,
        accessFrom: new Date(accessFrom),
        accessTo: new Date(accessTo),
        auditFrom: new Date("2019-06-01T00:00:00+09:00"),
        auditTo: new Date("2019-07-01T00:00:00+09:00"),
        prefectureId: PREF,
        organizations: { create: [{ organizationId: SHIMONOSEKI }] },
        auditors: { create: [{ userId: auditorId }] },
      },
    });
  await engagement(auditor.id, now - 86_400_000, now + 86_400_000);
  await engagement(lateAuditor.id, now - 10 * 86_400_000, now - 86_400_000);
  // Per municipality: 2 searches inside the audit period (June 2019), 3 outside it (May 2019).
  const events = [];
  for (const org of [SHIMONOSEKI, YAMAGUCHI]) {
    for (const d of ["2019-06-03", "2019-06-28"]) events.push(ev({ t: at(d, "10:00"), org, user: OPERATOR[org] }));
    for (const d of ["2019-05-07", "2019-05-08", "2019-05-31"]) events.push(ev({ t: at(d, "10:00"), org, user: OPERATOR[org] }));
  }
  await ingest(events);
});

describe("scopes", () => {
  it("a monitor reads the prefecture's subtree, an officer only the municipality", async () => {
    expect(await scopedCount(await scopeOf(monitor), "events", mine)).toBe(10);
    const officerScope = await scopeOf(officer);
    expect(officerScope.organizations).toEqual([SHIMONOSEKI]);
    expect(await scopedCount(officerScope, "events", mine)).toBe(5);
    const res = await scopedSearch<{ organization: { id: string } }>(officerScope, "events", { size: 20, query: mine });
    expect(new Set(res.hits.hits.map((h) => h._source!.organization.id))).toEqual(new Set([SHIMONOSEKI]));
  });

  it("asking for an organisation outside the scope is 403, never an empty answer", async () => {
    const s = await scopeOf(officer);
    const e = (() => {
      try {
        s.narrow(YAMAGUCHI);
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).status).toBe(403);
  });

  it("an auditor reads only the engagement's municipalities, and only inside the audit period", async () => {
    const s = await scopeOf(auditor);
    expect(s.organizations).toEqual([SHIMONOSEKI]);
    expect(await scopedCount(s, "events", mine)).toBe(2);
    const days: string[] = [];
    for await (const b of scopedBuckets(s, "events", mine, [{ day: { terms: { field: "jukinet.time.date" } } }])) days.push(b.key.day as string);
    expect(days.sort()).toEqual(["2019-06-03", "2019-06-28"]);
  });

  it("an auditor whose access period is over has no scope at all (403)", async () => {
    const e = await scopeOf(lateAuditor).then(
      () => undefined,
      (x) => x,
    );
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).status).toBe(403);
  });

  it("the system scope is explicit and sees everything", async () => {
    expect(await scopedCount(systemScope("test"), "events", mine)).toBe(10);
  });

  it("subtree terminates on a parent cycle", async () => {
    await db().organization.upsert({ where: { id: "999994" }, create: { id: "999994", name: "循環A", kind: "agency" }, update: {} });
    await db().organization.upsert({ where: { id: "999986" }, create: { id: "999986", name: "循環B", kind: "agency", parentId: "999994" }, update: {} });
    await db().organization.update({ where: { id: "999994" }, data: { parentId: "999986" } });
    expect((await subtree("999994")).sort()).toEqual(["999986", "999994"]);
    await db().organization.update({ where: { id: "999994" }, data: { parentId: null } });
    await db().organization.deleteMany({ where: { id: { in: ["999986", "999994"] } } });
  });
});
