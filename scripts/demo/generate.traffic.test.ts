import { describe, expect, it } from "vitest";
import { isWithinBusinessHours } from "../../lib/calendar";
import { isSystem, useDatasets, type Dataset } from "./generate.fixture";

const { byName } = useDatasets(["november", "spring"]);

describe("traffic shape", () => {
  const clerkEvents = (d: Dataset) => d.events.filter((e) => e.user && !isSystem(e.user.id) && e.observer.type === "municipal_cs");

  it("is concentrated on business days, with a lunch dip", () => {
    const d = byName("november");
    const perDay = new Map<string, number>();
    const perHour = new Map<number, number>();
    for (const e of clerkEvents(d)) {
      perDay.set(e["@timestamp"].slice(0, 10), (perDay.get(e["@timestamp"].slice(0, 10)) ?? 0) + 1);
      const hour = Number(e["@timestamp"].slice(11, 13));
      perHour.set(hour, (perHour.get(hour) ?? 0) + 1);
    }
    // 2026-11-14/15 are a weekend: only the labelled after-hours case works then.
    expect(perDay.get("2026-11-14") ?? 0).toBeLessThan(50);
    expect(perDay.get("2026-11-16")!).toBeGreaterThan(500);
    expect(perHour.get(12)!).toBeLessThan(0.6 * Math.min(perHour.get(10)!, perHour.get(14)!));
  });

  it("doubles updates and move-in notices in the moving season", () => {
    const rate = (d: Dataset, action: string) => {
      const days = new Set(d.events.filter((e) => e.observer.type === "municipal_cs").map((e) => e["@timestamp"].slice(0, 10)));
      const businessDays = [...days].filter((k) => isWithinBusinessHours(Date.parse(`${k}T10:00:00+09:00`))).length;
      const source = action === "update" ? d.events.filter((e) => e.observer.type === "municipal_cs" && !e.user) : clerkEvents(d);
      const n = source.filter((e) => e.event.action === action && (action !== "notify" || e.jukinet?.purpose?.item === "jukiho-1")).length;
      return n / businessDays;
    };
    expect(rate(byName("spring"), "update")).toBeGreaterThan(1.4 * rate(byName("november"), "update"));
    expect(rate(byName("spring"), "notify")).toBeGreaterThan(1.4 * rate(byName("november"), "notify"));
  });
});
