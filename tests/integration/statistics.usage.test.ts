/** The usage report (seed 003 §4(2)) against hand-computed values and independent terms/_count queries; fixture in statistics.fixture.ts. */
import { describe, expect, it } from "vitest";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { usageReport } from "../../domain/statistics/usage";
import { ALL, counted, officerOf, PREF, SHIMONOSEKI, staff, useStatisticsData, WAKI } from "./statistics.fixture";

useStatisticsData();

// ------------------------------------------------- independent Elasticsearch queries

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
  return (await es().count({ index: aliasName("events"), query: counted(orgs, ["search"], from, to, [{ term: { "jukinet.purpose.schedule": schedule } }]) }))
    .count;
}

const FY2022 = ["2022-04-01T00:00:00+09:00", "2023-04-01T00:00:00+09:00"] as const;
const FY2021 = ["2021-04-01T00:00:00+09:00", "2022-04-01T00:00:00+09:00"] as const;

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
    expect(r.schedules.slice(0, 4).map((s) => s.label)).toEqual([
      "別表3（県外情報検索）",
      "別表5（県内情報検索）",
      "別表6（知事部局以外による検索）",
      "県条例",
    ]);
    expect(row("3")).toMatchObject({ searches: 0, previousSearches: 0, itemsUsed: 0, changePct: null });
    // 5-1 ×3 (2022-04-01 00:00 and 2023-03-31 23:59:59 JST included; the failed search and the view not), 5-2 ×2, 5-5 ×1
    expect(row("5")).toMatchObject({ searches: 6, itemsUsed: 3, itemsTotal: 70, previousSearches: 4, previousItemsUsed: 2, change: 2, changePct: 50 });
    expect(row("6")).toMatchObject({ searches: 1, itemsUsed: 1, itemsTotal: 4, previousSearches: 0, change: 1, changePct: null });
    expect(row("ordinance")).toMatchObject({ searches: 3, itemsUsed: 2, itemsTotal: 53, previousSearches: 2, previousItemsUsed: 2, change: 1, changePct: 50 });
    // FY2021 jukiho: 下関市 and 和木町 once each, plus the disclosure subject's search by 山口市
    expect(row("jukiho")).toMatchObject({ searches: 6, itemsUsed: 2, previousSearches: 3, previousItemsUsed: 1, change: 3, changePct: 100 });
    expect(r.total).toMatchObject({ searches: 16, previousSearches: 9, change: 7 });
    // Every organisation of the staff's scope, in code order (other integration files may have registered more of the prefecture).
    const inScope = (await staff()).organizations!;
    expect(inScope).toEqual(expect.arrayContaining(ALL));
    expect(r.organizations.map((o) => o.organizationId)).toEqual(inScope);
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

  it("tells no data from zero: a fiscal year (or previous year) with no record at all has no data", async () => {
    const r = await usageReport(await staff(), { fiscalYear: 2022 });
    expect([r.hasData, r.previousHasData]).toEqual([true, true]);
    const empty = await usageReport(await staff(), { fiscalYear: 2003 });
    expect([empty.hasData, empty.previousHasData]).toEqual([false, false]);
    expect(empty.total.searches).toBe(0);
  });
});
