import { beforeAll, describe, expect, it } from "vitest";
import { at, businessWeek, DATES, detect, ev, ingest, ingestSystemActivity, plus, resident, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./harness";

const RULE = "maintenance-window-update";
// Inside the moving season (March–April): day(0) is the first full business week's Monday.
const day = businessWeek(DATES[RULE].start);
const weekdays = [0, 1, 2, 3, 4, 7, 8, 9, 10, 11]; // two weeks of baseline
const season = [14, 15, 16]; // the third week: double volume

/** `perHour` updates in each business hour 09:00–16:59 of a day. */
function counterDay(org: string, date: string, perHour: number, n0: number) {
  const out = [];
  for (let h = 9; h < 17; h++) {
    for (let i = 0; i < perHour; i++) {
      out.push(ev({ t: plus(at(date, `${String(h).padStart(2, "0")}:00`), (i * 60) / perHour + 1), org, action: "update", user: `OP-${org}-002`, resident: resident(n0 + h * 100 + i), reason: "move_in" }));
    }
  }
  return out;
}

beforeAll(async () => {
  await useFixtureRegistry({
    maintenance_windows: [
      // Must fire: 和木町's system-renewal test window, Saturday evening to Sunday morning.
      { organization: WAKI, start: at(day(5), "18:00"), end: `${day(6)}T06:00:00+09:00`, note: "住民記録システム改修テスト" },
      // Hard negative: 山口市 declared a window and switched the link off; nothing arrives in it.
      { organization: YAMAGUCHI, start: at(day(15), "18:00"), end: at(day(15), "22:00"), note: "改修テスト（連携停止）" },
    ],
  });
  // The seed incident: test data from the resident-records system flowing into 和木町's CS during the window —
  // half of it pushed by the system without an operator (system activity, §1), half under a system account.
  await ingestSystemActivity(
    Array.from({ length: 40 }, (_, i) =>
      ev({ t: plus(at(day(5), "19:10"), i), org: WAKI, action: "update", user: i % 2 ? null : `SYS-${WAKI}-CS`, resident: resident(900 + i), reason: "correction", source: "住民記録システム" }),
    ),
  );
  await ingest([
    // 下関市: steady 4 updates an hour for two weeks, then 80 updates at 19:00 on a Wednesday with no declared window.
    ...weekdays.flatMap((n) => counterDay(SHIMONOSEKI, day(n), 4, 10_000)),
    ...Array.from({ length: 80 }, (_, i) =>
      ev({ t: plus(at(day(16), "19:02"), i / 2), action: "update", user: `SYS-${SHIMONOSEKI}-CS`, resident: resident(20_000 + i), reason: "relocation" }),
    ),
    // Hard negative, 山口市: 10 an hour for two weeks, then the moving-season rush at double volume in business hours.
    ...weekdays.flatMap((n) => counterDay(YAMAGUCHI, day(n), 10, 30_000)),
    ...season.flatMap((n) => counterDay(YAMAGUCHI, day(n), 20, 40_000)),
  ]);
});

describe(RULE, () => {
  it("fires on updates inside a declared window and on a burst far above baseline, not on moving-season volume or an empty window", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(19), "00:00"));
    expect(alerts.map((a) => `${a.entity.id}@${a.window.start}`).sort()).toEqual([
      `${SHIMONOSEKI}@${new Date(at(day(16), "00:00")).toISOString()}`,
      `${WAKI}@${new Date(at(day(5), "00:00")).toISOString()}`,
    ]);

    const waki = alerts.find((a) => a.entity.id === WAKI)!;
    expect(waki.entity.type).toBe("organization");
    expect(waki.organization.id).toBe(WAKI);
    expect(waki.severity).toBe("high");
    const we = waki.evidence as any;
    expect(we.counts.in_maintenance_window).toBe(40);
    expect(we.reasons).toEqual(["maintenance_window"]);
    expect(we.source_systems).toEqual({ 住民記録システム: 40 });
    // Only the 20 with an operator id appear per user; the other 20 are system activity, counted all the same.
    expect(we.users).toEqual({ [`SYS-${WAKI}-CS`]: 20 });
    expect(we.sample_events).toHaveLength(5);
    expect(we.maintenance_windows).toHaveLength(1);

    const burst = alerts.find((a) => a.entity.id === SHIMONOSEKI)!;
    expect(burst.severity).toBe("medium");
    const be = burst.evidence as any;
    expect(be.reasons).toEqual(["burst"]);
    expect(be.counts).toMatchObject({ updates: 80, peak_hour_updates: 80, peak_hour: 19, in_maintenance_window: 0 });
    expect(be.baseline).toMatchObject({ history_days: 10, median_peak_hour: 4, median_day: 32 });
    expect(be.baseline.threshold_peak_hour).toBeLessThanOrEqual(80);
    expect(be.query.index).toBeTruthy();
  });

  it("creates no new alerts when rerun over the same or an overlapping window", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(19), "00:00"));
    expect(again.summary.created).toBe(0);
    expect(again.summary.alerts).toBe(2);
    const overlapping = await detect(RULE, at(day(16), "18:00"), at(day(16), "21:00"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id)).toEqual([SHIMONOSEKI]);
  });
});
