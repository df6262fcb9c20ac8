/**
 * System-work records (連携制御記録, issue 18 item 4) against the real
 * database: release of link control is refused without both confirmations
 * (each by a named person), scope (another municipality's record is not
 * found, another municipality cannot be given one), the prefecture keeps its
 * municipalities' records, and the steps' actual dates follow the record.
 * The detector side is a rule sample (detectors/rules/maintenance-window-update/samples/).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthError, type Principal } from "../../lib/auth/principal";
import { createUser } from "../../lib/auth/accounts";
import { db } from "../../lib/db";
import {
  confirmForRelease,
  createSystemWork,
  getSystemWork,
  listSystemWork,
  releaseLinkControl,
  setLinkControl,
  SystemWorkError,
} from "../../domain/systemwork/records";
import { PREF, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const PASSWORD = "system work integration password";
let officer: Principal, otherOfficer: Principal, monitor: Principal, auditor: Principal;
const created: string[] = [];

async function user(loginId: string, role: Principal["role"], organizationId: string): Promise<Principal> {
  const u = await createUser({ loginId, name: loginId, role, organizationId, password: PASSWORD });
  return { kind: "user" as const, id: u.id, login: u.loginId, role, organizationId };
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => expect.unreachable("expected a refusal"),
    (e) => e,
  );
}

const input = (organizationId: string) => ({
  organizationId,
  title: "住民記録システム更改（統合テスト）",
  vendor: "株式会社テスト情報",
  purpose: "renewal",
  steps: [
    { step: "work_start", plannedAt: "2026-11-02T18:00:00+09:00" },
    { step: "link_control_set", plannedAt: "2026-11-02T18:30:00+09:00" },
    { step: "operation_test", plannedAt: "2026-11-03T10:00:00+09:00" },
    { step: "test_data_delete", plannedAt: "2026-11-03T15:00:00+09:00" },
    { step: "link_control_release", plannedAt: "2026-11-03T17:00:00+09:00" },
    { step: "work_end", plannedAt: "2026-11-03T18:00:00+09:00" },
  ],
});

beforeAll(async () => {
  await useFixtureRegistry();
  officer = await user("sw-shimonoseki", "municipal_officer", SHIMONOSEKI);
  otherOfficer = await user("sw-yamaguchi", "municipal_officer", YAMAGUCHI);
  monitor = await user("sw-monitor", "monitor", PREF);
  auditor = await user("sw-auditor", "auditor", PREF);
});

afterAll(async () => {
  await db().systemWork.deleteMany({ where: { id: { in: created } } });
});

describe("system-work records and link control", () => {
  let id: string;

  it("an officer records system work for their own organisation only", async () => {
    const w = await createSystemWork(officer, input(SHIMONOSEKI));
    created.push(w.id);
    id = w.id;
    expect(w.organizationId).toBe(SHIMONOSEKI);
    // Another municipality: outside the officer's scope.
    const e = await failure(createSystemWork(officer, input(YAMAGUCHI)));
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).status).toBe(403);
    // Bad input names the field.
    const bad = await failure(createSystemWork(officer, { ...input(SHIMONOSEKI), vendor: "  " }));
    expect(bad).toBeInstanceOf(SystemWorkError);
    expect((bad as SystemWorkError).missing).toEqual(["vendor"]);
    const badDate = await failure(createSystemWork(officer, { ...input(SHIMONOSEKI), steps: [{ step: "work_end", plannedAt: "not a date" }] }));
    expect((badDate as SystemWorkError).missing).toEqual(["work_end.plannedAt"]);
    // An auditor keeps no records.
    expect(await failure(createSystemWork(auditor, input(SHIMONOSEKI)))).toBeInstanceOf(Error);
  });

  it("another municipality's record is not found, not listed and cannot be changed", async () => {
    const e = await failure(getSystemWork(otherOfficer, id));
    expect(e).toBeInstanceOf(AuthError);
    expect((e as AuthError).status).toBe(404);
    expect((await listSystemWork(otherOfficer)).map((w) => w.id)).not.toContain(id);
    const set = await failure(setLinkControl(otherOfficer, id, { by: "山口 太郎" }));
    expect((set as AuthError).status).toBe(404);
    expect((await db().systemWork.findUniqueOrThrow({ where: { id } })).linkControlSetAt).toBeNull();
    // The prefecture's staff see it.
    expect((await listSystemWork(monitor)).map((w) => w.id)).toContain(id);
  });

  it("refuses release without both confirmations, naming what is missing; releases once both are recorded", async () => {
    const now = new Date();
    const setAt = new Date(now.getTime() - 3 * 3_600_000);
    const notSet = await failure(releaseLinkControl(officer, id, { by: "下関 花子" }));
    expect((notSet as SystemWorkError).code).toBe("not_set");
    await setLinkControl(officer, id, { by: "下関 花子", at: setAt }, now);

    const none = await failure(releaseLinkControl(officer, id, { by: "下関 花子" }, now));
    expect(none).toBeInstanceOf(SystemWorkError);
    expect((none as SystemWorkError).code).toBe("release_refused");
    expect((none as SystemWorkError).missing).toEqual(["tests_not_ended", "test_data_not_deleted"]);

    // A confirmation needs a named person and cannot predate link control.
    expect(((await failure(confirmForRelease(officer, id, "tests_ended", { by: " " }, now))) as SystemWorkError).code).toBe("bad_input");
    expect(
      ((await failure(confirmForRelease(officer, id, "tests_ended", { by: "ベンダー 山田", at: new Date(setAt.getTime() - 60_000) }, now))) as SystemWorkError)
        .code,
    ).toBe("bad_time");
    await confirmForRelease(officer, id, "tests_ended", { by: "ベンダー 山田", at: new Date(now.getTime() - 3_600_000) }, now);
    const one = await failure(releaseLinkControl(officer, id, { by: "下関 花子" }, now));
    expect((one as SystemWorkError).missing).toEqual(["test_data_not_deleted"]);
    expect((await db().systemWork.findUniqueOrThrow({ where: { id } })).linkControlReleasedAt).toBeNull();

    // The prefecture's monitor may record the second confirmation for its municipality.
    await confirmForRelease(monitor, id, "test_data_deleted", { by: "県 情報政策課 佐藤", at: new Date(now.getTime() - 1_800_000) }, now);
    const releasedAt = await releaseLinkControl(officer, id, { by: "下関 花子" }, now);
    const row = await db().systemWork.findUniqueOrThrow({ where: { id } });
    expect(row.linkControlReleasedAt?.toISOString()).toBe(releasedAt.toISOString());
    expect([row.testsEndedBy, row.testDataDeletedBy, row.linkControlReleasedBy]).toEqual(["ベンダー 山田", "県 情報政策課 佐藤", "下関 花子"]);
    expect(((await failure(releaseLinkControl(officer, id, { by: "下関 花子" }, now))) as SystemWorkError).code).toBe("already_released");

    // The steps' actual dates follow the record.
    const w = await getSystemWork(officer, id);
    const actual = Object.fromEntries(w.stepList.map((s) => [s.step, s.actualAt]));
    expect(actual.link_control_set).toBe(setAt.toISOString());
    expect(actual.link_control_release).toBe(releasedAt.toISOString());
    expect(actual.operation_test).not.toBeNull();
    expect(actual.test_data_delete).not.toBeNull();
    expect(actual.work_end).toBeNull();
  });

  it("the detection registry sees records with link control set", async () => {
    const { loadRegistry } = await import("../../detectors/registry");
    const r = await loadRegistry();
    const mine = r.linkControl?.find((x) => x.id === id);
    expect(mine).toMatchObject({ organizationId: SHIMONOSEKI, vendor: "株式会社テスト情報", testsEndedBy: "ベンダー 山田" });
  });
});
