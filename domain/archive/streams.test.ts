import { describe, expect, it } from "vitest";
import { cutoffs, jstMonth, monthRange, monthsBetween, parseMonth } from "./streams";

describe("archive months", () => {
  it("reads months and refuses others", () => {
    expect(parseMonth("2024-03")).toBe("2024-03");
    expect(parseMonth("2024.03")).toBe("2024-03");
    expect(() => parseMonth("2024-13")).toThrow();
    expect(() => parseMonth("24-03")).toThrow();
  });
  it("takes the JST month of an instant", () => {
    expect(jstMonth(new Date("2024-03-31T15:00:00Z"))).toBe("2024-04");
    expect(jstMonth(new Date("2024-03-31T14:59:59Z"))).toBe("2024-03");
  });
  it("gives a JST month's range", () => {
    const r = monthRange("2024-12");
    expect(r.from.toISOString()).toBe("2024-11-30T15:00:00.000Z");
    expect(r.to.toISOString()).toBe("2024-12-31T15:00:00.000Z");
  });
  it("counts the current month in the hot and total periods", () => {
    // 13 months hot at 2026-12: 2025-12 … 2026-12 are hot; 7 years kept: from 2020-01.
    expect(cutoffs({ hotMonths: 13, totalMonths: 84 }, new Date("2026-12-02T03:00:00Z"))).toEqual({ hotFrom: "2025-12", keptFrom: "2020-01" });
    expect(cutoffs({ hotMonths: 1, totalMonths: 1 }, new Date("2026-01-01T00:00:00+09:00"))).toEqual({ hotFrom: "2026-01", keptFrom: "2026-01" });
  });
  it("lists the months a period touches", () => {
    expect(monthsBetween(new Date("2025-11-30T15:00:00Z"), new Date("2026-02-01T00:00:00Z"))).toEqual(["2025-12", "2026-01", "2026-02"]);
    expect(monthsBetween(new Date("2026-02-01T00:00:00Z"), new Date("2026-02-01T00:00:00Z"))).toEqual([]);
  });
});
