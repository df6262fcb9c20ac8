import { describe, expect, it } from "vitest";
import { itemsTotalOf, itemsUsedText, scheduleLabel, summariseUsage, UNSPECIFIED, yearOverYear, type UsageCount } from "./usage";

const c = (organization: string, schedule: string, item: string, searches: number): UsageCount => ({ organization, schedule, item, searches });
const ORGS = [
  { id: "350001", name: "山口県" },
  { id: "352012", name: "下関市" },
  { id: "353213", name: "和木町" },
];

describe("summariseUsage", () => {
  const current = [
    c("350001", "5", "5-1", 10),
    c("350001", "5", "5-2", 5),
    c("350001", "ordinance", "ordinance-1", 3),
    c("352012", "5", "5-1", 2),
    c("352012", "jukiho", "jukiho-1", 7),
  ];
  const previous = [c("350001", "5", "5-1", 8), c("350001", "ordinance", "ordinance-1", 6), c("352012", "1", "1-1", 1)];
  const r = summariseUsage(current, previous, ORGS);

  it("shows 別表3, 5, 6 and 県条例 always, then the other schedules present in either year", () => {
    expect(r.schedules.map((s) => s.schedule)).toEqual(["3", "5", "6", "ordinance", "1", "jukiho"]);
    expect(r.schedules[0]).toMatchObject({ label: "別表3（県外情報検索）", searches: 0, previousSearches: 0, change: 0, changePct: null });
  });

  it("counts searches and distinct 事務 per schedule against the previous year", () => {
    const s5 = r.schedules.find((s) => s.schedule === "5")!;
    // 5-1 is used by two organisations: one 事務.
    expect(s5).toMatchObject({ searches: 17, itemsUsed: 2, previousSearches: 8, previousItemsUsed: 1, change: 9, itemsTotal: 70 });
    expect(s5.changePct).toBeCloseTo(112.5);
    const ord = r.schedules.find((s) => s.schedule === "ordinance")!;
    expect(ord).toMatchObject({ searches: 3, itemsUsed: 1, previousSearches: 6, change: -3, changePct: -50, itemsTotal: 53 });
    expect(r.total).toMatchObject({ searches: 27, previousSearches: 15, change: 12, itemsUsed: 4, previousItemsUsed: 3 });
  });

  it("gives every organisation a row with every schedule, also without searches", () => {
    expect(r.organizations.map((o) => o.organizationId)).toEqual(["350001", "352012", "353213"]);
    const shimonoseki = r.organizations[1];
    // (A record's integer-like keys come out in numeric order: callers follow r.schedules for the order.)
    expect(Object.keys(shimonoseki.bySchedule).sort()).toEqual(r.schedules.map((s) => s.schedule).sort());
    expect(shimonoseki.bySchedule["5"]).toMatchObject({ searches: 2, itemsUsed: 1, previousSearches: 0, changePct: null });
    expect(shimonoseki.total).toMatchObject({ searches: 9, previousSearches: 1, change: 8, changePct: 800 });
    expect(r.organizations[2].total).toMatchObject({ searches: 0, previousSearches: 0, itemsUsed: 0 });
  });

  it("keeps searches without a schedule or 事務 visible but counts no 事務 for them", () => {
    const s = summariseUsage([c("352012", UNSPECIFIED, UNSPECIFIED, 4)], [], ORGS);
    expect(s.schedules.at(-1)).toMatchObject({ schedule: UNSPECIFIED, label: "（未設定）", searches: 4, itemsUsed: 0, itemsTotal: null });
    expect(s.total.searches).toBe(4);
  });
});

describe("labels and figures", () => {
  it("writes the 事務 used as seed 003 does", () => {
    expect(itemsUsedText(21, 70)).toBe("70事務のうち、21事務で利用");
    expect(itemsUsedText(2, null)).toBe("2事務で利用");
  });

  it("takes the number of 事務 from purposes.json", () => {
    expect(itemsTotalOf("5")).toBe(70);
    expect(itemsTotalOf("ordinance")).toBe(53);
    expect(itemsTotalOf("jukiho")).toBe(7); // no total_items: the listed items
    expect(itemsTotalOf("x")).toBeNull();
    expect(scheduleLabel("jukiho")).toBe("住基法上の事務");
  });

  it("computes the change and its percentage", () => {
    expect(yearOverYear(133_394, 120_000)).toEqual({ change: 13_394, changePct: (13_394 / 120_000) * 100 });
    expect(yearOverYear(5, 0)).toEqual({ change: 5, changePct: null });
  });
});
