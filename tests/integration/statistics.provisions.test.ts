/** The provision table (seed 001) against hand-computed values and independent sums; fixture in statistics.fixture.ts. */
import { describe, expect, it } from "vitest";
import { es } from "../../lib/es/client";
import { aliasName } from "../../lib/es/indices";
import { provisionTable } from "../../domain/statistics/provisions";
import { ALL, counted, officerOf, SHIMONOSEKI, staff, useStatisticsData } from "./statistics.fixture";

useStatisticsData();

// ------------------------------------------------- independent Elasticsearch queries

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

const monthStart = (m: string) => `${m}-01T00:00:00+09:00`;
const nextMonth = (m: string) => {
  const [y, mm] = m.split("-").map(Number);
  return mm === 12 ? `${y + 1}-01` : `${y}-${String(mm + 1).padStart(2, "0")}`;
};

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
      const groupFilter = [
        { term: { "jukinet.recipient.id": g.recipient.id } },
        { term: { "jukinet.purpose.schedule": g.schedule } },
        { term: { "jukinet.purpose.item": g.item } },
      ];
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
