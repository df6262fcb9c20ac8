import { beforeAll, describe, expect, it } from "vitest";
import { isBusinessDay } from "../../../lib/calendar";
import { at, businessWeek, DATES, detect, ev, ingest, plus, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./harness";

const RULE = "operator-volume-spike";
const day = businessWeek(DATES[RULE].start);
// Business days of the three weeks from day(0); the last one is the day under test.
const days = Array.from({ length: 19 }, (_, n) => n).filter((n) => isBusinessDay(day(n)));
const SPIKE = days[days.length - 1];
const BUSY_ORG_DAY = days[days.length - 2];
const op = (org: string, n: number) => `OP-${org}-${String(n).padStart(3, "0")}`;

let next = 0;
/** `cases` look-ups (search + view of one resident) spread from 09:00 at `gap` minutes. */
function work(d: string, org: string, user: string, cases: number, gap = 3, start = "09:00") {
  const out = [];
  for (let i = 0; i < cases; i++) {
    const r = String(20_000_000_000 + ++next * 1_234_567);
    const t = plus(at(d, start), i * gap);
    out.push(ev({ t, org, user, resident: r }), ev({ t: plus(t, 1), org, user, action: "view", resident: r }));
  }
  return out;
}

beforeAll(async () => {
  await useFixtureRegistry();
  const events = [];
  for (const n of days) {
    const d = day(n);
    const wobble = n % 3; // 0–2 cases of day-to-day variation
    // 下関市: three ordinary clerks (~10 look-up events a day) and a steadily busy clerk (~4× their peers every day).
    events.push(...work(d, SHIMONOSEKI, op(SHIMONOSEKI, 1), 5 + wobble));
    events.push(...work(d, SHIMONOSEKI, op(SHIMONOSEKI, 3), 5 + (wobble ? 0 : 1)));
    events.push(...work(d, SHIMONOSEKI, op(SHIMONOSEKI, 4), 4 + wobble));
    events.push(...work(d, SHIMONOSEKI, op(SHIMONOSEKI, 2), 20 + wobble, 1.5));
    // Must fire: operator 005's usual ~10 look-up events, then 120 on the spike day (within business hours).
    events.push(...work(d, SHIMONOSEKI, op(SHIMONOSEKI, 5), n === SPIKE ? 60 : 5 + wobble, 4));
    // 山口市: three clerks; on one day the whole counter is busy (moving-season rush) at ~3.5× their usual volume.
    for (const k of [1, 2, 3]) events.push(...work(d, YAMAGUCHI, op(YAMAGUCHI, k), n === BUSY_ORG_DAY ? 45 + k : 5 + k));
    // 和木町: operator 002 works every day; 001 (new) appears only on the spike day with a large volume: no history to judge.
    events.push(...work(d, WAKI, op(WAKI, 2), 4 + wobble));
    if (n === SPIKE) events.push(...work(d, WAKI, op(WAKI, 1), 50, 2));
  }
  // 下関市 003 also scans 100 residents in 17 minutes on the spike day: left to enumeration-scan, not a volume spike.
  for (let i = 0; i < 100; i++) events.push(ev({ t: plus(at(day(SPIKE), "15:00"), i / 6), user: op(SHIMONOSEKI, 3), resident: String(30_000_000_000 + i * 1_234_567) }));
  await ingest(events);
});

describe(RULE, () => {
  it("fires on a day far above the operator's own baseline and peers, not on a steady busy operator, a busy organisation, a scan or a new operator", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(SPIKE + 1), "00:00"));
    expect(alerts.map((a) => a.entity.id)).toEqual([op(SHIMONOSEKI, 5)]);
    const a = alerts[0];
    expect(a.entity.type).toBe("operator");
    expect(a.organization.id).toBe(SHIMONOSEKI);
    expect(a.window.start).toBe(new Date(at(day(SPIKE), "00:00")).toISOString());
    const e = a.evidence as any;
    expect(e.counts).toMatchObject({ lookups: 120, search: 60, view: 60, distinct_subjects: 60 });
    expect(e.baseline.history_days).toBe(days.length - 1);
    expect(e.baseline.median).toBeGreaterThanOrEqual(10);
    expect(e.baseline.median).toBeLessThanOrEqual(14);
    // Peers that day: 001, 003 (with its scan), 004 and the busy 002.
    expect(e.baseline.peers).toBe(4);
    expect(e.sample_events).toHaveLength(5);
    expect(e.query.query.bool.filter).toEqual(expect.arrayContaining([{ term: { "user.id": op(SHIMONOSEKI, 5) } }]));
    expect(a.summary).toContain(op(SHIMONOSEKI, 5));
  });

  it("creates no new alerts when rerun over the same or an overlapping window", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(SPIKE + 1), "00:00"));
    expect(again.summary.created).toBe(0);
    const overlapping = await detect(RULE, at(day(SPIKE), "12:00"), at(day(SPIKE), "13:00"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id)).toEqual([op(SHIMONOSEKI, 5)]);
  });
});
