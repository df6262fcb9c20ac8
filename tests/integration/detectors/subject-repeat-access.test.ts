import { beforeAll, describe, expect, it } from "vitest";
import { residentRef } from "../../../lib/ingest/pseudonym";
import { at, businessWeek, DATES, detect, ev, ingest, plus, PREF, resident, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./harness";

const RULE = "subject-repeat-access";
const day = businessWeek(DATES[RULE].start);
const op = (org: string, n: number) => `OP-${org}-${String(n).padStart(3, "0")}`;
const lookUp = (t: string, org: string, user: string, r: string) => [ev({ t, org, user, resident: r }), ev({ t: plus(t, 1), org, user, action: "view", resident: r })];

const STALKED = resident(101);
const POPULAR = resident(202);
const CLERK_CASE = resident(303);
const PROVIDED = resident(404);
const MOVED = resident(505);

beforeAll(async () => {
  await useFixtureRegistry();
  const events = [];
  // Must fire: 下関市 004 looks one resident up six times (12 look-up events) between 13:45 and 14:10.
  // No clock hour holds ten of them; a 60-minute span does.
  for (let i = 0; i < 6; i++) events.push(...lookUp(plus(at(day(1), "13:45"), i * 5), SHIMONOSEKI, op(SHIMONOSEKI, 4), STALKED));
  // Must fire: one resident looked up by five operators of three organisations in one day; 山口市 is first.
  for (const [t, org, user] of [
    ["09:20", YAMAGUCHI, op(YAMAGUCHI, 1)], ["10:45", SHIMONOSEKI, op(SHIMONOSEKI, 1)], ["11:30", SHIMONOSEKI, op(SHIMONOSEKI, 2)],
    ["13:50", YAMAGUCHI, op(YAMAGUCHI, 3)], ["15:05", PREF, op(PREF, 2)],
  ]) events.push(...lookUp(at(day(2), t), org, user, POPULAR));
  // Hard negative: the counter clerk looks a resident up twice in a day (certificate in the morning with a print, follow-up in the afternoon).
  events.push(...lookUp(at(day(3), "09:40"), YAMAGUCHI, op(YAMAGUCHI, 2), CLERK_CASE));
  events.push(ev({ t: at(day(3), "09:43"), org: YAMAGUCHI, user: op(YAMAGUCHI, 2), action: "print", resident: CLERK_CASE, records: 1 }));
  events.push(...lookUp(at(day(3), "14:10"), YAMAGUCHI, op(YAMAGUCHI, 2), CLERK_CASE));
  // Hard negative: a system account provides and notifies one resident's record many times (not look-ups).
  for (let i = 0; i < 12; i++) {
    events.push(ev({ t: plus(at(day(3), "02:00"), i * 3), org: PREF, action: "provide", user: `SYS-${PREF}-BATCH`, resident: PROVIDED, schedule: "5", item: "5-1", recipient: "pref-zeimu" }));
  }
  // Hard negative: a move between two municipalities: two organisations, two operators, a few look-ups each.
  events.push(...lookUp(at(day(4), "10:00"), WAKI, op(WAKI, 1), MOVED), ...lookUp(at(day(4), "10:30"), WAKI, op(WAKI, 1), MOVED));
  events.push(...lookUp(at(day(4), "11:00"), SHIMONOSEKI, op(SHIMONOSEKI, 3), MOVED), ...lookUp(at(day(4), "15:00"), SHIMONOSEKI, op(SHIMONOSEKI, 3), MOVED));
  await ingest(events);
});

describe(RULE, () => {
  it("fires on repeated look-ups by one operator and on many operators in a day, not on a clerk's two look-ups, provisions or a move", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(5), "00:00"));
    expect(alerts.map((a) => a.entity.id).sort()).toEqual([residentRef(STALKED), residentRef(POPULAR)].sort());
    expect(alerts.every((a) => a.entity.type === "subject")).toBe(true);

    const stalked = alerts.find((a) => a.entity.id === residentRef(STALKED))!;
    expect(stalked.organization.id).toBe(SHIMONOSEKI);
    expect(stalked.window.start).toBe(new Date(at(day(1), "00:00")).toISOString());
    const se = stalked.evidence as any;
    expect(se.counts).toEqual({ lookups_in_span: 12, lookups_by_operator_on_day: 12 });
    expect(se.repeat.operator).toBe(op(SHIMONOSEKI, 4));
    expect(se.sample_events).toHaveLength(5);
    expect(se.query.query.bool.filter).toEqual(expect.arrayContaining([{ term: { "jukinet.subject.ref": residentRef(STALKED) } }, { term: { "user.id": op(SHIMONOSEKI, 4) } }]));
    expect(JSON.stringify(stalked)).not.toContain(STALKED);

    const popular = alerts.find((a) => a.entity.id === residentRef(POPULAR))!;
    expect(popular.organization.id).toBe(YAMAGUCHI);
    const pe = popular.evidence as any;
    expect(pe.counts).toEqual({ distinct_operators: 5, distinct_organizations: 3, lookups_on_day: 10 });
    expect(pe.by_organization).toEqual({ [SHIMONOSEKI]: 4, [YAMAGUCHI]: 4, [PREF]: 2 });
  });

  it("creates no new alerts when rerun over the same or an overlapping window", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(5), "00:00"));
    expect(again.summary.created).toBe(0);
    const overlapping = await detect(RULE, at(day(1), "13:00"), at(day(1), "14:00"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id)).toEqual([residentRef(STALKED)]);
  });
});
