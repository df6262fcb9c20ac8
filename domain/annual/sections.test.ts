import { describe, expect, it } from "vitest";
import { bulletLines, formatChange, formatCount, historyRows, SECTION_HEADINGS, sectionPlan, unauthorisedAccessSentence } from "./sections";

describe("formatChange (前年度比)", () => {
  it("marks a decrease with △ and no minus sign", () => {
    expect(formatChange(-95_000_000)).toBe("△95,000,000件");
    expect(formatChange(-1)).toBe("△1件");
  });
  it("prints an increase and no change without a mark", () => {
    expect(formatChange(5_500)).toBe("5,500件");
    expect(formatChange(0)).toBe("0件");
  });
  it("formats counts with separators", () => expect(formatCount(133394)).toBe("133,394件"));
});

describe("unauthorisedAccessSentence", () => {
  it("says no unauthorised access only when no misconduct incident was recorded", () => {
    expect(unauthorisedAccessSentence({})).toContain("不正なアクセスは確認されていない");
    expect(unauthorisedAccessSentence({ misconduct: 0, leak_suspected: 0 })).toContain("不正なアクセスは確認されていない");
  });
  it("gives the count and the kinds otherwise", () => {
    const s = unauthorisedAccessSentence({ misconduct: 2, leak_suspected: 1 });
    expect(s).not.toContain("確認されていない");
    expect(s).toContain("3件");
    expect(s).toContain("不正行為 2件");
    expect(s).toContain("情報漏えいの疑い 1件");
    expect(unauthorisedAccessSentence({ leak_suspected: 1 })).not.toContain("不正行為");
  });
});

describe("sectionPlan", () => {
  it("has seed 003's headings in its order", () => {
    expect(SECTION_HEADINGS[0]).toBe("1 これまでの住基ネットについて");
    expect(SECTION_HEADINGS).toContain("（2）不正なアクセス等");
    expect(SECTION_HEADINGS).toContain("(3) 監査法人によるセキュリティ監査（市町）");
    expect(SECTION_HEADINGS.at(-1)).toBe("(参考) マイナンバーカードについて");
    expect(SECTION_HEADINGS.indexOf("5 セキュリティ対策")).toBeGreaterThan(SECTION_HEADINGS.indexOf("4 本人確認情報の利用状況"));
  });
  it("marks the sections whose data is null as not held, the others as held", () => {
    const plan = sectionPlan({ renewal: null, training: null, usagePrefecture: { any: 1 } });
    const held = Object.fromEntries(plan.map((p) => [p.id, p.held]));
    expect(held.renewal).toBe(false);
    expect(held.training).toBe(false);
    expect(held.usagePrefecture).toBe(true);
    expect(held.drills).toBe(true);
    expect(plan.find((p) => p.id === "failures")?.level).toBe(2);
    expect(plan.find((p) => p.id === "security")?.level).toBe(1);
  });
});

describe("narratives", () => {
  it("reads history lines as year and event, continuing lines without a year", () => {
    expect(historyRows("H11\t改正住民基本台帳法公布（8月11日）\nH14  住基ネット 第1次稼働\n・住民票コードの通知\n\n")).toEqual([
      ["H11", "改正住民基本台帳法公布（8月11日）"],
      ["H14", "住基ネット 第1次稼働 ・住民票コードの通知"],
    ]);
  });
  it("reads rules as bullet lines", () =>
    expect(bulletLines("- 運用管理要綱\n\n・セキュリティ会議の設置\n")).toEqual(["運用管理要綱", "セキュリティ会議の設置"]));
});
