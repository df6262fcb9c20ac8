import { beforeAll, describe, expect, it } from "vitest";
import { isBusinessDay } from "../../../lib/calendar";
import { at, businessWeek, DATES, detect, ev, ingest, plus, resident, SHIMONOSEKI, useFixtureRegistry, YAMAGUCHI } from "./harness";

const RULE = "bulk-export";
const day = businessWeek(DATES[RULE].start);
const days = Array.from({ length: 12 }, (_, n) => n).filter((n) => isBusinessDay(day(n)));
const LAST = days[days.length - 1];
// The section's first day has no history yet (it would be judged on the absolute threshold alone): detect from the second.
const FROM = at(day(days[1]), "00:00");
const op = (org: string, n: number) => `OP-${org}-${String(n).padStart(3, "0")}`;

beforeAll(async () => {
  await useFixtureRegistry();
  const events = [];
  for (const n of days) {
    // Hard negative: a counter clerk prints 25–30 certificates of one or two records every day.
    for (let i = 0; i < 25 + (n % 6); i++) {
      events.push(ev({ t: plus(at(day(n), "09:00"), i * 12), action: "print", user: op(SHIMONOSEKI, 1), resident: resident(1000 + n * 100 + i), records: i % 7 ? 1 : 2 }));
    }
    // Hard negative: a section that prints about 200 records every day (its own usual level), 260 on the last day.
    events.push(ev({ t: at(day(n), "16:00"), org: YAMAGUCHI, action: "print", user: op(YAMAGUCHI, 1), records: n === LAST ? 260 : 190 + (n % 3) * 10 }));
  }
  // Must fire: one export of 3,200 records.
  events.push(ev({ t: at(day(LAST), "16:21"), action: "export", user: op(SHIMONOSEKI, 3), records: 3200 }));
  // Must fire: three print jobs of 50 records on another day (150 in the day).
  for (let i = 0; i < 3; i++) events.push(ev({ t: plus(at(day(days[2]), "11:05"), i * 4), action: "print", user: op(SHIMONOSEKI, 2), records: 50 }));
  // Hard negative: the national centre's system account writing a statistics file of 5,000 records.
  events.push(ev({ t: at(day(LAST), "03:00"), org: "000001", action: "export", user: "SYS-000001-BATCH", records: 5000 }));
  await ingest(events);
});

describe(RULE, () => {
  it("fires on many records exported or printed in a day, not on certificate prints or a section's usual volume", async () => {
    const { alerts } = await detect(RULE, FROM, at(day(LAST + 1), "00:00"));
    expect(alerts.map((a) => a.entity.id).sort()).toEqual([op(SHIMONOSEKI, 2), op(SHIMONOSEKI, 3)]);

    const exp = alerts.find((a) => a.entity.id === op(SHIMONOSEKI, 3))!;
    expect(exp.entity.type).toBe("operator");
    expect(exp.organization.id).toBe(SHIMONOSEKI);
    expect(exp.severity).toBe("critical");
    expect(exp.window.start).toBe(new Date(at(day(LAST), "00:00")).toISOString());
    const e = exp.evidence as any;
    expect(e.counts).toMatchObject({ records: 3200, events: 1, exports: 1, prints: 0, largest_job: 3200, export_records: 3200 });
    expect(e.sample_events).toHaveLength(1);
    expect(e.query.query.bool.filter).toEqual(expect.arrayContaining([{ term: { "user.id": op(SHIMONOSEKI, 3) } }]));

    const prints = alerts.find((a) => a.entity.id === op(SHIMONOSEKI, 2))!;
    expect(prints.severity).toBe("high");
    expect((prints.evidence as any).counts).toMatchObject({ records: 150, events: 3, prints: 3, largest_job: 50 });
  });

  it("creates no new alerts when rerun over the same or an overlapping window", async () => {
    const again = await detect(RULE, FROM, at(day(LAST + 1), "00:00"));
    expect(again.summary.created).toBe(0);
    const overlapping = await detect(RULE, at(day(LAST), "16:00"), at(day(LAST), "17:00"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id)).toEqual([op(SHIMONOSEKI, 3)]);
  });
});
