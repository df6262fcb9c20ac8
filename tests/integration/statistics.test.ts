/**
 * Statistics reports and resident disclosure against the real Elasticsearch
 * and SQLite: the usage report (seed 003 §4(2)), the provision table (seed 001)
 * and the disclosure list, each checked against hand-computed values and
 * against independent Elasticsearch queries of another shape, plus scope,
 * the XLSX routes and the privacy of the 住民票コード.
 *
 * Dates: fiscal years 2021 and 2022 only (2021-04-01 … 2023-03-31 JST), which
 * no other integration test file uses.
 */
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { GET as getProvisionsXlsx } from "../../app/api/reports/provisions/route";
import { GET as getUsageXlsx } from "../../app/api/reports/usage/route";
import { type Principal } from "../../lib/auth/principal";
import { issueApiToken } from "../../lib/auth/api-tokens";
import { scopeOf, type Scope } from "../../lib/auth/scope";
import { db } from "../../lib/db";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { residentRef } from "../../domain/ingest/pseudonym";
import { DisclosureError, disclosureFor } from "../../domain/statistics/disclosure";
import { provisionTable } from "../../domain/statistics/provisions";
import { usageReport } from "../../domain/statistics/usage";
import { at, ev, ingest, PREF, resident, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./detectors/harness";

const ALL = [PREF, SHIMONOSEKI, YAMAGUCHI, WAKI];
/** Scopes of real principals: the prefecture's staff (its subtree: ALL) and one municipality's officer. */
const staff = () => scopeOf({ kind: "user", id: "it-stats-monitor", login: "it-stats-monitor", role: "monitor", organizationId: PREF } satisfies Principal);
const officerOf = (org: string): Promise<Scope> => scopeOf({ kind: "user", id: `it-stats-${org}`, login: `it-stats-${org}`, role: "municipal_officer", organizationId: org });
const SUBJECT = resident(424242);
const OTHER = resident(424243);
/** A resident 山口市 never handled: only the national centre recorded a provision of them. */
const STRANGER = resident(424244);
/** SUBJECT's code before 山口市 changed it on request (code_change of 2021-07-20). */
const OLD_CODE = resident(424246);
const NATIONAL = "000001";
const BATCH = `SYS-${PREF}-BATCH`;

const search = (t: string, org: string, schedule: string, item: string, over: Record<string, unknown> = {}) => ev({ t, org, schedule, item, ...over });
const provision = (t: string, org: string, over: { action?: string; schedule: string; item: string; recipient: string; channel: string; records?: number; resident?: string; user?: string; outcome?: string }) =>
  ev({ t, org, action: over.action ?? "provide", ...over });

// ---------------------------------------------------------------- fixtures

const SEARCHES = [
  // FY2022 (2022-04-01 00:00 JST is its first instant, 2023-03-31 23:59:59 JST its last)
  search(at("2022-04-01", "00:00"), PREF, "5", "5-1"),
  search(at("2022-06-10", "10:00"), PREF, "5", "5-1"),
  search(at("2023-03-31", "23:59", 59), PREF, "5", "5-1"),
  search(at("2022-05-12", "10:00"), PREF, "5", "5-2"),
  search(at("2022-11-15", "14:00"), PREF, "5", "5-2"),
  search(at("2022-12-01", "09:30"), PREF, "5", "5-5"),
  search(at("2023-01-10", "10:00"), PREF, "6", "6-1"),
  search(at("2022-07-01", "10:00"), PREF, "ordinance", "ordinance-1"),
  search(at("2022-07-02", "10:00"), PREF, "ordinance", "ordinance-1"),
  search(at("2022-09-01", "10:00"), YAMAGUCHI, "ordinance", "ordinance-3"),
  search(at("2022-04-05", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-1"),
  search(at("2022-08-08", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-1"),
  search(at("2023-02-02", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-1"),
  search(at("2022-10-10", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-2"),
  search(at("2022-05-20", "10:00"), YAMAGUCHI, "jukiho", "jukiho-1"),
  search(at("2022-06-20", "10:00"), YAMAGUCHI, "jukiho", "jukiho-1"),
  // not counted: a failed search, and the view that follows a search
  search(at("2022-06-11", "10:00"), PREF, "5", "5-1", { outcome: "failure" }),
  search(at("2022-06-10", "10:01"), PREF, "5", "5-1", { action: "view" }),
  // FY2021
  search(at("2021-04-01", "00:00"), PREF, "5", "5-1"),
  search(at("2022-03-31", "23:59", 59), PREF, "5", "5-1"),
  search(at("2021-06-01", "10:00"), PREF, "5", "5-3"),
  search(at("2021-12-01", "10:00"), PREF, "5", "5-3"),
  search(at("2021-05-01", "10:00"), PREF, "ordinance", "ordinance-1"),
  search(at("2021-11-01", "10:00"), PREF, "ordinance", "ordinance-2"),
  search(at("2021-07-07", "10:00"), SHIMONOSEKI, "jukiho", "jukiho-1"),
  search(at("2021-08-08", "10:00"), WAKI, "jukiho", "jukiho-1"),
];

const unknownRecipient = (() => {
  const e = provision(at("2022-06-30", "23:59", 59), YAMAGUCHI, { schedule: "6", item: "6-2", recipient: "test-kikan", channel: "media", records: 12 });
  e.jukinet.recipient.name = "試験提供先";
  return e;
})();

const PROVISIONS = [
  provision(at("2022-03-31", "23:00"), PREF, { action: "batch_provide", schedule: "2", item: "2-1", recipient: "shichouson-chou", channel: "online_batch", records: 420, user: BATCH }),
  provision(at("2022-04-05", "02:00"), PREF, { action: "batch_provide", schedule: "6", item: "6-1", recipient: "pref-kyoiku-iinkai", channel: "online_batch", records: 650, user: BATCH }),
  provision(at("2022-04-12", "02:00"), PREF, { action: "batch_provide", schedule: "6", item: "6-1", recipient: "pref-kyoiku-iinkai", channel: "online_batch", records: 600, user: BATCH }),
  provision(at("2022-05-10", "02:00"), PREF, { action: "batch_provide", schedule: "6", item: "6-1", recipient: "pref-kyoiku-iinkai", channel: "online_batch", records: 640, user: BATCH }),
  provision(at("2022-05-20", "10:00"), PREF, { action: "batch_provide", schedule: "6", item: "6-1", recipient: "pref-kyoiku-iinkai", channel: "media", records: 30 }),
  // no record_count: ingest stores 1. 2022-05-01 00:30 JST is still April 30 in UTC: it belongs to May.
  provision(at("2022-04-01", "00:00", 10), PREF, { schedule: "6", item: "6-3", recipient: "pref-other-shikkou-kikan", channel: "immediate" }),
  provision(at("2022-05-01", "00:30"), PREF, { schedule: "6", item: "6-3", recipient: "pref-other-shikkou-kikan", channel: "immediate" }),
  provision(at("2022-06-15", "10:00"), PREF, { schedule: "6", item: "6-3", recipient: "pref-other-shikkou-kikan", channel: "immediate", records: 3 }),
  provision(at("2022-04-20", "10:00"), PREF, { schedule: "6", item: "6-3", recipient: "pref-other-shikkou-kikan", channel: "immediate", outcome: "failure" }),
  provision(at("2022-04-08", "10:00"), SHIMONOSEKI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate" }),
  provision(at("2022-06-09", "10:00"), SHIMONOSEKI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate" }),
  provision(at("2022-05-05", "10:00"), YAMAGUCHI, { schedule: "jukiho", item: "jukiho-2", recipient: "shichouson-chou", channel: "immediate" }),
  unknownRecipient,
];

// The disclosure subject: provisions by 山口市 in April–December 2021, and everything that must stay out.
const codeChange = (() => {
  const e = ev({ t: at("2021-07-20", "11:00"), org: YAMAGUCHI, action: "code_change", resident: SUBJECT });
  e.jukinet.subject.previous_resident_code = OLD_CODE;
  return e;
})();
const DISCLOSURE = [
  // Before the change of code: the same person under the old code (linked by the code_change).
  provision(at("2021-04-20", "10:00"), YAMAGUCHI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate", resident: OLD_CODE }),
  codeChange,
  provision(at("2021-05-10", "10:00"), YAMAGUCHI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate", resident: SUBJECT }),
  provision(at("2021-09-01", "01:00"), YAMAGUCHI, { action: "batch_provide", schedule: "jukiho", item: "jukiho-5", recipient: "shichouson-chou", channel: "online_batch", records: 5, resident: SUBJECT, user: `OP-${YAMAGUCHI}-002` }),
  provision(at("2021-12-31", "23:59", 59), YAMAGUCHI, { schedule: "jukiho", item: "jukiho-2", recipient: "shichouson-chou", channel: "immediate", resident: SUBJECT }),
  // Above 山口市: the prefecture's and the national centre's provisions of the same record (山口市 handles it).
  provision(at("2021-06-15", "10:00"), NATIONAL, { schedule: "1", item: "1-1", recipient: "nenkin-kiko", channel: "immediate", resident: SUBJECT }),
  provision(at("2021-06-16", "10:00"), NATIONAL, { schedule: "1", item: "1-1", recipient: "nenkin-kiko", channel: "immediate", resident: STRANGER }),
  // out of a 山口市 officer's answer: another resident, another municipality, the first instant after the period,
  // a search (not a provision), a failed provision
  provision(at("2021-05-11", "10:00"), YAMAGUCHI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate", resident: OTHER }),
  provision(at("2021-07-01", "10:00"), SHIMONOSEKI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate", resident: SUBJECT }),
  provision(at("2022-01-01", "00:00"), YAMAGUCHI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate", resident: SUBJECT }),
  search(at("2021-05-10", "09:59"), YAMAGUCHI, "jukiho", "jukiho-1", { resident: SUBJECT }),
  provision(at("2021-08-01", "10:00"), YAMAGUCHI, { schedule: "jukiho", item: "jukiho-1", recipient: "shichouson-chou", channel: "immediate", resident: SUBJECT, outcome: "failure" }),
  provision(at("2021-06-01", "10:00"), PREF, { schedule: "6", item: "6-1", recipient: "pref-kyoiku-iinkai", channel: "immediate", resident: SUBJECT }),
];

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([...SEARCHES, ...PROVISIONS, ...DISCLOSURE]);
});

// ------------------------------------------------- independent Elasticsearch queries

const counted = (orgs: string[], actions: string[], from: string, to: string, also: object[] = []) => ({
  bool: {
    filter: [{ terms: { "organization.id": orgs } }, { terms: { "event.action": actions } }, { range: { "@timestamp": { gte: from, lt: to } } }, ...also],
    must_not: [{ term: { "event.outcome": "failure" } }],
  },
});

/** Searches per organisation and schedule, and the 事務 used, with nested `terms` aggregations. */
async function searchesByTerms(orgs: string[], from: string, to: string) {
  const res = await es().search({
    index: aliasName("events"),
    size: 0,
    query: counted(orgs, ["search"], from, to),
    aggs: {
      schedules: {
        terms: { field: "jukinet.purpose.schedule", size: 50 },
        aggs: { items: { terms: { field: "jukinet.purpose.item", size: 500 } }, orgs: { terms: { field: "organization.id", size: 50 } } },
      },
    },
  });
  const out = new Map<string, { count: number; items: number; byOrg: Map<string, number> }>();
  for (const b of (res.aggregations as any).schedules.buckets) {
    out.set(b.key, { count: b.doc_count, items: b.items.buckets.length, byOrg: new Map(b.orgs.buckets.map((o: any) => [o.key, o.doc_count])) });
  }
  return out;
}

/** `_count` of the searches of one schedule in a range. */
async function countSearches(orgs: string[], schedule: string, from: string, to: string): Promise<number> {
  return (await es().count({ index: aliasName("events"), query: counted(orgs, ["search"], from, to, [{ term: { "jukinet.purpose.schedule": schedule } }]) })).count;
}

/** Sum of records of the provisions matching the filters, by `_search` with a `sum` aggregation. */
async function sumRecords(orgs: string[], from: string, to: string, also: object[] = []): Promise<number> {
  const res = await es().search({
    index: aliasName("events"),
    size: 0,
    query: counted(orgs, ["provide", "batch_provide"], from, to, also),
    aggs: { records: { sum: { field: "jukinet.record_count" } } },
  });
  return (res.aggregations as any).records.value;
}

const FY2022 = ["2022-04-01T00:00:00+09:00", "2023-04-01T00:00:00+09:00"] as const;
const FY2021 = ["2021-04-01T00:00:00+09:00", "2022-04-01T00:00:00+09:00"] as const;
const monthStart = (m: string) => `${m}-01T00:00:00+09:00`;
const nextMonth = (m: string) => {
  const [y, mm] = m.split("-").map(Number);
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, "0")}`;
};

// ---------------------------------------------------------------- usage report

describe("usage report (seed 003 §4(2))", () => {
  it("equals an independent terms/_count aggregation per schedule, 事務 used and organisation, for both years", async () => {
    const r = await usageReport(await staff(), { fiscalYear: 2022 });
    expect(r.partial).toBe(false);
    const [cur, prev] = await Promise.all([searchesByTerms(ALL, ...FY2022), searchesByTerms(ALL, ...FY2021)]);
    expect(new Set(r.schedules.map((s) => s.schedule))).toEqual(new Set(["3", "5", "6", "ordinance", ...cur.keys(), ...prev.keys()]));
    for (const s of r.schedules) {
      expect(s.searches, s.schedule).toBe(cur.get(s.schedule)?.count ?? 0);
      expect(s.previousSearches, s.schedule).toBe(prev.get(s.schedule)?.count ?? 0);
      expect(s.searches).toBe(await countSearches(ALL, s.schedule, ...FY2022));
      expect(s.previousSearches).toBe(await countSearches(ALL, s.schedule, ...FY2021));
      expect(s.itemsUsed, s.schedule).toBe(cur.get(s.schedule)?.items ?? 0);
      expect(s.previousItemsUsed, s.schedule).toBe(prev.get(s.schedule)?.items ?? 0);
      expect(s.change).toBe(s.searches - s.previousSearches);
      for (const o of r.organizations) {
        expect(o.bySchedule[s.schedule].searches, `${o.organizationId} ${s.schedule}`).toBe(cur.get(s.schedule)?.byOrg.get(o.organizationId) ?? 0);
        expect(o.bySchedule[s.schedule].previousSearches).toBe(prev.get(s.schedule)?.byOrg.get(o.organizationId) ?? 0);
      }
    }
    const all = (m: typeof cur) => [...m.values()].reduce((n, v) => n + v.count, 0);
    expect(r.total.searches).toBe(all(cur));
    expect(r.total.previousSearches).toBe(all(prev));
  });

  it("gives the hand-computed figures, JST fiscal-year boundaries included", async () => {
    const r = await usageReport(await staff(), { fiscalYear: 2022 });
    const row = (id: string) => r.schedules.find((s) => s.schedule === id)!;
    expect(r.schedules.slice(0, 4).map((s) => s.label)).toEqual(["別表3（県外情報検索）", "別表5（県内情報検索）", "別表6（知事部局以外による検索）", "県条例"]);
    expect(row("3")).toMatchObject({ searches: 0, previousSearches: 0, itemsUsed: 0, changePct: null });
    // 5-1 ×3 (2022-04-01 00:00 and 2023-03-31 23:59:59 JST included; the failed search and the view not), 5-2 ×2, 5-5 ×1
    expect(row("5")).toMatchObject({ searches: 6, itemsUsed: 3, itemsTotal: 70, previousSearches: 4, previousItemsUsed: 2, change: 2, changePct: 50 });
    expect(row("6")).toMatchObject({ searches: 1, itemsUsed: 1, itemsTotal: 4, previousSearches: 0, change: 1, changePct: null });
    expect(row("ordinance")).toMatchObject({ searches: 3, itemsUsed: 2, itemsTotal: 53, previousSearches: 2, previousItemsUsed: 2, change: 1, changePct: 50 });
    // FY2021 jukiho: 下関市 and 和木町 once each, plus the disclosure subject's search by 山口市
    expect(row("jukiho")).toMatchObject({ searches: 6, itemsUsed: 2, previousSearches: 3, previousItemsUsed: 1, change: 3, changePct: 100 });
    expect(r.total).toMatchObject({ searches: 16, previousSearches: 9, change: 7 });
    expect(r.organizations.map((o) => o.organizationId)).toEqual([PREF, SHIMONOSEKI, YAMAGUCHI, WAKI]);
    const waki = r.organizations.find((o) => o.organizationId === WAKI)!;
    expect(waki.total).toMatchObject({ searches: 0, previousSearches: 1, change: -1, changePct: -100 });
    expect(r.organizations.find((o) => o.organizationId === PREF)!.bySchedule["5"]).toMatchObject({ searches: 6, itemsUsed: 3, previousSearches: 4 });
  });

  it("compares a running fiscal year with the same part of the previous one", async () => {
    const r = await usageReport(await staff(), { fiscalYear: 2022, now: new Date("2022-10-01T00:00:00+09:00") });
    expect(r.partial).toBe(true);
    const s5 = r.schedules.find((s) => s.schedule === "5")!;
    expect(s5.searches).toBe(await countSearches(ALL, "5", "2022-04-01T00:00:00+09:00", "2022-10-01T00:00:00+09:00"));
    expect(s5.previousSearches).toBe(await countSearches(ALL, "5", "2021-04-01T00:00:00+09:00", "2021-10-01T00:00:00+09:00"));
    expect([s5.searches, s5.previousSearches]).toEqual([3, 2]);
  });

  it("counts only the organisations asked for", async () => {
    const r = await usageReport(await officerOf(SHIMONOSEKI), { fiscalYear: 2022 });
    expect(r.organizations.map((o) => o.organizationId)).toEqual([SHIMONOSEKI]);
    expect(r.total).toMatchObject({ searches: 4, previousSearches: 1 });
    expect(r.schedules.find((s) => s.schedule === "ordinance")!.searches).toBe(0); // 山口市's ordinance search is not in scope
  });
});

// ---------------------------------------------------------------- provision table

describe("provision table (seed 001)", () => {
  const MONTHS = ["2022-03", "2022-04", "2022-05", "2022-06"];
  const orgs = ALL; // the staff scope (和木町 provided nothing in these months)

  it("has the hand-computed cells, row totals, month totals and grand total", async () => {
    const t = await provisionTable(await staff(), { from: "2022-03", to: "2022-06" });
    expect(t.months).toEqual(MONTHS);
    const rows = t.groups.flatMap((g) => g.rows.map((r) => [g.recipient.name, g.item, r.channel, ...r.months, r.total]));
    expect(rows).toEqual([
      ["市町村長", "2-1", "online_batch", 420, 0, 0, 0, 420],
      ["山口県教育委員会", "6-1", "media", 0, 0, 30, 0, 30],
      ["山口県教育委員会", "6-1", "online_batch", 0, 1250, 640, 0, 1890],
      ["試験提供先", "6-2", "media", 0, 0, 0, 12, 12],
      ["山口県知事以外の執行機関", "6-3", "immediate", 0, 1, 1, 3, 5],
      ["市町村長", "jukiho-1", "immediate", 0, 1, 0, 1, 2],
      ["市町村長", "jukiho-2", "immediate", 0, 0, 1, 0, 1],
    ]);
    expect(t.groups.find((g) => g.item === "6-1")!.total).toBe(1920);
    expect(t.monthTotals).toEqual([420, 1252, 672, 16]);
    expect(t.total).toBe(2360);
  });

  it("equals an independent sum per cell, per row, per month and overall", async () => {
    const t = await provisionTable(await staff(), { from: "2022-03", to: "2022-06" });
    const [from, to] = [monthStart("2022-03"), monthStart("2022-07")];
    for (const g of t.groups) {
      const groupFilter = [{ term: { "jukinet.recipient.id": g.recipient.id } }, { term: { "jukinet.purpose.schedule": g.schedule } }, { term: { "jukinet.purpose.item": g.item } }];
      expect(g.total).toBe(await sumRecords(orgs, from, to, groupFilter));
      for (const r of g.rows) {
        const rowFilter = [...groupFilter, { term: { "jukinet.channel": r.channel } }];
        expect(r.total).toBe(await sumRecords(orgs, from, to, rowFilter));
        for (const [i, m] of t.months.entries()) {
          expect(r.months[i], `${g.item} ${r.channel} ${m}`).toBe(await sumRecords(orgs, monthStart(m), monthStart(nextMonth(m)), rowFilter));
        }
      }
    }
    for (const [i, m] of t.months.entries()) expect(t.monthTotals[i]).toBe(await sumRecords(orgs, monthStart(m), monthStart(nextMonth(m))));
    for (const c of t.channels) expect(c.total).toBe(await sumRecords(orgs, from, to, [{ term: { "jukinet.channel": c.channel } }]));
    expect(t.total).toBe(await sumRecords(orgs, from, to));
  });

  it("counts only the organisations asked for", async () => {
    const t = await provisionTable(await officerOf(SHIMONOSEKI), { from: "2022-03", to: "2022-06" });
    expect(t.groups.map((g) => [g.item, g.total])).toEqual([["jukiho-1", 2]]);
    expect(t.total).toBe(2);
  });
});

// ---------------------------------------------------------------- XLSX routes and scope

describe("XLSX routes", () => {
  let monitor: string;
  let shimonosekiOfficer: string;
  beforeAll(async () => {
    monitor = (await issueApiToken({ name: "stats", role: "monitor", organizationId: PREF })).token;
    shimonosekiOfficer = (await issueApiToken({ name: "stats", role: "municipal_officer", organizationId: SHIMONOSEKI })).token;
  });
  const call = (handler: (req: Request) => Promise<Response>, path: string, token: string) =>
    handler(new Request(`http://localhost${path}`, { headers: { authorization: `Bearer ${token}` } }));
  const workbook = async (res: Response) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    return wb;
  };
  const rowOf = (ws: ExcelJS.Worksheet, first: string) => {
    let found: unknown[] | undefined;
    ws.eachRow((r) => {
      if (r.getCell(1).value === first) found = (r.values as unknown[]).slice(1);
    });
    return found;
  };

  it("exports the usage report, prefecture table and per-organisation sheet", async () => {
    const res = await call(getUsageXlsx, "/api/reports/usage?fiscalYear=2022", monitor);
    expect(res.status).toBe(200);
    const wb = await workbook(res);
    const [sheet1, sheet2] = wb.worksheets;
    expect(rowOf(sheet1, "別表5（県内情報検索）")).toEqual(["別表5（県内情報検索）", 6, "70事務のうち、3事務で利用", 4, "70事務のうち、2事務で利用", 2, 50]);
    expect(rowOf(sheet1, "別表3（県外情報検索）")?.slice(0, 4)).toEqual(["別表3（県外情報検索）", 0, "", 0]);
    expect(rowOf(sheet1, "合計")?.slice(0, 2)).toEqual(["合計", 16]);
    expect(rowOf(sheet2, SHIMONOSEKI)?.slice(0, 2)).toEqual([SHIMONOSEKI, "下関市"]);
    const audit = await db().consoleAuditEvent.findFirst({ where: { action: "usage_report_export" }, orderBy: { seq: "desc" } });
    expect(JSON.parse(audit!.details!)).toMatchObject({ fiscalYear: 2022 });
  });

  it("exports the provision table with its totals", async () => {
    const res = await call(getProvisionsXlsx, `/api/reports/provisions?from=2022-03&to=2022-06&organization=${PREF}`, monitor);
    expect(res.status).toBe(200);
    const ws = (await workbook(res)).worksheets[0];
    const rows: unknown[][] = [];
    ws.eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows.find((r) => r[0] === "市町村長")).toEqual(["市町村長", expect.stringMatching(/^別表第2 /), "電気通信回線", 420, 0, 0, 0, 420, 420]);
    // 月別計 / 合計 over the prefecture's provisions only: 420 + 1920 + 5
    expect(rows.find((r) => r[0] === "月別計" && r[2] === "合計")).toEqual(["月別計", "月別計", "合計", 420, 1251, 671, 3, 2345]);
  });

  it("answers 403 for an organisation outside the caller's scope and 422 for a bad period", async () => {
    expect((await call(getUsageXlsx, `/api/reports/usage?fiscalYear=2022&organization=${YAMAGUCHI}`, shimonosekiOfficer)).status).toBe(403);
    expect((await call(getProvisionsXlsx, `/api/reports/provisions?organization=${YAMAGUCHI}`, shimonosekiOfficer)).status).toBe(403);
    expect((await call(getProvisionsXlsx, "/api/reports/provisions?from=2022-06&to=2022-03", monitor)).status).toBe(422);
    expect((await call(getUsageXlsx, "/api/reports/usage?fiscalYear=abc", monitor)).status).toBe(422);
    expect((await call(getUsageXlsx, "/api/reports/usage?fiscalYear=2099", monitor)).status).toBe(422);
    const own = await call(getProvisionsXlsx, "/api/reports/provisions?from=2022-03&to=2022-06", shimonosekiOfficer);
    expect(own.status).toBe(200);
  });
});

// ---------------------------------------------------------------- resident disclosure

describe("resident disclosure", () => {
  const officer = { id: "it-disclosure-officer", login: "yamaguchi-officer" };

  it("lists exactly the subject's provisions by the organisations in scope within the period, in time order", async () => {
    const d = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: SUBJECT, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(d.rows.map((r) => [r.date, r.provider.id, r.recipient.id, r.item, r.channelLabel, r.records])).toEqual([
      ["2021-04-20", YAMAGUCHI, "shichouson-chou", "jukiho-1", "即時提供", 1],
      ["2021-05-10", YAMAGUCHI, "shichouson-chou", "jukiho-1", "即時提供", 1],
      ["2021-06-01", PREF, "pref-kyoiku-iinkai", "6-1", "即時提供", 1],
      ["2021-06-15", NATIONAL, "nenkin-kiko", "1-1", "即時提供", 1],
      ["2021-09-01", YAMAGUCHI, "shichouson-chou", "jukiho-5", "電気通信回線", 5],
      ["2021-12-31", YAMAGUCHI, "shichouson-chou", "jukiho-2", "即時提供", 1],
    ]);
    expect(d.rows[0].provider.name).toBe("山口市");
    // The old code's provision is the same person's; the old code itself is the one asked for only through the link.
    const old = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: OLD_CODE, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(old.rows.map((r) => r.date)).toEqual(d.rows.map((r) => r.date));
    expect(d.rows[0].purpose).toBe("住基法上の事務 転入通知（転入地市町村から転出地市町村への通知）");
  });

  it("gives upstream provisions only of records the scope handles; widens only with the scope it is given", async () => {
    // 山口市 never handled STRANGER: the national centre's provision of that record is not theirs to read.
    const stranger = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: STRANGER, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(stranger.rows).toEqual([]);
    const d = await disclosureFor(await staff(), { residentCode: SUBJECT, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(d.rows.map((r) => `${r.date} ${r.provider.id}`)).toEqual([
      `2021-04-20 ${YAMAGUCHI}`, `2021-05-10 ${YAMAGUCHI}`, `2021-06-01 ${PREF}`, `2021-06-15 ${NATIONAL}`, `2021-07-01 ${SHIMONOSEKI}`, `2021-09-01 ${YAMAGUCHI}`, `2021-12-31 ${YAMAGUCHI}`,
    ]);
    // 下関市 also handled SUBJECT (its own provision), so it sees the upstream ones too, but not 山口市's.
    const shimonoseki = await disclosureFor(await officerOf(SHIMONOSEKI), { residentCode: SUBJECT, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(shimonoseki.rows.map((r) => `${r.date} ${r.provider.id}`)).toEqual([`2021-06-01 ${PREF}`, `2021-06-15 ${NATIONAL}`, `2021-07-01 ${SHIMONOSEKI}`]);
    const other = await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: OTHER, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    expect(other.rows.map((r) => r.date)).toEqual(["2021-05-11"]);
  });

  it("refuses a malformed code or period without looking anything up", async () => {
    const before = await db().consoleAuditEvent.count({ where: { action: "resident_disclosure" } });
    await expect(disclosureFor(await officerOf(YAMAGUCHI), { residentCode: "5000042424", from: "2021-04-01", to: "2021-12-31", requestedBy: officer })).rejects.toBeInstanceOf(DisclosureError);
    await expect(disclosureFor(await officerOf(YAMAGUCHI), { residentCode: SUBJECT, from: "2021-12-31", to: "2021-04-01", requestedBy: officer })).rejects.toMatchObject({ code: "invalid_period" });
    expect(await db().consoleAuditEvent.count({ where: { action: "resident_disclosure" } })).toBe(before);
  });

  it("records each lookup with the period, the rows and a 12-character reference, and never the code, in SQLite or Elasticsearch", async () => {
    await disclosureFor(await officerOf(YAMAGUCHI), { residentCode: SUBJECT, from: "2021-04-01", to: "2021-12-31", requestedBy: officer });
    const last = await db().consoleAuditEvent.findFirst({ where: { action: "resident_disclosure" }, orderBy: { seq: "desc" } });
    expect(last).toMatchObject({ actorId: officer.id, actorLogin: officer.login });
    expect(JSON.parse(last!.details!)).toEqual({ from: "2021-04-01", to: "2021-12-31", rows: 6, upstream: true, ref: residentRef(SUBJECT).slice(0, 12) });

    for (const row of await db().consoleAuditEvent.findMany()) expect(JSON.stringify(row)).not.toMatch(new RegExp(`${SUBJECT}|${OLD_CODE}`));

    await es().indices.refresh({ index: "_all" });
    const anywhere = await es().search({ index: "_all", query: { query_string: { query: `"${SUBJECT}"`, lenient: true } } });
    expect(anywhere.hits.hits).toHaveLength(0);
    const docs = await es().search({ index: aliasName("events"), size: 100, query: { term: { "jukinet.subject.ref": residentRef(SUBJECT) } } });
    expect(docs.hits.hits.length).toBeGreaterThan(0);
    for (const h of docs.hits.hits) expect(JSON.stringify(h._source)).not.toContain(SUBJECT);
  });
});
