import { describe, expect, it } from "vitest";
import { dayKey, dayWindow, shiftDay, windowDays } from "./days";

describe("JST days", () => {
  it("shifts JST date keys", () => {
    expect(shiftDay("2026-03-01", -1)).toBe("2026-02-28");
    expect(shiftDay("2026-12-31", 1)).toBe("2027-01-01");
    expect(shiftDay("2026-03-01", -28)).toBe("2026-02-01");
  });

  it("lists the JST days of a day-aligned window", () => {
    expect(windowDays({ from: new Date("2026-11-05T00:00:00+09:00"), to: new Date("2026-11-08T00:00:00+09:00") })).toEqual([
      "2026-11-05",
      "2026-11-06",
      "2026-11-07",
    ]);
    const from = new Date("2026-03-30T15:00:00Z"); // 2026-03-31 00:00 JST
    const to = new Date("2026-04-02T15:00:00Z");
    expect(windowDays({ from, to })).toEqual(["2026-03-31", "2026-04-01", "2026-04-02"]);
  });

  it("keys an instant by its JST date and gives a key's day bucket", () => {
    expect(dayKey(Date.parse("2026-03-30T15:00:00Z"))).toBe("2026-03-31");
    expect(dayKey(Date.parse("2026-03-30T14:59:59Z"))).toBe("2026-03-30");
    expect(dayWindow("2026-03-31")).toEqual({ start: "2026-03-30T15:00:00.000Z", end: "2026-03-31T15:00:00.000Z" });
  });
});
