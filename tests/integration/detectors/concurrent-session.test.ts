import { beforeAll, describe, expect, it } from "vitest";
import { at, businessWeek, DATES, detect, ev, ingest, plus, resident, SHIMONOSEKI, useFixtureRegistry } from "./harness";

const RULE = "concurrent-session";
const day = businessWeek(DATES[RULE].start);
const OP = (n: number) => `OP-${SHIMONOSEKI}-${String(n).padStart(3, "0")}`;
const CARD = (n: number) => `IC-${SHIMONOSEKI}-${String(n).padStart(3, "0")}`;
const TM = (n: number) => `TM-${SHIMONOSEKI}-${String(n).padStart(2, "0")}`;

/** Login with `card`, a search every `every` minutes, logout after `minutes`. */
function session(user: string, card: string, host: string, start: string, minutes: number, every = 5) {
  const events = [ev({ t: start, action: "login", user, card, host })];
  for (let m = every; m < minutes; m += every) events.push(ev({ t: plus(start, m), user, host, resident: resident(m) }));
  events.push(ev({ t: plus(start, minutes), action: "logout", user, host }));
  return events;
}

beforeAll(async () => {
  await useFixtureRegistry();
  await ingest([
    // Must fire: operator 004 works at TM-01 from 09:05 for 150 minutes and, meanwhile, at TM-02 from 10:20 for 35 minutes.
    ...session(OP(4), CARD(4), TM(1), at(day(1), "09:05"), 150, 10),
    ...session(OP(4), CARD(4), TM(2), at(day(1), "10:20"), 35),
    // Must fire (card): card 005 logs in at TM-03 for operator 005 and, twenty minutes later, at TM-02 under operator 003's id.
    ...session(OP(5), CARD(5), TM(3), at(day(3), "13:30"), 60),
    ...session(OP(3), CARD(5), TM(2), at(day(3), "13:50"), 20),
    // Hard negative: operator 002 logs out of TM-01 and logs in at TM-02 four minutes later.
    ...session(OP(2), CARD(2), TM(1), at(day(2), "09:10"), 40),
    ...session(OP(2), CARD(2), TM(2), at(day(2), "09:54"), 30),
    // Hard negative: operator 001 goes TM-01 → TM-03 → back to TM-01, logging out each time.
    ...session(OP(1), CARD(1), TM(1), at(day(2), "08:40"), 20),
    ...session(OP(1), CARD(1), TM(3), at(day(2), "09:05"), 25),
    ...session(OP(1), CARD(1), TM(1), at(day(2), "09:35"), 25),
    // Hard negative: failed logins with operator 003's card at another terminal are not a session.
    ev({ t: at(day(2), "10:00"), action: "auth_failure", outcome: "failure", user: OP(3), card: CARD(3), host: TM(3) }),
    ...session(OP(3), CARD(3), TM(2), at(day(2), "09:50"), 30),
  ]);
});

describe(RULE, () => {
  it("fires on overlapping sessions of one operator or one card, not on consecutive sessions at different terminals", async () => {
    const { alerts } = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(alerts.map((a) => `${a.entity.type}/${a.entity.id}`).sort()).toEqual([`card/${CARD(5)}`, `operator/${OP(4)}`]);

    const op = alerts.find((a) => a.entity.id === OP(4))!;
    const e1 = op.evidence as any;
    expect(op.organization.id).toBe(SHIMONOSEKI);
    expect(e1.counts).toMatchObject({ terminals: 2, overlap_minutes: 36, overlapping_pairs: 1 });
    expect(e1.overlaps[0].hosts).toEqual([TM(1), TM(2)]);
    expect(e1.sessions[TM(1)]).toHaveLength(1);
    expect(e1.sample_events).toHaveLength(5);

    const card = alerts.find((a) => a.entity.id === CARD(5))!;
    expect((card.evidence as any).counts).toMatchObject({ terminals: 2, overlap_minutes: 21 });
    expect((card.evidence as any).overlaps[0].hosts).toEqual([TM(2), TM(3)]);
  });

  it("evidence query reproduces the events and reruns create no new alerts", async () => {
    const again = await detect(RULE, at(day(0), "00:00"), at(day(6), "00:00"));
    expect(again.summary.created).toBe(0);
    const op = again.alerts.find((a) => a.entity.id === OP(4))!;
    const q = (op.evidence as any).query;
    const { es } = await import("../../../lib/es/client");
    expect((await es().count({ index: q.index, query: q.query })).count).toBe(16 + 8);
    const overlapping = await detect(RULE, at(day(1), "10:00"), at(day(1), "11:00"));
    expect(overlapping.summary.created).toBe(0);
    expect(overlapping.alerts.map((a) => a.entity.id)).toEqual([OP(4)]);
  });
});
