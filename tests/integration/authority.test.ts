/**
 * The four checks of issue 19 against the real Elasticsearch and SQLite: duties outside one's authority
 * (purpose-outside-authority beside purpose-not-permitted), the required authentication method
 * (weak-operator-auth), a batch counted once however the node sent it (summary only, records only, both) and
 * its records in the resident's disclosure, and a change of 住民票コード followed both ways.
 *
 * Dates: fiscal year 2018 (2018-04-01 … 2019-03-31 JST), used by no other integration test file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Principal } from "../../lib/auth/principal";
import { scopeOf, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { auditStatistics } from "../../domain/audits/report";
import { suggestionsFor } from "../../domain/checklist/suggestions";
import { residentRef } from "../../domain/ingest/pseudonym";
import { disclosureFor } from "../../domain/statistics/disclosure";
import { provisionTable } from "../../domain/statistics/provisions";
import { at, detect, ev, FIXTURE_REGISTRY, ingest, PREF, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./detectors/harness";

const officerOf = (org: string): Promise<Scope> =>
  scopeOf({ kind: "user", id: `it-authority-${org}`, login: `it-authority-${org}`, role: "municipal_officer", organizationId: org } satisfies Principal);
const officer = { id: "it-authority-officer", login: "it-authority-officer" };

const TAX_CLERK = `OP-${PREF}-001`;
const PASSPORT_CLERK = `OP-${PREF}-002`;
const R = [resident(190001), resident(190002), resident(190003)];
const OLD_CODE = resident(190010);
const NEW_CODE = resident(190011);

beforeAll(async () => {
  await useFixtureRegistry({
    organizations: FIXTURE_REGISTRY.organizations.map((o) => (o.id === SHIMONOSEKI ? { ...o, required_auth_method: "biometric" } : o)),
    operators: FIXTURE_REGISTRY.operators.map((o) =>
      o.id === TAX_CLERK
        ? { ...o, department: "税務課" }
        : o.id === PASSPORT_CLERK
          ? { ...o, department: "税務課", purposes: [{ schedule: "5", items: ["5-1", "5-3"] }] }
          : o,
    ),
  });
  await db().department.upsert({
    where: { organizationId_name: { organizationId: PREF, name: "税務課" } },
    create: { organizationId: PREF, name: "税務課", purposes: JSON.stringify([{ schedule: "5", items: ["5-1"] }]) },
    update: { purposes: JSON.stringify([{ schedule: "5", items: ["5-1"] }]) },
  });

  const batch = (t: string, id: string | undefined, over: Record<string, unknown> = {}) =>
    ev({
      t,
      org: YAMAGUCHI,
      user: null,
      host: null,
      action: "provide",
      schedule: "jukiho",
      item: "jukiho-5",
      recipient: "shichouson-chou",
      channel: "online_batch",
      ...over,
    });
  const records = (day: string, id: string) =>
    R.map((r, i) => {
      const e = batch(at(day, "02:00", i), id, { resident: r });
      e.jukinet.batch = { id };
      return e;
    });
  const summary = (day: string, id: string | undefined) => {
    const e = batch(at(day, "02:05"), id, { action: "batch_provide", records: 3 });
    if (id) e.jukinet.batch = { id };
    return e;
  };
  await ingest([
    // 1. Authority: the tax clerk (税務課: 5-1 only) on 5-1 and on 5-3 (the prefecture may, the division may not);
    //    the other clerk of the division has its own wider set; 6-1 the prefecture itself may not use.
    ev({ t: at("2018-06-05", "10:00"), org: PREF, user: TAX_CLERK, schedule: "5", item: "5-1", resident: resident(190100) }),
    ev({ t: at("2018-06-05", "10:10"), org: PREF, user: TAX_CLERK, schedule: "5", item: "5-3", resident: resident(190101) }),
    ev({ t: at("2018-06-05", "10:20"), org: PREF, user: TAX_CLERK, schedule: "6", item: "6-1", resident: resident(190102) }),
    ev({ t: at("2018-06-05", "11:00"), org: PREF, user: PASSPORT_CLERK, schedule: "5", item: "5-3", resident: resident(190103) }),
    // 2. Authentication: 下関市 requires vein authentication; 山口市 requires nothing.
    ev({ t: at("2018-06-06", "08:40"), action: "login", user: `OP-${SHIMONOSEKI}-001`, method: "ic_card_password" }),
    ev({ t: at("2018-06-06", "08:45"), action: "login", user: `OP-${SHIMONOSEKI}-002`, card: `IC-${SHIMONOSEKI}-002`, method: "biometric" }),
    ev({ t: at("2018-06-06", "08:50"), action: "login", org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-001`, method: "ic_card_password" }),
    // 3. One batch of three residents a month, sent as summary only (July), records only (August), both (September).
    summary("2018-07-10", undefined),
    ...records("2018-08-10", "B-2018-08"),
    ...records("2018-09-10", "B-2018-09"),
    summary("2018-09-10", "B-2018-09"),
    // 4. 山口市 changes a resident's code on request; provisions before (old code) and after (new code).
    ev({
      t: at("2018-10-01", "09:00"),
      org: YAMAGUCHI,
      action: "provide",
      resident: OLD_CODE,
      schedule: "jukiho",
      item: "jukiho-1",
      recipient: "shichouson-chou",
    }),
    (() => {
      const e = ev({ t: at("2018-10-15", "10:00"), org: YAMAGUCHI, action: "code_change", user: `OP-${YAMAGUCHI}-001`, resident: NEW_CODE });
      e.jukinet.subject.previous_resident_code = OLD_CODE;
      return e;
    })(),
    ev({
      t: at("2018-11-01", "09:00"),
      org: YAMAGUCHI,
      action: "provide",
      resident: NEW_CODE,
      schedule: "jukiho",
      item: "jukiho-2",
      recipient: "shichouson-chou",
    }),
  ]);
});

afterAll(async () => {
  await db().department.deleteMany({ where: { organizationId: PREF, name: "税務課" } });
  await useFixtureRegistry();
});

describe("duties outside one's authority", () => {
  it("raises purpose-outside-authority for the clerk outside the division's purposes, not for the one inside, and never beside purpose-not-permitted", async () => {
    const outside = await detect("purpose-outside-authority", at("2018-06-04", "00:00"), at("2018-06-08", "00:00"));
    expect(outside.alerts.map((a) => a.entity.id)).toEqual([TAX_CLERK]);
    expect(outside.alerts[0].evidence).toMatchObject({
      purposes: [{ schedule: "5", item: "5-3", events: 1 }],
      assigned_from: "department",
      assigned_purposes: { "5": ["5-1"] },
      registered_purposes: { "5": ["5-1", "5-2", "5-3"] },
    });
    const notPermitted = await detect("purpose-not-permitted", at("2018-06-04", "00:00"), at("2018-06-08", "00:00"));
    expect(notPermitted.alerts.map((a) => a.entity.id)).toEqual([TAX_CLERK]);
    const purposes = (a: { evidence: Record<string, unknown> }) =>
      (a.evidence.purposes as { schedule: string; item: string }[]).map((p) => `${p.schedule}/${p.item}`);
    expect(purposes(notPermitted.alerts[0])).toEqual(["6/6-1"]);
    expect(purposes(outside.alerts[0]).filter((p) => purposes(notPermitted.alerts[0]).includes(p))).toEqual([]);
  });
});

describe("required authentication", () => {
  it("raises weak-operator-auth for a card-and-password login where biometrics are required, and is quiet where nothing is", async () => {
    const { alerts } = await detect("weak-operator-auth", at("2018-06-04", "00:00"), at("2018-06-08", "00:00"));
    expect(alerts.map((a) => [a.entity.id, a.organization.id])).toEqual([[`OP-${SHIMONOSEKI}-001`, SHIMONOSEKI]]);
    expect(alerts[0].evidence).toMatchObject({ required_method: "biometric", required_by: "organization", methods: { ic_card_password: 1 } });
  });
});

describe("a batch counted once, whichever way it was sent", () => {
  it("gives the same figure for summary only, records only and both, in the provision table, the audit figures and the checklist", async () => {
    const scope = await officerOf(YAMAGUCHI);
    const table = await provisionTable(scope, { from: "2018-07", to: "2018-09" });
    expect(table.groups.map((g) => [g.recipient.id, g.item, g.rows.map((r) => [r.channel, r.months])])).toEqual([
      ["shichouson-chou", "jukiho-5", [["online_batch", [3, 3, 3]]]],
    ]);
    for (const month of ["07", "08", "09"]) {
      const from = new Date(`2018-${month}-01T00:00:00+09:00`);
      const to = new Date(`2018-${month}-28T00:00:00+09:00`);
      expect((await auditStatistics(scope, YAMAGUCHI, from, to)).provisions, month).toBe(3);
    }
    const s = await suggestionsFor(scope, YAMAGUCHI, 2018, new Date("2018-10-01T00:00:00+09:00"));
    expect(s.signals.provisions?.value).toBe(9);
  });

  it("lists the batch's per-resident records in the resident's disclosure with date, 事務, recipient, channel and batch", async () => {
    const d = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: R[1], from: "2018-07-01", to: "2018-09-30", requestedBy: officer });
    expect(d.rows.map((r) => [r.date, r.item, r.recipient.id, r.channelLabel, r.batch, r.code])).toEqual([
      ["2018-08-10", "jukiho-5", "shichouson-chou", "電気通信回線", "B-2018-08", "asked"],
      ["2018-09-10", "jukiho-5", "shichouson-chou", "電気通信回線", "B-2018-09", "asked"],
    ]);
    expect(d.codeChanges).toEqual([]);
  });
});

describe("a change of 住民票コード followed", () => {
  it("shows the provisions under the new code when asked by the old one, and the reverse, labelled with the change", async () => {
    const scope = await officerOf(YAMAGUCHI);
    const byOld = await disclosureFor(scope, { residentCode: OLD_CODE, from: "2018-09-01", to: "2018-12-31", requestedBy: officer });
    expect(byOld.rows.map((r) => [r.date, r.item, r.code])).toEqual([
      ["2018-10-01", "jukiho-1", "asked"],
      ["2018-11-01", "jukiho-2", "linked"],
    ]);
    expect(byOld.codeChanges).toEqual(["2018-10-15"]);
    const byNew = await disclosureFor(scope, { residentCode: NEW_CODE, from: "2018-09-01", to: "2018-12-31", requestedBy: officer });
    expect(byNew.rows.map((r) => [r.date, r.item, r.code])).toEqual([
      ["2018-10-01", "jukiho-1", "linked"],
      ["2018-11-01", "jukiho-2", "asked"],
    ]);
    expect(byNew.codeChanges).toEqual(["2018-10-15"]);
    // Neither code is stored: only the keyed references.
    expect(residentRef(OLD_CODE)).not.toBe(residentRef(NEW_CODE));
    expect(JSON.stringify(byOld)).not.toContain(OLD_CODE);
  });
});
