import { beforeAll, describe, expect, it } from "vitest";
import { at, businessWeek, DATES, detect, ev, ingest, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./harness";

const RULE = "broad-query";
const day = businessWeek(DATES[RULE].start);
const OP = (org: string, n: number) => `OP-${org}-${String(n).padStart(3, "0")}`;

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([
    // Must fire: name-only and address-only searches returning dozens to hundreds of residents.
    ev({ t: at(day(1), "10:31"), user: OP(SHIMONOSEKI, 2), kind: "name_only", results: 80 }),
    ev({ t: at(day(1), "10:33"), user: OP(SHIMONOSEKI, 2), kind: "name_only", results: 150 }),
    ev({ t: at(day(1), "10:36"), user: OP(SHIMONOSEKI, 2), kind: "address_only", results: 240 }),
    ev({ t: at(day(1), "10:40"), user: OP(SHIMONOSEKI, 2), kind: "address_only", results: 90 }),
    // Must fire: one wildcard four-information search returning 400 records (large result count).
    ev({ t: at(day(2), "14:02"), org: YAMAGUCHI, user: OP(YAMAGUCHI, 1), kind: "four_info", wildcard: true, results: 400 }),
    // Hard negative: ordinary narrow searches, a four-information search listing three namesakes.
    ev({ t: at(day(1), "09:10"), user: OP(SHIMONOSEKI, 1), kind: "four_info", results: 3, resident: resident(1) }),
    ev({ t: at(day(1), "09:15"), user: OP(SHIMONOSEKI, 1), kind: "name_birthdate", results: 2 }),
    ev({ t: at(day(1), "09:20"), user: OP(SHIMONOSEKI, 1), kind: "resident_code", results: 1, resident: resident(2) }),
    // Hard negative: a single name-only search with few results (below minWeakSearches).
    ev({ t: at(day(3), "11:00"), user: OP(SHIMONOSEKI, 3), kind: "name_only", results: 4 }),
    // Hard negative: an interface of the prefecture (registry account of kind system) matching by address in bulk.
    ev({ t: at(day(2), "03:00"), org: "350001", user: "SYS-350001-BATCH", kind: "address_only", results: 900, schedule: "5", item: "5-1" }),
    ev({ t: at(day(2), "03:05"), org: "350001", user: "SYS-350001-BATCH", kind: "address_only", results: 800, schedule: "5", item: "5-1" }),
  ]);
});

describe(RULE, () => {
  it("fires on weak-condition and very large searches, not on narrow searches or one name-only search", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(alerts.map((a) => a.entity.id).sort()).toEqual([OP(SHIMONOSEKI, 2), OP(YAMAGUCHI, 1)]);

    const weak = alerts.find((a) => a.entity.id === OP(SHIMONOSEKI, 2))!;
    const ev1 = weak.evidence as any;
    expect(weak.organization.id).toBe(SHIMONOSEKI);
    expect(weak.severity).toBe("high"); // 560 records in total
    expect(ev1.counts).toMatchObject({ weak_searches: 4, large_result_searches: 2, results_total: 560, kind_name_only: 2, kind_address_only: 2 });
    expect(ev1.sample_events).toHaveLength(4);

    const wide = alerts.find((a) => a.entity.id === OP(YAMAGUCHI, 1))!;
    expect(wide.organization.id).toBe(YAMAGUCHI);
    expect((wide.evidence as any).counts).toMatchObject({ weak_searches: 1, wildcard_searches: 1, large_result_searches: 1, results_max: 400 });
  });

  it("evidence query reproduces the events and a rerun creates no new alerts", async () => {
    const first = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(first.summary.created).toBe(0);
    const weak = first.alerts.find((a) => a.entity.id === OP(SHIMONOSEKI, 2))!;
    const { es } = await import("../../../lib/es/client");
    const q = (weak.evidence as any).query;
    const res = await es().count({ index: q.index, query: q.query });
    expect(res.count).toBe(4);
    const overlapping = await detect(RULE, at(day(1), "10:00"), at(day(1), "11:00"));
    expect(overlapping.summary.created).toBe(0);
  });
});
