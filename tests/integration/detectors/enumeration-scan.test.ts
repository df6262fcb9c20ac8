import { beforeAll, describe, expect, it } from "vitest";
import { at, businessWeek, DATES, detect, ev, ingest, plus, SHIMONOSEKI, useFixtureRegistry, WAKI, YAMAGUCHI } from "./harness";

const RULE = "enumeration-scan";
const day = businessWeek(DATES[RULE].start);
const op = (org: string, n: number) => `OP-${org}-${String(n).padStart(3, "0")}`;
/** Resident codes in different code blocks (first 8 digits), as real random codes are. */
let next = 0;
const randomCode = () => String(20_000_000_000 + ++next * 1_234_567);

beforeAll(async () => {
  await useFixtureRegistry();
  const events = [];
  // Must fire (code walk): 下関市 002 searches 30 consecutive resident codes in 5 minutes; about a third are found and viewed.
  for (let i = 0; i < 30; i++) {
    const code = String(41_234_567_000 + i);
    const t = plus(at(day(1), "15:05"), i / 6);
    events.push(ev({ t, user: op(SHIMONOSEKI, 2), host: `TM-${SHIMONOSEKI}-02`, resident: code, results: i % 3 ? 0 : 1 }));
    if (i % 3 === 0) events.push(ev({ t: plus(t, 0.05), action: "view", user: op(SHIMONOSEKI, 2), host: `TM-${SHIMONOSEKI}-02`, resident: code }));
  }
  // Must fire (operator and terminal): 和木町 001 looks up 70 distinct residents by four-information search in 20 minutes.
  for (let i = 0; i < 70; i++) events.push(ev({ t: plus(at(day(2), "09:40"), (i * 2) / 7), org: WAKI, user: op(WAKI, 1), kind: "four_info", resident: randomCode() }));
  // Must fire (terminal only): two 山口市 operators at one terminal, 35 distinct residents each within 25 minutes.
  for (let i = 0; i < 70; i++) {
    const user = op(YAMAGUCHI, i % 2 ? 2 : 3);
    events.push(ev({ t: plus(at(day(2), "10:00"), (i * 25) / 70), org: YAMAGUCHI, user, host: `TM-${YAMAGUCHI}-02`, resident: randomCode() }));
  }
  // Hard negative: a busy clerk looks up 80 distinct residents over the working day (one every six minutes).
  for (let i = 0; i < 80; i++) {
    const t = plus(at(day(3), "08:40"), i * 6);
    const r = randomCode();
    events.push(ev({ t, user: op(SHIMONOSEKI, 3), host: `TM-${SHIMONOSEKI}-03`, resident: r }), ev({ t: plus(t, 1), action: "view", user: op(SHIMONOSEKI, 3), host: `TM-${SHIMONOSEKI}-03`, resident: r }));
  }
  // Hard negative: 25 residents in 30 minutes with random codes (below the threshold, no code walk).
  for (let i = 0; i < 25; i++) events.push(ev({ t: plus(at(day(4), "13:00"), i * 1.2), user: op(SHIMONOSEKI, 4), host: `TM-${SHIMONOSEKI}-01`, resident: randomCode() }));
  await ingest(events);
});

describe(RULE, () => {
  it("fires on a code walk, a dense scan by an operator and at a shared terminal, not on a busy day or a short series", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(5), "00:00"));
    const got = alerts.map((a) => `${a.entity.type}:${a.entity.id}`).sort();
    expect(got).toEqual([`operator:${op(SHIMONOSEKI, 2)}`, `operator:${op(WAKI, 1)}`, `terminal:TM-${SHIMONOSEKI}-02`, `terminal:TM-${WAKI}-01`, `terminal:TM-${YAMAGUCHI}-02`].sort());

    const walk = alerts.find((a) => a.entity.id === op(SHIMONOSEKI, 2))!;
    expect(walk.organization.id).toBe(SHIMONOSEKI);
    expect(walk.window.start).toBe(new Date(at(day(1), "00:00")).toISOString());
    const we = walk.evidence as any;
    expect(we.code_walk).toBe(true);
    expect(we.counts).toMatchObject({ distinct_subjects: 30, distinct_blocks: 1, subjects_in_top_blocks: 30, events: 40, search: 30, view: 10, not_found: 20 });
    expect(we.sample_events).toHaveLength(5);
    expect(walk.summary).toContain("連番");

    const waki = alerts.find((a) => a.entity.id === op(WAKI, 1))!;
    expect(waki.organization.id).toBe(WAKI);
    expect((waki.evidence as any).counts).toMatchObject({ distinct_subjects: 70, distinct_blocks: 70, events: 70 });
    expect((waki.evidence as any).code_walk).toBe(false);
    expect((waki.evidence as any).query_kinds).toEqual({ four_info: 70 });

    const shared = alerts.find((a) => a.entity.id === `TM-${YAMAGUCHI}-02`)!;
    expect(shared.organization.id).toBe(YAMAGUCHI);
    const se = shared.evidence as any;
    expect(se.counts.distinct_subjects).toBe(70);
    expect(se.operators).toEqual({ [op(YAMAGUCHI, 2)]: 35, [op(YAMAGUCHI, 3)]: 35 });
    expect(se.query.query.bool.filter).toEqual(expect.arrayContaining([{ term: { "host.id": `TM-${YAMAGUCHI}-02` } }]));
  });

  it("creates no new alerts when rerun over the same or an overlapping window", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(5), "00:00"));
    expect(again.summary.created).toBe(0);
    const overlapping = await detect(RULE, at(day(1), "15:00"), at(day(1), "16:00"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id).sort()).toEqual([op(SHIMONOSEKI, 2), `TM-${SHIMONOSEKI}-02`]);
  });
});
