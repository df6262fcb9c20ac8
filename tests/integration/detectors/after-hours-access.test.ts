import { beforeAll, describe, expect, it } from "vitest";
import { at, businessWeek, DATES, detect, ev, ingest, ingestSystemActivity, PREF, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./harness";

const RULE = "after-hours-access";
const day = businessWeek(DATES[RULE].start);

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([
    // Must fire: a 下関市 operator searching at 22:10 on a weekday.
    ev({ t: at(day(1), "22:10"), user: `OP-${SHIMONOSEKI}-002`, resident: resident(1) }),
    ev({ t: at(day(1), "22:12"), action: "view", user: `OP-${SHIMONOSEKI}-002`, resident: resident(1) }),
    // Must fire: Saturday work.
    ev({ t: at(day(5), "10:00"), user: `OP-${SHIMONOSEKI}-003`, resident: resident(2) }),
    // Hard negative: normal daytime work.
    ev({ t: at(day(1), "10:00"), user: `OP-${SHIMONOSEKI}-001`, resident: resident(3) }),
    // Hard negative: 17:20 is inside 山口市's hours (until 17:30) but would be outside 下関市's.
    ev({ t: at(day(2), "17:20"), org: YAMAGUCHI, user: `OP-${YAMAGUCHI}-001`, resident: resident(4) }),
    // Hard negative: night-time online-batch provisions by the prefecture's system account.
    ev({ t: at(day(2), "02:00"), org: PREF, action: "batch_provide", user: `SYS-${PREF}-BATCH`, host: undefined, records: 1200, schedule: "5", item: "5-1", recipient: "pref-zeimu" }),
    ev({ t: at(day(3), "02:00"), org: PREF, action: "batch_provide", user: `SYS-${PREF}-BATCH`, records: 900, schedule: "5", item: "5-1", recipient: "pref-zeimu" }),
  ]);
  // Hard negative: the resident-records system's night updates without an operator (system activity, §1).
  await ingestSystemActivity([
    ev({ t: at(day(2), "21:00"), action: "update", user: null, resident: resident(5) }),
    ev({ t: at(day(2), "21:01"), action: "update", user: null, resident: resident(6) }),
  ]);
});

describe(RULE, () => {
  it("fires on weekday-night and weekend work, not on daytime work, other hours or night batches", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    const entities = alerts.map((a) => a.entity.id).sort();
    expect(entities).toEqual([`OP-${SHIMONOSEKI}-002`, `OP-${SHIMONOSEKI}-003`]);
    const night = alerts.find((a) => a.entity.id === `OP-${SHIMONOSEKI}-002`)!;
    expect(night.organization.id).toBe(SHIMONOSEKI);
    expect((night.evidence as any).counts.events).toBe(2);
    expect((night.evidence as any).sample_events).toHaveLength(2);
  });

  it("creates no new alerts when rerun over the same or an overlapping window", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(again.summary.created).toBe(0);
    const overlapping = await detect(RULE, at(day(1), "20:00"), at(day(1), "23:00"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id)).toEqual([`OP-${SHIMONOSEKI}-002`]);
  });
});
