/**
 * After-hours permits (時間外使用の承認, INTERFACE.md §5 `after_hours_permits`; issue 11, item 4) against the
 * real SQLite and Elasticsearch: permits from a registry file leave approved overtime out of
 * `after-hours-access`, work outside a permit fires with the nearly covering permit in the evidence, and
 * permits are added and removed by an organisation's admin only inside its scope.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../../lib/auth/accounts";
import type { SessionUser } from "../../lib/auth/principal";
import { AuthError, type Role } from "../../lib/auth/principal";
import { scopeOf, systemScope, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { importRegistry, RegistryImportError } from "../../domain/registry/import";
import { addPermit, listPermits, permitInput, removePermit } from "../../domain/registry/permits";
import { at, DATES, detect, ev, ingest, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const RULE = "after-hours-access";
const OP4 = `OP-${SHIMONOSEKI}-004`;
const OP5 = `OP-${SHIMONOSEKI}-005`;
// Month-end in this file's period (a Thursday and a Friday, both business days).
const D1 = "2026-01-29";
const D2 = "2026-01-30";
const PASSWORD = "permits test password";

async function user(loginId: string, role: Role, organizationId: string): Promise<{ user: SessionUser; scope: Scope }> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: PASSWORD });
  return {
    user: { kind: "user" as const, id: u.id, login: u.loginId, name: u.name, role, organizationId },
    scope: await scopeOf({ kind: "user", id: u.id, login: String(u.id), role, organizationId }),
  };
}

/** The month-end overtime approved for OP4 on both days, 17:15–19:00. */
const overtime = (d: string) => ({
  organization: SHIMONOSEKI,
  operators: [OP4],
  start: at(d, "17:15"),
  end: at(d, "19:00"),
  reason: "月末の届出処理（時間外使用承認）",
});

/** The same evening's work: a search and a view every ten minutes from `from` for 40 minutes. */
const work = (d: string, from: string, op: string, n0: number) =>
  [0, 10, 20, 30, 40].flatMap((m, i) => {
    const t = new Date(Date.parse(at(d, from)) + m * 60_000 + 9 * 3600_000).toISOString().slice(11, 16);
    return [ev({ t: at(d, t), user: op, resident: resident(n0 + i) }), ev({ t: at(d, t, 30), action: "view", user: op, resident: resident(n0 + i) })];
  });

beforeAll(async () => {
  expect(D1 >= DATES.permits.start && D2 < DATES.permits.end).toBe(true);
  await useFixtureRegistry({
    after_hours_permits: [overtime(D1), overtime(D2), { organization: YAMAGUCHI, start: at(D1, "17:30"), end: at(D1, "20:00"), reason: "山口市 全職員" }],
  });
  await ingest([
    // Covered: OP4's work 18:10–18:50 on D1, inside the permit.
    ...work(D1, "18:10", OP4, 100),
    // Not covered: the same work one hour later on D2, 19:10–19:50, after the permit ended at 19:00.
    ...work(D2, "19:10", OP4, 200),
    // Not covered: OP5 is not named in the permit, working at the same time on D1.
    ...work(D1, "18:10", OP5, 300),
    // Covered: 山口市's permit names no operator, so it covers every operator of 山口市.
    ...work(D1, "18:10", `OP-${YAMAGUCHI}-002`, 400).map((e) => ({
      ...e,
      organization: { id: YAMAGUCHI },
      observer: { id: `CS-${YAMAGUCHI}`, type: "municipal_cs" },
      host: { id: `TM-${YAMAGUCHI}-01` },
    })),
  ]);
});

describe("after-hours permits in after-hours-access", () => {
  it("leaves out work inside a permit, fires one hour after it ended with the permit in the evidence", async () => {
    const { alerts } = await detect(RULE, at(D1, "00:00"), at(D2, "23:59"));
    const mine = alerts.filter((a) => [OP4, OP5, `OP-${YAMAGUCHI}-002`].includes(a.entity.id));
    expect(mine.map((a) => `${a.entity.id}@${a.window.start}`).sort()).toEqual([
      `${OP4}@${new Date(at(D2, "00:00")).toISOString()}`,
      `${OP5}@${new Date(at(D1, "00:00")).toISOString()}`,
    ]);
    const late = mine.find((a) => a.entity.id === OP4)!;
    const e = late.evidence as any;
    expect(e.counts.events).toBe(10);
    expect(e.near_permits).toEqual([
      expect.objectContaining({
        start: new Date(at(D2, "17:15")).toISOString(),
        end: new Date(at(D2, "19:00")).toISOString(),
        operators: [OP4],
        reason: "月末の届出処理（時間外使用承認）",
      }),
    ]);
    // OP5 was not named: no permit nearly covered that operator's work.
    expect((mine.find((a) => a.entity.id === OP5)!.evidence as any).near_permits).toEqual([]);
  });

  it("imports permits idempotently and names the path of a bad entry", async () => {
    const before = await db().afterHoursPermit.count();
    await importRegistry({ after_hours_permits: [overtime(D1), { ...overtime(D1), operators: null }] }, systemScope("test"));
    await importRegistry({ after_hours_permits: [overtime(D1), { ...overtime(D1), operators: null }] }, systemScope("test"));
    expect(await db().afterHoursPermit.count()).toBe(before + 1); // the all-operators variant is new, once
    const err = await importRegistry({ after_hours_permits: [{ ...overtime(D1), start: at(D1, "20:00") }] }, systemScope("test")).catch((x) => x);
    expect(err).toBeInstanceOf(RegistryImportError);
    expect((err as RegistryImportError).problems).toEqual(["after_hours_permits[0]: start must be before end"]);
  });
});

describe("permits managed by an organisation's admin", () => {
  let city: { user: SessionUser; scope: Scope };
  beforeAll(async () => {
    city = await user("permits-admin-shimonoseki", "admin", SHIMONOSEKI);
  });
  const input = (organization: string, operators = "") =>
    permitInput.parse({ organization, operators, start: "2026-02-27T17:15", end: "2026-02-27T19:00", reason: "月末処理" });

  it("adds and removes a permit of its own organisation, and lists only those in scope", async () => {
    const p = await addPermit(input(SHIMONOSEKI, `${OP4}, ${OP5}`), city.user.login, city.scope);
    expect(p).toMatchObject({ organizationId: SHIMONOSEKI, operators: JSON.stringify([OP4, OP5]), createdBy: city.user.login });
    expect(p.start.toISOString()).toBe(new Date("2026-02-27T17:15:00+09:00").toISOString());
    const listed = await listPermits(city.scope);
    expect(listed.some((x) => x.id === p.id)).toBe(true);
    expect(listed.every((x) => x.organizationId === SHIMONOSEKI)).toBe(true);
    await removePermit(p.id, city.scope);
    expect(await db().afterHoursPermit.findUnique({ where: { id: p.id } })).toBeNull();
  });

  it("cannot add a permit for 山口市 (403) nor remove one", async () => {
    const added = await addPermit(input(YAMAGUCHI), city.user.login, city.scope).catch((e) => e);
    expect(added).toBeInstanceOf(AuthError);
    expect((added as AuthError).status).toBe(403);

    const theirs = await db().afterHoursPermit.findFirstOrThrow({ where: { organizationId: YAMAGUCHI } });
    const removed = await removePermit(theirs.id, city.scope).catch((e) => e);
    expect(removed).toBeInstanceOf(AuthError);
    expect((removed as AuthError).status).toBe(403);
    expect(await db().afterHoursPermit.findUnique({ where: { id: theirs.id } })).not.toBeNull();
    expect((await listPermits(city.scope)).some((x) => x.organizationId === YAMAGUCHI)).toBe(false);
  });

  it("refuses operators of another organisation in its own organisation's permit", async () => {
    const err = await addPermit(input(SHIMONOSEKI, `OP-${YAMAGUCHI}-001`), city.user.login, city.scope).catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`OP-${YAMAGUCHI}-001`);
  });
});
